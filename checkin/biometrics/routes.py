from flask import url_for
from flask.views import MethodView

from ..accounts.auth import current_user
from ..accounts.roles import ADMIN, HR
from ..api import Blueprint
from ..audit.files import audited_file
from ..database import db
from ..errors import NotFound
from ..org.service import get_employee
from ..privacy.erasure import erase_faces
from . import service
from .models import FaceEnrollment
from .schemas import EnrollmentFormSchema, EnrollmentSchema

blp = Blueprint("faces", __name__, url_prefix="/api/v1",
                description="Enrolled faces: biometric data, kept only with consent")


def enrollment_view(enrollment: FaceEnrollment) -> dict:
    return {
        "id": enrollment.id, "employee_id": enrollment.employee_id,
        "consent_recorded_by_id": enrollment.consent_recorded_by_id, "consent_at": enrollment.consent_at,
        "source": enrollment.source, "created_at": enrollment.created_at,
        "thumbnail_url": url_for("faces.FaceThumbnail", employee_id=enrollment.employee_id, face_id=enrollment.id),
    }


@blp.route("/employees/<int:employee_id>/faces")
class EmployeeFaces(MethodView):
    @blp.login_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, EnrollmentSchema(many=True))
    def get(self, employee_id):
        """List an employee's enrolled faces (admin, HR, or the employee themself)"""
        employee = get_employee(employee_id)
        return [enrollment_view(enrollment) for enrollment in service.list_faces(current_user(), employee)]

    @blp.login_required(ADMIN, HR)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.arguments(EnrollmentFormSchema, location="multipart")
    @blp.response(201, EnrollmentSchema(many=True))
    def post(self, form, employee_id):
        """Enrol faces from one or more photos, all or none, with the employee's recorded consent (at most 5)"""
        enrollments = service.enroll_faces(get_employee(employee_id), [photo.read() for photo in form["photo"]],
                                           consent=form["consent"], recorded_by_id=current_user().id, source="api")
        db.session.commit()
        return [enrollment_view(enrollment) for enrollment in enrollments]

    @blp.login_required(ADMIN, HR)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(204)
    def delete(self, employee_id):
        """Erase every face encoding and thumbnail of the employee (attendance stays)"""
        erase_faces(get_employee(employee_id), current_user().id)
        db.session.commit()


@blp.route("/employees/<int:employee_id>/faces/<int:face_id>/thumbnail.jpg")
class FaceThumbnail(MethodView):
    @blp.login_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, content_type="image/jpeg")
    def get(self, employee_id, face_id):
        """The enrolled face's thumbnail (admin, HR, the employee's supervisors, the employee)"""
        viewer = current_user()
        enrollment = service.get_visible_face(viewer, employee_id, face_id)
        response = audited_file(enrollment.thumbnail_sha256, service.THUMBNAIL_EXTENSION, "image/jpeg", viewer=viewer,
                                action="face.viewed", entity_type="employee", entity_id=employee_id,
                                after={"face_id": face_id},
                                missing=NotFound("The thumbnail is missing from storage."))
        db.session.commit()
        return response
