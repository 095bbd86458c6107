"""Another process on the test app's database and storage."""

# A Fernet key for the tests' face data: with PostgreSQL the app refuses to start without one.
TEST_BIOMETRIC_KEY = "ZS10aW1la2VlcGluZy10ZXN0cy1iaW9tZXRyaWMtayE="  # base64 of 32 bytes

# What another API node or worker shares with the test app.
SHARED_CONFIG = ("TESTING", "DATABASE_URL", "SECRET_KEY", "BIOMETRIC_KEYS", "PASSWORD_HASH_METHOD", "STORAGE_DIR")


def shared_config(app) -> dict:
    return {key: app.config[key] for key in SHARED_CONFIG}


def another_process(app, **overrides):
    """A second app on the same database and storage: what another API node or worker sees."""
    from checkin import create_app

    return create_app({**shared_config(app), **overrides})
