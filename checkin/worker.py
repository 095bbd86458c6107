"""Entry point for `celery -A checkin.worker:celery worker` (see `make worker`)."""

from checkin import create_app

flask_app = create_app()
celery = flask_app.extensions["etk.celery"]
