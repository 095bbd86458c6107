from flask import Response

from ..accounts.auth import current_user
from ..api import Blueprint
from ..database import db
from .export import export_own_data

blp = Blueprint("privacy", __name__, url_prefix="/api/v1", description="Personal data (PDPA)")


@blp.route("/me/export")
@blp.login_required()
@blp.response(200, content_type="application/zip")
def export():
    """Download a copy of all your own data: records, check-ins, leave, audit trail, kept selfies, face thumbnails"""
    archive = export_own_data(current_user())
    db.session.commit()
    return Response(archive, mimetype="application/zip", headers={
        "Content-Disposition": 'attachment; filename="my-data.zip"', "Cache-Control": "private, no-store"})
