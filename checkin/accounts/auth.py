"""Bearer tokens: issue them, and turn the one on a request into `g.current_user`."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g
from flask_jwt_extended import create_access_token, get_jwt_identity, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt.exceptions import PyJWTError
from sqlalchemy.orm import joinedload

from ..database import db
from ..errors import Forbidden, Unauthorized
from .models import User


def issue_token(user: User) -> tuple[str, int]:
    lifetime = timedelta(minutes=current_app.config["ACCESS_TOKEN_MINUTES"])
    token = create_access_token(identity=str(user.id), additional_claims={"role": user.role},
                                expires_delta=lifetime)
    return token, int(lifetime.total_seconds())


def authenticate_request(roles: tuple[str, ...]) -> User:
    try:
        verify_jwt_in_request()
        user_id = int(get_jwt_identity())
    except (JWTExtendedException, PyJWTError, ValueError, TypeError) as error:
        raise Unauthorized(f"A valid bearer token is required ({error}).", reason="TOKEN_INVALID") from None
    user = db.session.get(User, user_id, options=[joinedload(User.employee)])  # check-ins need both
    if user is None or not user.active:
        raise Unauthorized("This account no longer exists or is disabled.", reason="ACCOUNT_DISABLED")
    if roles and user.role not in roles:
        raise Forbidden(f"This action needs one of the roles: {', '.join(roles)}.", reason="ROLE_REQUIRED")
    g.current_user = user
    return user


def current_user() -> User:
    return g.current_user
