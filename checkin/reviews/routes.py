from flask import url_for
from flask.views import MethodView

from geofences.policy import POLICY_FIELDS
from geofences.service import fence_at_decision

from ..accounts.auth import current_user
from ..accounts.roles import ADMIN, HR, SUPERVISOR
from ..api import Blueprint
from ..audit import service as audit
from ..biometrics.service import list_enrollments
from ..checkins.gps_step import GpsFix
from ..checkins.service import get_visible_checkin
from ..database import db
from ..pagination import paginate
from . import service
from .schemas import AuditRecordSchema, DecisionSchema, EvidenceSchema, QueueQuerySchema, ReviewItemSchema

blp = Blueprint("reviews", __name__, url_prefix="/api/v1",
                description="Supervisors review flagged check-ins; every change is in the audit trail")


@blp.route("/reviews")
class ReviewQueue(MethodView):
    @blp.login_required(SUPERVISOR, HR, ADMIN)
    @blp.arguments(QueueQuerySchema, location="query")
    @blp.response(200, ReviewItemSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Flagged check-ins, oldest first (supervisors: the units they lead and below)"""
        return paginate(service.queue_query(current_user(), query["status"], query.get("unit"), query.get("reason"),
                                            query.get("from_"), query.get("to")), pagination_parameters)


@blp.route("/reviews/<int:checkin_id>")
class ReviewDecision(MethodView):
    @blp.login_required(SUPERVISOR, ADMIN, HR)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(DecisionSchema)
    @blp.response(200, ReviewItemSchema)
    def post(self, decision, checkin_id):
        """Approve or reject a flagged check-in (a note is required to reject); final"""
        checkin = get_visible_checkin(current_user(), checkin_id)
        service.decide(current_user(), checkin, decision["decision"], decision["note"])
        db.session.commit()
        return checkin


@blp.route("/checkins/<int:checkin_id>/audit")
class CheckinAudit(MethodView):
    @blp.login_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, AuditRecordSchema(many=True))
    def get(self, checkin_id):
        """Every recorded change of a check-in, oldest first (read-only)"""
        return audit.trail("checkin", get_visible_checkin(current_user(), checkin_id).id)


@blp.route("/checkins/<int:checkin_id>/evidence")
class CheckinEvidence(MethodView):
    @blp.login_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, EvidenceSchema)
    def get(self, checkin_id):
        """What the decision rested on: fence, point, accuracy, face, sign, reasons, photos"""
        checkin = get_visible_checkin(current_user(), checkin_id)
        has_fix = checkin.latitude is not None and (checkin.latitude, checkin.longitude) != (0, 0)
        fence = fence_at_decision(checkin.site, checkin.site_version) if checkin.site else None
        return {
            "checkin_id": checkin.id,
            "site": checkin.site,
            "fence": fence,
            "policy": {field: fence["properties"][field] for field in POLICY_FIELDS} if fence else None,
            "point": {"type": "Point", "coordinates": [checkin.longitude, checkin.latitude]} if has_fix else None,
            "accuracy_radius_95_m": GpsFix(checkin.latitude, checkin.longitude, checkin.accuracy_m,
                                           checkin.accuracy_confidence).radius_95_m if has_fix else None,
            "distance_m": checkin.distance_m,
            "face": checkin.face,
            "sign": checkin.sign,
            "reasons": checkin.messages,
            "selfie_url": url_for("checkins.CheckinSelfie", checkin_id=checkin.id),
            "enrolled_thumbnail_urls": [
                url_for("faces.FaceThumbnail", employee_id=checkin.employee_id, face_id=enrollment.id)
                for enrollment in list_enrollments(checkin.employee)],
        }
