"""Another process on the test app's database and storage."""


def another_process(app, **overrides):
    """A second app on the same database and storage: what another API node or worker sees."""
    from checkin import create_app

    keys = ("TESTING", "DATABASE_URL", "SECRET_KEY", "PASSWORD_HASH_METHOD", "STORAGE_DIR")
    return create_app({**{key: app.config[key] for key in keys}, **overrides})
