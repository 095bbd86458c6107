from flask import Blueprint, jsonify
from sqlalchemy import text

from .database import db

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """The process is up."""
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    """The process can serve: the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means "not ready", never a 500
        return jsonify(status="unavailable", database=type(error).__name__), 503
    return jsonify(status="ok", database="ok")
