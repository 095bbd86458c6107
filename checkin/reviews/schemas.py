import marshmallow as ma

from geofences.schemas import SiteRefSchema

from ..api import BangkokDateTime, Id, Schema
from ..checkins.reasons import REASONS
from ..checkins.schemas import CheckinSchema, FaceResultSchema, ReasonMessageSchema, SignResultSchema


class QueueQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    status = ma.fields.String(load_default="pending", validate=ma.validate.OneOf(["pending", "decided"]))
    unit = Id(metadata={"description": "A unit id: that unit and the units below it"})
    reason = ma.fields.String(validate=ma.validate.OneOf(sorted(REASONS)),
                              metadata={"description": "Only check-ins with this reason code"})
    from_ = ma.fields.Date(data_key="from", metadata={"description": "Received on or after this day (Bangkok)"})
    to = ma.fields.Date(metadata={"description": "Received on or before this day (Bangkok)"})


class EmployeeSummarySchema(Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    first_name_th = ma.fields.String()
    last_name_th = ma.fields.String()
    unit_id = ma.fields.Integer()


class ReviewItemSchema(CheckinSchema):
    employee = ma.fields.Nested(EmployeeSummarySchema)


class DecisionSchema(Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(["approve", "reject"]))
    note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000),
                            metadata={"description": "Required to reject"})


class AuditRecordSchema(Schema):
    id = ma.fields.Integer()
    at = BangkokDateTime()
    actor_id = ma.fields.Integer(allow_none=True, metadata={"description": "null: the system"})
    action = ma.fields.String()
    before = ma.fields.Dict(allow_none=True)
    after = ma.fields.Dict(allow_none=True)
    request_id = ma.fields.String(allow_none=True)


class PointSchema(Schema):
    type = ma.fields.String()
    coordinates = ma.fields.List(ma.fields.Float())


class PolicySchema(Schema):
    sign_required = ma.fields.String(metadata={"description": "drift: the sign is the fallback; always: every time"})
    display_sign_only = ma.fields.Boolean(metadata={"description": "Only a screen's rotating code counts on the "
                                                                   "photo path"})
    photo_max_distance_m = ma.fields.Float()
    photo_max_radius_m = ma.fields.Float()
    face_tolerance_inside = ma.fields.Float()
    face_tolerance_photo = ma.fields.Float()


class EvidenceSchema(Schema):
    checkin_id = ma.fields.Integer()
    site = ma.fields.Nested(SiteRefSchema, allow_none=True)
    fence = ma.fields.Dict(allow_none=True, metadata={
        "description": "The site's fence the decision used, as a GeoJSON Feature (properties: version, valid_from)"})
    policy = ma.fields.Nested(PolicySchema, allow_none=True, metadata={
        "description": "The site's evidence policy the decision applied (that of the fence's version)"})
    point = ma.fields.Nested(PointSchema, allow_none=True)
    accuracy_radius_95_m = ma.fields.Float(allow_none=True)
    distance_m = ma.fields.Float(allow_none=True)
    face = ma.fields.Nested(FaceResultSchema)
    sign = ma.fields.Nested(SignResultSchema)
    reasons = ma.fields.List(ma.fields.Nested(ReasonMessageSchema))
    selfie_url = ma.fields.String()
    enrolled_thumbnail_urls = ma.fields.List(ma.fields.String())
