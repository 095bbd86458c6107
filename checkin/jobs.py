"""Background work on Celery when a broker is configured, in-process when not.

The database is the source of truth: work waiting for a worker is a row (a check-in with
verification = "queued", a report job with status "queued") stored before anything is sent to
the broker, and every task is idempotent. Each domain keeps its tasks in its own `tasks.py`;
`make_celery` registers them.
"""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask, current_app


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
        beat_schedule={},
    )

    class AppContextTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery.Task = AppContextTask

    from .checkins import tasks as checkin_tasks
    from .privacy import tasks as privacy_tasks
    from .reports import tasks as report_tasks

    for domain in (checkin_tasks, report_tasks, privacy_tasks):
        domain.register(celery, app)
    app.extensions["etk.celery"] = celery
    return celery


def send(task_name: str, *args) -> None:
    """Hand a registered task to the broker (raises when the broker cannot take it)."""
    current_app.extensions["etk.celery"].tasks[task_name].apply_async(args=list(args))
