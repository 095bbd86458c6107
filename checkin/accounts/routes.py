from flask import current_app, request
from flask.views import MethodView

from ..api import Blueprint
from ..database import db
from ..errors import Unauthorized
from ..extensions import limiter
from . import service
from .auth import issue_token
from .roles import ADMIN
from .schemas import TokenRequestSchema, TokenSchema, UserSchema, UserUpdateSchema

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Log in and manage user accounts")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _username_key() -> str:
    body = request.get_json(silent=True)
    username = body.get("username") if isinstance(body, dict) else None
    return f"login-user:{str(username)[:64].lower()}"


def _failed(response) -> bool:
    return response.status_code == 401


@blp.route("/auth/token", methods=["POST"])
@limiter.limit(_login_limit, deduct_when=_failed)
@limiter.limit(_login_limit, key_func=_username_key, deduct_when=_failed)
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def issue(credentials):
    """Exchange a username and password for a bearer token"""
    user = service.verify_credentials(credentials["username"], credentials["password"])
    if user is None:
        raise Unauthorized("Wrong username or password.", reason="BAD_CREDENTIALS")
    token, expires_in = issue_token(user)
    return {"access_token": token, "token_type": "Bearer", "expires_in": expires_in, "user": user}


@blp.route("/users")
class Users(MethodView):
    @blp.login_required(ADMIN)
    @blp.response(200, UserSchema(many=True))
    def get(self):
        """List user accounts"""
        return service.list_users()

    @blp.login_required(ADMIN)
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(UserSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create a user account, optionally linked to an employee"""
        user = service.create_user(data["username"], data["password"], data["role"], data["employee_id"])
        user.active = data["active"]
        db.session.commit()
        return user


@blp.route("/users/<int:user_id>")
class UserById(MethodView):
    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, UserSchema)
    def get(self, user_id):
        """Get a user account"""
        return service.get_user(user_id)

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, changes, user_id):
        """Change a user's role, password, employee link or active flag"""
        user = service.update_user(service.get_user(user_id), changes)
        db.session.commit()
        return user
