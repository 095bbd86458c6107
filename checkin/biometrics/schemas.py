import marshmallow as ma

from ..api import BangkokDateTime, Schema


class EnrollmentFormSchema(Schema):
    photo = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                                    "description": "A photo of the employee alone, face visible"})
    consent = ma.fields.Boolean(required=True, metadata={
        "description": "The employee's explicit, separate consent to biometric processing (PDPA s. 26)"})

    @ma.validates("photo")
    def validate_photo(self, value, **_kwargs):
        if not hasattr(value, "stream"):
            raise ma.ValidationError("photo must be an uploaded file.")


class EnrollmentSchema(Schema):
    id = ma.fields.Integer()
    employee_id = ma.fields.Integer()
    consent_recorded_by_id = ma.fields.Integer(allow_none=True, metadata={"description": "User who recorded consent"})
    consent_at = BangkokDateTime()
    source = ma.fields.String()
    created_at = BangkokDateTime()
    thumbnail_url = ma.fields.String()
