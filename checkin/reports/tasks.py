"""Report jobs: produced by a worker, or in-process when there is no broker. A task commits."""

from __future__ import annotations

import logging
from datetime import date

from celery import Celery
from flask import Flask

from ..accounts.models import User
from ..audit import service as audit
from ..database import db, get_or_404, utcnow
from ..jobs import broker_configured, send
from ..storage import current_storage
from . import service
from .models import ReportJob

log = logging.getLogger(__name__)
REPORT = "etk.run_report_job"


def register(celery: Celery, _app: Flask) -> None:
    @celery.task(name=REPORT, shared=False)
    def run_report_job(job_id: int) -> None:
        run_job(job_id)


def enqueue_report(job_id: int) -> None:
    """A report job to a worker; without a broker it runs here and now."""
    if broker_configured():
        send(REPORT, job_id)
    else:
        run_job(job_id)


def run_job(job_id: int) -> ReportJob:
    """Produce the file and commit; idempotent (a finished job is left as it is). The job is
    marked running in its own commit, so a poller sees it while the report is built."""
    job = get_or_404(ReportJob, job_id, "Report job")
    if job.status in ("done", "failed"):
        return job
    job.status = "running"
    db.session.commit()
    try:
        requester = db.session.get(User, job.requested_by_id)
        as_of = job.params.get("as_of")
        report = service.salary_step_report(requester, job.params["fiscal_year"], job.params["round"],
                                            job.params.get("unit"), as_of and date.fromisoformat(as_of))
        job.file_sha256 = current_storage().put(service.salary_step_file(report, job.format), job.format)
        job.status = "done"
        audit.record("report.exported", "salary_step_report", job.params["fiscal_year"], actor_id=requester.id,
                     after={**job.params, "format": job.format, "job_id": job.id,
                            "as_of": report["as_of"].isoformat(), "employees": len(report["employees"]),
                            "policy_version": report["policy_version"]})
    except Exception as error:  # the job says what went wrong; the request that made it is long gone
        log.exception("report job %s failed", job.id)
        db.session.rollback()
        job = db.session.get(ReportJob, job_id)
        job.status, job.error = "failed", f"{type(error).__name__}: {error}"
    job.finished_at = utcnow()
    db.session.commit()
    return job
