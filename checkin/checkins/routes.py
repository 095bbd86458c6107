from flask.views import MethodView

from ..accounts.auth import current_user
from ..api import BINARY, Blueprint
from ..audit.files import audited_file
from ..database import db
from ..errors import Gone, NotFound
from ..pagination import paginate
from . import service, tasks
from .candidates import candidate_sites
from .gps_step import GpsFix
from .reasons import REASONS
from .schemas import (CheckinFormSchema, CheckinQuerySchema, CheckinSchema, ReasonMessageSchema,
                      SiteOutlineCollectionSchema)

blp = Blueprint("checkins", __name__, url_prefix="/api/v1",
                description="Clock in and out with a GPS fix and a selfie")


@blp.route("/checkins")
class Checkins(MethodView):
    @blp.login_required()
    @blp.arguments(CheckinFormSchema, location="multipart")
    @blp.response(201, CheckinSchema)
    @blp.alt_response(200, schema=CheckinSchema, description="A retry of a known client_event_id", success=True)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, form):
        """Clock in or out: the server decides accepted or flagged, with reasons"""
        checkin, created = service.record_checkin(current_user(), _checkin_request(form),
                                                  defer_photo=tasks.broker_configured())
        db.session.commit()
        if created and checkin.verification == "queued":
            tasks.enqueue_verification(checkin.id)
        return checkin, 201 if created else 200

    @blp.login_required()
    @blp.arguments(CheckinQuerySchema, location="query")
    @blp.response(200, CheckinSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """List check-ins, newest first (employees: their own; supervisors: their units)"""
        return paginate(service.checkin_query(current_user(), filters), pagination_parameters)


@blp.route("/checkins/<int:checkin_id>")
class CheckinById(MethodView):
    @blp.login_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, CheckinSchema)
    def get(self, checkin_id):
        """Get one check-in"""
        return service.get_visible_checkin(current_user(), checkin_id)


@blp.route("/checkins/<int:checkin_id>/selfie")
class CheckinSelfie(MethodView):
    @blp.login_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(410, response="DEFAULT_ERROR", description="Purged after its retention period")
    @blp.response(200, BINARY, content_type="image/*")
    def get(self, checkin_id):
        """The selfie sent with a check-in (owner, their supervisors, HR, admin)"""
        viewer = current_user()
        checkin = service.get_visible_checkin(viewer, checkin_id)
        if checkin.selfie_sha256 is None:
            raise NotFound("This check-in has no selfie (an imported punch).", reason="SELFIE_MISSING")
        if checkin.selfie_purged_at is not None:
            raise Gone("The selfie was deleted at the end of its retention period (PDPA).", reason="SELFIE_PURGED")
        response = audited_file(
            checkin.selfie_sha256, checkin.selfie_extension, checkin.selfie_content_type, viewer=viewer,
            action="selfie.viewed", entity_type="checkin", entity_id=checkin.id,
            missing=NotFound("The selfie file is missing from storage.", reason="SELFIE_MISSING"))
        db.session.commit()
        return response


@blp.route("/me/sites")
class MySites(MethodView):
    @blp.login_required()
    @blp.response(200, SiteOutlineCollectionSchema)
    def get(self):
        """Where you may check in: your candidate sites' fences, as GeoJSON (the app shows whether you are inside)

        Only each site's outline, code and name: not its evidence policy (bounds a cheat would study)."""
        sites = candidate_sites(service.employee_of(current_user()))
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": site.id, "geometry": site.geometry,
             "properties": {"code": site.code, "name": site.name}} for site in sites]}


@blp.route("/reasons")
class Reasons(MethodView):
    @blp.login_required()
    @blp.response(200, ReasonMessageSchema(many=True))
    def get(self):
        """Every decision reason code with its Thai and English message"""
        return list(REASONS.values())


def _checkin_request(form: dict) -> service.CheckinRequest:
    fix = None
    if "latitude" in form:
        fix = GpsFix(form["latitude"], form["longitude"], form["accuracy_m"], form["accuracy_confidence"])
    return service.CheckinRequest(
        kind=form["kind"], client_event_id=str(form["client_event_id"]), captured_at=form["captured_at"],
        fix=fix, mock_location=form["mock_location"], device_id=form["device_id"],
        selfie=form["selfie"].read(), position_at=form.get("position_at"), sent_at=form.get("sent_at"),
    )
