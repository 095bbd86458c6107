"""Extension objects, unbound until create_app calls init_app."""

from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from .api import Api
from .database import db

api = Api()
jwt = JWTManager()
# Limits are opt-in per route (the login endpoint); nothing else is throttled here.
limiter = Limiter(key_func=get_remote_address)

__all__ = ["api", "db", "jwt", "limiter"]
