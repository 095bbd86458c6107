"""The deferred photo check of check-ins GPS accepted, on a worker (or in-process without a broker).

A check-in whose photo check waits is stored with verification = "queued" before anything is sent
to the broker. If the broker is down or a worker dies mid-task, the row is still queued and
`requeue_all` (run at every worker start, and by `flask --app wsgi requeue-verifications`) sends
it again. The task is idempotent.
"""

from __future__ import annotations

import logging

from celery import Celery
from celery.signals import worker_ready
from flask import Flask

from ..database import db
from ..jobs import broker_configured, send
from . import service

log = logging.getLogger(__name__)
VERIFY = "etk.verify_checkin"
REQUEUE = "etk.requeue_verifications"


def register(celery: Celery, _app: Flask) -> None:
    @celery.task(name=VERIFY, shared=False)
    def verify_checkin(checkin_id: int) -> None:
        service.verify_queued_checkin(checkin_id)
        db.session.commit()

    @celery.task(name=REQUEUE, shared=False)
    def requeue_verifications() -> int:
        return requeue_all()


def enqueue_verification(checkin_id: int) -> bool:
    """Send a queued check-in to the workers (after its row is committed). False when the broker
    could not take it: the row stays queued for the next sweep; nothing is lost."""
    if not broker_configured():
        service.verify_queued_checkin(checkin_id)
        db.session.commit()
        return True
    try:
        send(VERIFY, checkin_id)
        return True
    except Exception as error:  # broker down: the database still holds the work
        log.warning("could not queue the photo check of check-in %s (%s); it stays queued", checkin_id, error)
        return False


def requeue_all(older_than_seconds: float = 0) -> int:
    ids = service.queued_checkin_ids(older_than_seconds)
    return sum(enqueue_verification(checkin_id) for checkin_id in ids)


@worker_ready.connect
def _drain_on_start(sender, **_kwargs):
    """A worker coming back picks up whatever waited while none was running."""
    sender.app.send_task(REQUEUE)
