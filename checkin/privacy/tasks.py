"""PDPA retention every night, for whoever runs `celery -A checkin.worker:celery beat`."""

from __future__ import annotations

from celery import Celery
from celery.schedules import crontab
from flask import Flask

from ..database import db, utcnow
from .retention import purge_expired

RETENTION = "etk.purge_biometrics"


def register(celery: Celery, app: Flask) -> None:
    @celery.task(name=RETENTION, shared=False)
    def purge_biometrics() -> int:
        result = purge_expired(utcnow(), app.config["SELFIE_RETENTION_DAYS"])
        db.session.commit()
        return result.selfies_purged

    celery.conf.beat_schedule["purge-biometrics"] = {"task": RETENTION, "schedule": crontab(hour=2, minute=30)}
