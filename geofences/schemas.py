import marshmallow as ma

from checkin.api import BangkokDateTime, Schema

from . import policy as P
from .geometry import GeometryError, parse_fence_geometry

DEFAULT_DRIFT_TOLERANCE_M = 50.0
DEFAULT_MAX_ACCURACY_M = 100.0


class SitePropertiesSchema(Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[A-Za-z0-9._-]{1,32}$"))
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))
    drift_tolerance_m = ma.fields.Float(
        load_default=DEFAULT_DRIFT_TOLERANCE_M, validate=ma.validate.Range(0, 1000),
        metadata={"description": "Metres beyond the fence still treated as GPS drift (photo check)"},
    )
    max_accuracy_m = ma.fields.Float(
        load_default=DEFAULT_MAX_ACCURACY_M, validate=ma.validate.Range(1, 5000),
        metadata={"description": "Largest 95 % accuracy radius accepted by GPS alone"},
    )
    photo_max_distance_m = ma.fields.Float(
        load_default=P.DEFAULT_PHOTO_MAX_DISTANCE_M, validate=ma.validate.Range(*P.PHOTO_LIMIT_RANGE_M),
        metadata={"description": "Farthest from the fence (metres) a photo may still rescue a drifting fix"},
    )
    photo_max_radius_m = ma.fields.Float(
        load_default=P.DEFAULT_PHOTO_MAX_RADIUS_M, validate=ma.validate.Range(*P.PHOTO_LIMIT_RANGE_M),
        metadata={"description": "Largest 95 % accuracy radius a photo may still rescue; beyond, LOW_ACCURACY"},
    )
    face_tolerance_inside = ma.fields.Float(
        load_default=P.DEFAULT_FACE_TOLERANCE_INSIDE, validate=ma.validate.Range(*P.FACE_TOLERANCE_RANGE),
        metadata={"description": "Face distance that confirms the person inside the fence with a good fix"},
    )
    face_tolerance_photo = ma.fields.Float(
        load_default=P.DEFAULT_FACE_TOLERANCE_PHOTO, validate=ma.validate.Range(*P.FACE_TOLERANCE_RANGE),
        metadata={"description": "Face distance with which the photo alone decides (GPS drift); strictest"},
    )
    sign_required = ma.fields.String(
        load_default=P.SIGN_ON_DRIFT, validate=ma.validate.OneOf(P.SIGN_REQUIRED_CHOICES),
        metadata={"description": "drift: the sign is the fallback when GPS drifts; always: every check-in shows it"},
    )
    display_sign_only = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "On the photo path only a screen's rotating code counts, not a printed poster"},
    )

    @ma.validates_schema
    def validate_face_tolerances(self, data, **_kwargs):
        if data.get("face_tolerance_photo", 0) > data.get("face_tolerance_inside", 1):
            raise ma.ValidationError("face_tolerance_photo (the photo alone decides) may not be looser than "
                                     "face_tolerance_inside.", "face_tolerance_photo")


class SiteFeatureSchema(Schema):
    """A site as a GeoJSON Feature (RFC 7946): geometry in [longitude, latitude] order."""

    type = ma.fields.String(required=True, validate=ma.validate.Equal("Feature"))
    id = ma.fields.Integer(dump_only=True)
    geometry = ma.fields.Dict(required=True, metadata={"description": "GeoJSON Polygon or MultiPolygon"})
    properties = ma.fields.Nested(SitePropertiesSchema, required=True)

    @ma.validates("geometry")
    def validate_geometry(self, value, **_kwargs):
        try:
            parse_fence_geometry(value)
        except GeometryError as error:
            raise ma.ValidationError(str(error)) from None


class SiteCollectionSchema(Schema):
    type = ma.fields.String(required=True, validate=ma.validate.Equal("FeatureCollection"))
    features = ma.fields.List(ma.fields.Nested(SiteFeatureSchema), required=True)


class SiteRefSchema(Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()


class SignCreateSchema(Schema):
    kind = ma.fields.String(load_default="printed", validate=ma.validate.OneOf(["printed", "display"]),
                            metadata={"description": "printed: a poster; display: a screen with a rotating code"})
    label = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=255),
                             metadata={"description": "Where it hangs, e.g. 'ประตูทางเข้า อาคาร 1'"})


class SignSchema(Schema):
    id = ma.fields.Integer()
    site_id = ma.fields.Integer()
    kind = ma.fields.String()
    label = ma.fields.String(allow_none=True)
    created_at = BangkokDateTime()
    revoked_at = BangkokDateTime(allow_none=True)
    poster_png_url = ma.fields.String(allow_none=True)
    poster_pdf_url = ma.fields.String(allow_none=True)
    display_url = ma.fields.String(allow_none=True, metadata={"description": "For the screen; keep it private"})


class DisplayQuerySchema(Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(32, 32))
