from flask import Response, url_for
from flask.views import MethodView

from ..accounts.auth import current_user
from ..accounts.roles import ADMIN, HR, SUPERVISOR
from ..api import BINARY, Blueprint
from ..audit import service as audit
from ..database import db
from ..errors import Conflict
from ..storage import current_storage
from . import exports, service, tasks
from .models import ReportJob
from .rounds import thai_date
from .schemas import (AttendanceDaySchema, AttendanceQuerySchema, ReportJobRequestSchema, ReportJobSchema,
                      SalaryStepQuerySchema, SalaryStepReportSchema, UsageQuerySchema, UsageReportSchema)

blp = Blueprint("reports", __name__, url_prefix="/api/v1",
                description="Attendance and the half-yearly salary-step review (advisory)")

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "pdf": "application/pdf"}


def file_formats(description: str, formats=("xlsx", "csv")):
    """Documents the file answers of a route whose JSON answer @blp.response documents."""
    def decorator(func):
        for fmt in formats:
            func = blp.alt_response(200, schema=BINARY, content_type=MIMETYPES[fmt].split(";")[0], success=True,
                                    description=description)(func)
        return func

    return decorator


SALARY_STEP_FILES = ("xlsx", "csv", "pdf")


def _download(data: bytes, fmt: str, filename: str) -> Response:
    # content_type, not mimetype: Flask adds "; charset=utf-8" to a text/* mimetype, which then
    # named its charset twice.
    return Response(data, content_type=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blp.route("/reports/salary-step")
class SalaryStepReport(MethodView):
    @blp.login_required(HR, ADMIN, SUPERVISOR)
    @blp.arguments(SalaryStepQuerySchema, location="query")
    @blp.response(200, SalaryStepReportSchema)
    @file_formats("JSON, or a file when `format` is csv, xlsx or pdf", SALARY_STEP_FILES)
    def get(self, query):
        """Attendance of a round per person: every count used, the limits applied, and ELIGIBLE / AT_RISK / NOT_ELIGIBLE / NEEDS_REVIEW (supervisors: their units). docs/SALARY_STEP_REPORT.md"""
        report = service.salary_step_report(current_user(), query["fiscal_year"], query["round"], query.get("unit"),
                                            query.get("as_of"))
        audit.record("report.exported", "salary_step_report", query["fiscal_year"], actor_id=current_user().id,
                     after={"round": query["round"], "unit": query.get("unit"), "format": query["format"],
                            "as_of": report["as_of"].isoformat(),
                            "employees": len(report["employees"]), "policy_version": report["policy_version"]})
        db.session.commit()
        if query["format"] == "json":
            return report
        name = f"salary-step-{query['fiscal_year']}-{query['round']}.{query['format']}"
        return _download(service.salary_step_file(report, query["format"]), query["format"], name)


@blp.route("/reports/attendance")
class AttendanceReport(MethodView):
    @blp.login_required(HR, ADMIN, SUPERVISOR)
    @blp.arguments(AttendanceQuerySchema, location="query")
    @blp.response(200, AttendanceDaySchema(many=True))
    @file_formats("JSON, or a file when `format` is csv or xlsx")
    def get(self, query):
        """Daily attendance per employee between two dates (at most 186 days)"""
        rows = service.attendance_report(current_user(), query["from_"], query["to"], query.get("unit"))
        if query["format"] == "json":
            return rows
        audit.record("report.exported", "attendance_report", 0, actor_id=current_user().id,
                     after={"from": query["from_"].isoformat(), "to": query["to"].isoformat(),
                            "unit": query.get("unit"), "format": query["format"]})
        db.session.commit()
        name = f"attendance-{query['from_']}-{query['to']}"
        if query["format"] == "csv":
            return _download(exports.to_csv(rows, exports.ATTENDANCE_COLUMNS), "csv", f"{name}.csv")
        heading = f"การลงเวลาปฏิบัติราชการ {thai_date(query['from_'])} - {thai_date(query['to'])}"
        return _download(exports.attendance_xlsx(rows, heading), "xlsx", f"{name}.xlsx")


def _job_view(job: ReportJob) -> dict:
    return {"id": job.id, "kind": job.kind, "params": job.params, "format": job.format, "status": job.status,
            "created_at": job.created_at, "finished_at": job.finished_at, "error": job.error,
            "status_url": url_for("reports.ReportJobById", job_id=job.id),
            "download_url": url_for("reports.ReportJobDownload", job_id=job.id) if job.status == "done" else None}


@blp.route("/reports/jobs")
class ReportJobs(MethodView):
    @blp.login_required(HR, ADMIN, SUPERVISOR)
    @blp.arguments(ReportJobRequestSchema)
    @blp.response(202, ReportJobSchema)
    def post(self, data):
        """Ask for a large export as a job; poll status_url, then fetch download_url"""
        params = {"fiscal_year": data["fiscal_year"], "round": data["round"], "unit": data["unit"],
                  "as_of": data["as_of"] and data["as_of"].isoformat()}
        job = service.create_job(current_user(), params, data["format"])
        db.session.commit()
        tasks.enqueue_report(job.id)
        return _job_view(db.session.get(ReportJob, job.id))


@blp.route("/reports/jobs/<int:job_id>")
class ReportJobById(MethodView):
    @blp.login_required(HR, ADMIN, SUPERVISOR)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ReportJobSchema)
    def get(self, job_id):
        """A report job's status"""
        return _job_view(service.get_job(current_user(), job_id))


@blp.route("/reports/jobs/<int:job_id>/download")
class ReportJobDownload(MethodView):
    @blp.login_required(HR, ADMIN, SUPERVISOR)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.response(200, SalaryStepReportSchema)
    @file_formats("The file in the job's format: json, csv, xlsx or pdf", SALARY_STEP_FILES)
    def get(self, job_id):
        """The finished report file"""
        job = service.get_job(current_user(), job_id)
        if job.status != "done":
            raise Conflict(f"The report is {job.status}, not ready.", reason="JOB_NOT_DONE")
        data = current_storage().get(job.file_sha256, job.format)
        name = f"salary-step-{job.params['fiscal_year']}-{job.params['round']}.{job.format}"
        if job.format == "json":
            return Response(data, mimetype="application/json")
        return _download(data, job.format, name)


@blp.route("/reports/usage")
class UsageReport(MethodView):
    @blp.login_required(HR, ADMIN)
    @blp.arguments(UsageQuerySchema, location="query")
    @blp.response(200, UsageReportSchema)
    def get(self, query):
        """Use of the system per month of a fiscal year, and whether the innovation indicator holds"""
        return service.usage_report(query["fiscal_year"])
