"""e-Timekeeping: attendance check-in backend.

The package itself imports nothing heavy, so the pure modules (verification, decisions,
geometry) can be used by a worker without Flask or SQLAlchemy.
"""


def create_app(overrides: dict | None = None):
    from .app import create_app as build

    return build(overrides)
