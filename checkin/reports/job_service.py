"""Running report jobs. Services flush; the caller commits."""

from __future__ import annotations

import logging

from flask import json

from ..accounts.models import User
from ..audit import service as audit
from ..database import db, get_or_404, utcnow
from ..storage import current_storage
from . import builders, exports
from .jobs import ReportJob
from .schemas import SalaryStepReportSchema

log = logging.getLogger(__name__)


def salary_step_file(report: dict, fmt: str) -> bytes:
    """A salary-step report as the bytes of an .xlsx, .csv or .json file."""
    if fmt == "xlsx":
        return exports.salary_step_xlsx(report)
    if fmt == "csv":
        return exports.to_csv(report["employees"], exports.SALARY_STEP_COLUMNS)
    # The body GET /reports/salary-step answers (ISO dates, not flask.json's RFC 822 ones).
    return json.dumps(SalaryStepReportSchema().dump(report), ensure_ascii=False, indent=2).encode("utf-8")


def create_job(requester: User, params: dict, fmt: str) -> ReportJob:
    job = ReportJob(kind="salary_step", params=params, format=fmt, requested_by_id=requester.id)
    db.session.add(job)
    db.session.flush()
    return job


def run_job(job_id: int) -> ReportJob:
    """Produce the file; idempotent (a finished job is left as it is)."""
    job = get_or_404(ReportJob, job_id, "Report job")
    if job.status in ("done", "failed"):
        return job
    job.status = "running"
    db.session.commit()
    try:
        requester = db.session.get(User, job.requested_by_id)
        report = builders.salary_step_report(requester, job.params["fiscal_year"], job.params["round"],
                                             job.params.get("unit"))
        job.file_sha256 = current_storage().put(salary_step_file(report, job.format), job.format)
        job.status = "done"
        audit.record("report.exported", "salary_step_report", job.params["fiscal_year"], actor_id=requester.id,
                     after={**job.params, "format": job.format, "job_id": job.id,
                            "employees": len(report["employees"]), "policy_version": report["policy_version"]})
    except Exception as error:  # the job says what went wrong; the request that made it is long gone
        log.exception("report job %s failed", job.id)
        db.session.rollback()
        job = db.session.get(ReportJob, job_id)
        job.status, job.error = "failed", f"{type(error).__name__}: {error}"
    job.finished_at = utcnow()
    db.session.flush()
    return job
