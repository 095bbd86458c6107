"""Entry point for `gunicorn wsgi:app` and `flask --app wsgi ...`."""

from checkin import create_app

app = create_app()
