from flask import current_app, request
from flask.views import MethodView

from ..api import Blueprint
from ..database import db
from ..errors import Unauthorized
from ..extensions import limiter
from . import lockout, service
from .auth import authenticate_request, current_user, issue_refresh_token, issue_token, revoke_tokens
from .roles import ADMIN
from .schemas import PasswordChangeSchema, TokenRequestSchema, TokenSchema, UserSchema, UserUpdateSchema

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Log in and manage user accounts")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@blp.route("/auth/token", methods=["POST"])
@limiter.limit(_login_limit)  # every attempt from one address, right or wrong: a cheap brake
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def issue(credentials):
    """Exchange a username and password for an access token (short-lived) and a refresh token

    Repeated failures lock the user name (and, at a higher count, the address) for a time that
    doubles with every further failure: 429 LOGIN_LOCKED with Retry-After, whatever the password.
    """
    username, address = credentials["username"], request.remote_addr or "unknown"
    lockout.refuse_while_locked(username, address)
    user = service.verify_credentials(username, credentials["password"])
    if user is None:
        lockout.record_failure(username, address)
        db.session.commit()
        raise Unauthorized("Wrong username or password.", reason="BAD_CREDENTIALS")
    lockout.record_success(username)
    db.session.commit()
    return _tokens(user, refresh=True)


@blp.route("/auth/refresh", methods=["POST"])
@blp.response(200, TokenSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def refresh():
    """New tokens: send the refresh token from /auth/token as `Authorization: Bearer <refresh token>`

    A new refresh token comes too: an app in use stays logged in (and its offline queue with
    it) instead of losing the session a week after the login. Logout still ends every token."""
    return _tokens(authenticate_request((), refresh=True), refresh=True)


@blp.route("/auth/logout", methods=["POST"])
@blp.login_required()
@blp.response(204)
def logout():
    """Log out: every token of this account, on every device, stops working"""
    revoke_tokens(current_user())
    db.session.commit()


@blp.route("/me/password", methods=["POST"])
@blp.login_required()
@blp.arguments(PasswordChangeSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def change_password(data):
    """Change your own password with the current one: your other sessions end; this one gets new tokens"""
    try:
        user = service.change_own_password(current_user(), data["current_password"], data["new_password"],
                                           request.remote_addr or "unknown")
    except service.WrongPassword:
        db.session.commit()  # the failed attempt counts toward the lockout, like a wrong login
        raise
    db.session.commit()
    return _tokens(user, refresh=True)


def _tokens(user, refresh: bool) -> dict:
    token, expires_in = issue_token(user)
    body = {"access_token": token, "token_type": "Bearer", "expires_in": expires_in, "user": user}
    if refresh:
        body["refresh_token"], body["refresh_expires_in"] = issue_refresh_token(user)
    return body


@blp.route("/users")
class Users(MethodView):
    @blp.login_required(ADMIN)
    @blp.response(200, UserSchema(many=True))
    def get(self):
        """List user accounts"""
        return service.list_users()

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND", description="No employee with that employee_id")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(UserSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create a user account, optionally linked to an employee"""
        user = service.create_user(data["username"], data["password"], data["role"], data["employee_id"],
                                   by=current_user(), active=data["active"])
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
        user = service.update_user(service.get_user(user_id), changes, by=current_user())
        db.session.commit()
        return user
