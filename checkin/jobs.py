"""Background work on Celery when a broker is configured, in-process when not.

The database is the source of truth: a check-in whose photo check waits is stored with
verification = "queued" before anything is sent to the broker. If the broker is down or a
worker dies mid-task, the row is still queued and `requeue_verifications` (run at every worker
start, and by `flask --app wsgi requeue-verifications`) sends it again. Tasks are idempotent.
"""

from __future__ import annotations

import logging

from celery import Celery, Task
from celery.schedules import crontab
from celery.signals import worker_ready
from flask import Flask, current_app

log = logging.getLogger(__name__)
VERIFY = "etk.verify_checkin"
REQUEUE = "etk.requeue_verifications"
REPORT = "etk.run_report_job"
RETENTION = "etk.purge_biometrics"


def broker_configured() -> bool:
    return bool(current_app.config.get("CELERY_BROKER_URL"))


def make_celery(app: Flask) -> Celery:
    celery = Celery(app.import_name, broker=app.config["CELERY_BROKER_URL"])
    celery.conf.update(
        task_ignore_result=True,
        task_acks_late=True,  # a task a killed worker held is delivered again
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="etk",
        broker_transport_options={"visibility_timeout": 300},
        broker_connection_timeout=2,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
        task_always_eager=app.config.get("CELERY_TASK_ALWAYS_EAGER", False),
        timezone="Asia/Bangkok",
        # PDPA retention every night, for whoever runs `celery -A checkin.worker:celery beat`.
        beat_schedule={"purge-biometrics": {"task": RETENTION, "schedule": crontab(hour=2, minute=30)}},
    )

    class AppContextTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery.Task = AppContextTask

    @celery.task(name=VERIFY, shared=False)
    def verify_checkin(checkin_id: int) -> None:
        from .database import db
        from .service import verify_queued_checkin

        verify_queued_checkin(checkin_id)
        db.session.commit()

    @celery.task(name=REQUEUE, shared=False)
    def requeue_verifications() -> int:
        return requeue_all()

    @celery.task(name=REPORT, shared=False)
    def run_report_job(job_id: int) -> None:
        from .database import db
        from .reports.job_service import run_job

        run_job(job_id)
        db.session.commit()

    @celery.task(name=RETENTION, shared=False)
    def purge_biometrics() -> int:
        from .database import db, utcnow
        from .privacy.retention import purge_expired

        result = purge_expired(utcnow(), app.config["SELFIE_RETENTION_DAYS"])
        db.session.commit()
        return result.selfies_purged

    app.extensions["etk.celery"] = celery
    return celery


def enqueue_verification(checkin_id: int) -> bool:
    """Send a queued check-in to the workers (after its row is committed). False when the broker
    could not take it: the row stays queued for the next sweep; nothing is lost."""
    if not broker_configured():
        from .database import db
        from .service import verify_queued_checkin

        verify_queued_checkin(checkin_id)
        db.session.commit()
        return True
    try:
        current_app.extensions["etk.celery"].tasks[VERIFY].apply_async(args=[checkin_id])
        return True
    except Exception as error:  # broker down: the database still holds the work
        log.warning("could not queue the photo check of check-in %s (%s); it stays queued", checkin_id, error)
        return False


def enqueue_report(job_id: int) -> None:
    """A report job to a worker; without a broker it runs here and now."""
    if broker_configured():
        current_app.extensions["etk.celery"].tasks[REPORT].apply_async(args=[job_id])
        return
    from .database import db
    from .reports.job_service import run_job

    run_job(job_id)
    db.session.commit()


def requeue_all(older_than_seconds: float = 0) -> int:
    from .service import queued_checkin_ids

    ids = queued_checkin_ids(older_than_seconds)
    return sum(enqueue_verification(checkin_id) for checkin_id in ids)


@worker_ready.connect
def _drain_on_start(sender, **_kwargs):
    """A worker coming back picks up whatever waited while none was running."""
    sender.app.send_task(REQUEUE)
