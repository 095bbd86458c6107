import marshmallow as ma

from ..api import BangkokDateTime, Schema, Upload


class EnrollmentFormSchema(Schema):
    photo = ma.fields.List(Upload(), required=True, validate=ma.validate.Length(1, 5), metadata={
        "description": "A photo of the employee alone, face visible; repeat the part for several photos "
                       "(other days, with and without glasses), at most 5 faces in all"})
    consent = ma.fields.Boolean(required=True, metadata={
        "description": "The employee's explicit, separate consent to biometric processing (PDPA s. 26)"})


class EnrollmentSchema(Schema):
    id = ma.fields.Integer()
    employee_id = ma.fields.Integer()
    consent_recorded_by_id = ma.fields.Integer(allow_none=True, metadata={"description": "User who recorded consent"})
    consent_at = BangkokDateTime()
    source = ma.fields.String()
    created_at = BangkokDateTime()
    thumbnail_url = ma.fields.String()
