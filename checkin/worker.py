"""Entry point for `celery -A checkin.worker:celery worker` (see `make worker`)."""

import logging

from checkin import create_app
from checkin.migrations import wait_for_schema

flask_app = create_app()
# Containers start in any order: wait for `init-db` rather than fail on missing tables.
wait_for_schema(flask_app.config["DATABASE_URL"], say=logging.getLogger("checkin.worker").warning)
celery = flask_app.extensions["etk.celery"]
