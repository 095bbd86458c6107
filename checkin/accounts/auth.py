"""Bearer tokens: issue them, and turn the one on a request into `g.current_user`."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g
from flask_jwt_extended import (create_access_token, create_refresh_token, get_jwt, get_jwt_identity,
                                verify_jwt_in_request)
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt.exceptions import PyJWTError
from sqlalchemy.orm import joinedload

from ..database import db
from ..errors import Forbidden, Unauthorized
from .models import User


def issue_token(user: User) -> tuple[str, int]:
    """A short-lived access token: (token, seconds it lives)."""
    lifetime = timedelta(minutes=current_app.config["ACCESS_TOKEN_MINUTES"])
    token = create_access_token(identity=str(user.id), expires_delta=lifetime,
                                additional_claims={"role": user.role, "gen": user.token_generation})
    return token, int(lifetime.total_seconds())


def issue_refresh_token(user: User) -> tuple[str, int]:
    """A longer-lived token good only for getting new access tokens at /auth/refresh."""
    lifetime = timedelta(hours=current_app.config["REFRESH_TOKEN_HOURS"])
    token = create_refresh_token(identity=str(user.id), expires_delta=lifetime,
                                 additional_claims={"gen": user.token_generation})
    return token, int(lifetime.total_seconds())


def revoke_tokens(user: User) -> None:
    """Every token issued to `user` so far stops working (logout, new password, disabled)."""
    user.token_generation += 1


def authenticate_request(roles: tuple[str, ...], refresh: bool = False) -> User:
    try:
        verify_jwt_in_request(refresh=refresh)
        user_id = int(get_jwt_identity())
        generation = get_jwt().get("gen")
    except (JWTExtendedException, PyJWTError, ValueError, TypeError) as error:
        raise Unauthorized(f"A valid bearer token is required ({error}).", reason="TOKEN_INVALID") from None
    user = db.session.get(User, user_id, options=[joinedload(User.employee)])  # check-ins need both
    if user is None or not user.active:
        raise Unauthorized("This account no longer exists or is disabled.", reason="ACCOUNT_DISABLED")
    if generation != user.token_generation:
        raise Unauthorized("This token was revoked (logged out or password changed): log in again.",
                           reason="TOKEN_REVOKED")
    if roles and user.role not in roles:
        raise Forbidden(f"This action needs one of the roles: {', '.join(roles)}.", reason="ROLE_REQUIRED")
    g.current_user = user
    return user


def current_user() -> User:
    return g.current_user
