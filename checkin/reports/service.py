"""The three reports as plain data, ready for JSON, CSV or XLSX; their files; report jobs.
Services flush; routes and tasks commit."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timezone

from flask import json
from sqlalchemy import case, func, select

from ..accounts.models import User
from ..accounts.roles import ADMIN, HR
from ..audit.models import AuditRecord
from ..checkins.models import CheckIn
from ..database import db, get_or_404
from ..errors import Forbidden
from ..org.scope import visible_unit_ids
from ..org.tree import Units
from ..timezones import BANGKOK
from . import attendance as A
from . import exports
from . import salary_step_report as salary_step_report_data
from .facts import employee_days, scoped_employees
from .models import ReportJob
from .rounds import salary_round, thai_date
from .schemas import SalaryStepReportSchema


def require_unit_in_scope(viewer: User | None, unit_id: int | None) -> None:
    """A report of one unit: only of a unit the viewer may see (None: an operator at the CLI)."""
    if viewer is None or unit_id is None:
        return
    units = visible_unit_ids(viewer)
    if units is not None and unit_id not in units:
        raise Forbidden("This unit is outside your scope.", reason="OUT_OF_SCOPE")


def salary_step_report(viewer: User | None, fiscal_year: int, round_number: int, unit_id: int | None,
                       as_of: date | None = None) -> dict:
    require_unit_in_scope(viewer, unit_id)
    return salary_step_report_data.build(viewer, fiscal_year, round_number, unit_id, as_of)


def salary_step_file(report: dict, fmt: str) -> bytes:
    """A salary-step report as the bytes of an .xlsx, .csv, .pdf or .json file."""
    if fmt == "xlsx":
        return exports.salary_step_xlsx(report)
    if fmt == "csv":
        return exports.salary_step_csv(report)
    if fmt == "pdf":
        from . import pdf  # its fonts load on first use

        return pdf.salary_step_pdf(report)
    # The body GET /reports/salary-step answers (ISO dates, not flask.json's RFC 822 ones).
    return json.dumps(SalaryStepReportSchema().dump(report), ensure_ascii=False, indent=2).encode("utf-8")


def create_job(requester: User, params: dict, fmt: str) -> ReportJob:
    """A report job; what can be refused now (scope, an as-of date in the future or before the
    round) is refused here, not left to fail in a worker."""
    require_unit_in_scope(requester, params["unit"])
    as_of = params.get("as_of") and date.fromisoformat(params["as_of"])
    salary_step_report_data.counting_window(salary_round(params["fiscal_year"], params["round"]), as_of,
                                            datetime.now(BANGKOK).date())
    job = ReportJob(kind="salary_step", params=params, format=fmt, requested_by_id=requester.id)
    db.session.add(job)
    db.session.flush()
    return job


def get_job(viewer: User, job_id: int) -> ReportJob:
    """A report job, for the one who asked for it, HR and admin."""
    job = get_or_404(ReportJob, job_id, "Report job")
    if job.requested_by_id != viewer.id and viewer.role not in (HR, ADMIN):
        raise Forbidden("This report job belongs to someone else.", reason="OUT_OF_SCOPE")
    return job


def attendance_report(viewer: User | None, start: date, end: date, unit_id: int | None) -> list[dict]:
    require_unit_in_scope(viewer, unit_id)
    units = Units.load()
    rows = []
    for employee, days in employee_days(scoped_employees(viewer, unit_id, start, end), start, end):
        for day in days:
            rows.append({
                "employee_code": employee.code, "name_th": f"{employee.first_name_th} {employee.last_name_th}",
                "unit_code": units.code[employee.unit_id], "date": day.day, "status": day.status,
                "status_th": A.STATUS_TH[day.status], "working_day": day.working_day,
                "first_in": day.first_in, "last_out": day.last_out, "late_minutes": day.late_minutes,
                "early_leave_minutes": day.early_leave_minutes, "leave_type": day.leave_type,
                "leave_days": day.leave_days, "pending_reviews": day.pending_reviews,
            })
    return rows


def usage_report(fiscal_year: int) -> dict:
    """The innovation indicator: used at least 3 months of the fiscal year, and its data used in
    at least one salary-step report."""
    start = salary_round(fiscal_year, 1).start
    months = []
    for year, month in [(start.year + (m + 9) // 12, (m + 9) % 12 + 1) for m in range(12)]:
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1)
        months.append(_month_usage(first, last))
    in_use = sum(1 for month in months if month["checkins"] > 0)
    exported = db.session.scalar(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.action == "report.exported", AuditRecord.entity_type == "salary_step_report",
        AuditRecord.entity_id == fiscal_year))
    return {"fiscal_year": fiscal_year, "months": months, "months_in_use": in_use,
            "salary_step_reports_produced": exported,
            "indicator_met": in_use >= 3 and exported > 0}


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _month_usage(first: date, stop: date) -> dict:
    begin = datetime.combine(first, datetime.min.time(), BANGKOK).astimezone(timezone.utc)
    end = datetime.combine(stop, datetime.min.time(), BANGKOK).astimezone(timezone.utc)
    # Check-ins made with the product: imported fingerprint-clock punches do not count.
    in_month = (CheckIn.received_at >= begin) & (CheckIn.received_at < end) & CheckIn.method.is_distinct_from("import")
    count, employees, by_gps, by_photo, flagged = db.session.execute(select(
        func.count(), func.count(func.distinct(CheckIn.employee_id)),
        _count(CheckIn.method == "gps"), _count(CheckIn.method == "photo"),
        _count((CheckIn.status == "flagged") | CheckIn.review_decision.is_not(None)),
    ).where(in_month)).one()
    review_minutes = [(reviewed - received).total_seconds() / 60 for received, reviewed in db.session.execute(
        select(CheckIn.received_at, CheckIn.reviewed_at).where(in_month, CheckIn.reviewed_at.is_not(None)))]
    return {
        "month": first.strftime("%Y-%m"), "month_th": thai_date(first).split(" ", 1)[1],
        "active_employees": employees, "checkins": count,
        "accepted_by_gps": _share(by_gps, count), "accepted_by_photo": _share(by_photo, count),
        "flagged": _share(flagged, count),
        "median_review_minutes": round(statistics.median(review_minutes), 1) if review_minutes else None,
    }


def _share(part, whole) -> float:
    return round((part or 0) / whole, 3) if whole else 0.0
