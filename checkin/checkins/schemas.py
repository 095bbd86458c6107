import marshmallow as ma

from geofences.schemas import SiteRefSchema

from ..api import BangkokDateTime, Id, Instant, Schema, Upload


class CheckinFormSchema(Schema):
    """The multipart form a phone posts. A missing or (0, 0) position means "no fix"."""

    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["in", "out"]))
    latitude = ma.fields.Float(validate=ma.validate.Range(-90, 90))
    longitude = ma.fields.Float(validate=ma.validate.Range(-180, 180))
    accuracy_m = ma.fields.Float(
        validate=ma.validate.Range(0, 100_000, min_inclusive=False),
        metadata={"description": "Horizontal accuracy radius in metres, as the device reports it"},
    )
    accuracy_confidence = ma.fields.Integer(
        load_default=68, validate=ma.validate.OneOf([68, 95]),
        metadata={"description": "68 for Android/iOS (the default), 95 for browsers"},
    )
    captured_at = Instant(
        required=True, metadata={"description": "Device time of capture, ISO 8601 with offset"}
    )
    sent_at = Instant(metadata={
        "description": "Device time the phone sent this check-in (an app's offline queue sends it later than "
                       "captured_at): a late send with a right clock is SENT_LATE, not CLOCK_SKEW"})
    position_at = Instant(metadata={
        "description": "Device time the position fix was taken, ISO 8601 with offset (a fix more than "
                       "2 minutes older than captured_at is flagged STALE_POSITION)"})
    client_event_id = ma.fields.UUID(required=True, metadata={"description": "Idempotency key"})
    mock_location = ma.fields.Boolean(load_default=None, allow_none=True)
    device_id = ma.fields.String(load_default=None, validate=ma.validate.Length(1, 128))
    selfie = Upload(required=True, metadata={"description": "JPEG, PNG or HEIC, at most 10 MB"})

    @ma.validates_schema
    def validate_fix(self, data, **_kwargs):
        has_position = [name in data for name in ("latitude", "longitude")]
        if any(has_position) and not all(has_position):
            raise ma.ValidationError("Send both latitude and longitude, or neither.", "latitude")
        if all(has_position) and "accuracy_m" not in data:
            raise ma.ValidationError("accuracy_m is required with a position.", "accuracy_m")
        if "position_at" in data and not all(has_position):
            raise ma.ValidationError("position_at belongs to a position; send latitude and longitude too.",
                                     "position_at")


class ReasonMessageSchema(Schema):
    code = ma.fields.String()
    th = ma.fields.String()
    en = ma.fields.String()


class FaceReferenceSchema(Schema):
    kind = ma.fields.String(metadata={"description": "enrolled: an enrolled face; selfie: a recent verified "
                                                     "check-in selfie of the same employee"})
    id = ma.fields.Integer(metadata={"description": "The face id (enrolled) or the check-in id (selfie)"})


class FaceResultSchema(Schema):
    checked = ma.fields.Boolean(metadata={"description": "False when the employee has no enrolled face"})
    matched = ma.fields.Boolean(allow_none=True)
    distance = ma.fields.Float(allow_none=True, metadata={"description": "To the nearest reference face"})
    tolerance = ma.fields.Float(allow_none=True, metadata={
        "description": "The distance up to which the face matched here: the site's inside tolerance when GPS "
                       "placed the person, its strict photo tolerance when the photo decided"})
    reference = ma.fields.Nested(FaceReferenceSchema, allow_none=True, metadata={
        "description": "The reference that was nearest"})


class SignResultSchema(Schema):
    found = ma.fields.Boolean(metadata={"description": "A QR code of a sign was in the photo"})
    matched = ma.fields.Boolean(metadata={"description": "A valid sign of one of the employee's sites"})
    sign_id = ma.fields.Integer(allow_none=True)


class ReviewResultSchema(Schema):
    decision = ma.fields.String(metadata={"description": "approve | reject"})
    reviewed_by_id = ma.fields.Integer()
    reviewed_at = BangkokDateTime()
    note = ma.fields.String(allow_none=True)


class CheckinSchema(Schema):
    id = ma.fields.Integer()
    client_event_id = ma.fields.String()
    employee_id = ma.fields.Integer()
    kind = ma.fields.String()
    status = ma.fields.String(metadata={"description": "accepted | flagged | rejected"})
    method = ma.fields.String(allow_none=True, metadata={"description": "gps | photo | null"})
    site = ma.fields.Nested(SiteRefSchema, allow_none=True)
    distance_m = ma.fields.Float(allow_none=True, metadata={"description": "Geodesic metres to the fence"})
    latitude = ma.fields.Float(allow_none=True)
    longitude = ma.fields.Float(allow_none=True)
    accuracy_m = ma.fields.Float(allow_none=True)
    accuracy_confidence = ma.fields.Integer()
    mock_location = ma.fields.Boolean(allow_none=True)
    device_id = ma.fields.String(allow_none=True)
    reasons = ma.fields.List(ma.fields.String())
    face = ma.fields.Nested(FaceResultSchema)
    sign = ma.fields.Nested(SignResultSchema)
    verification = ma.fields.String(allow_none=True, metadata={
        "description": "queued: accepted by GPS, the photo check runs on a worker and may still flag it"})
    review = ma.fields.Nested(ReviewResultSchema, allow_none=True, metadata={"description": "null until reviewed"})
    messages = ma.fields.List(ma.fields.Nested(ReasonMessageSchema),
                              metadata={"description": "The reasons in Thai and English"})
    captured_at = BangkokDateTime()
    position_at = BangkokDateTime(allow_none=True)
    sent_at = BangkokDateTime(allow_none=True)
    received_at = BangkokDateTime()


class CheckinQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    from_ = Instant(data_key="from", metadata={"description": "received at or after"})
    to = Instant(metadata={"description": "received before"})
    status = ma.fields.String(validate=ma.validate.OneOf(["accepted", "flagged", "rejected"]))
    employee_id = Id()



class SiteOutlinePropertiesSchema(Schema):
    code = ma.fields.String()
    name = ma.fields.String()


class SiteOutlineSchema(Schema):
    type = ma.fields.String()
    id = ma.fields.Integer()
    geometry = ma.fields.Dict(metadata={"description": "GeoJSON Polygon or MultiPolygon, [longitude, latitude]"})
    properties = ma.fields.Nested(SiteOutlinePropertiesSchema)


class SiteOutlineCollectionSchema(Schema):
    type = ma.fields.String()
    features = ma.fields.List(ma.fields.Nested(SiteOutlineSchema))
