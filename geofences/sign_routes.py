"""Signs at sites (admin), their posters, and the page a check-in screen shows."""

import io

from flask import Response, url_for
from flask.views import MethodView
from markupsafe import escape

from checkin.accounts.auth import current_user
from checkin.accounts.roles import ADMIN
from checkin.api import BINARY, Blueprint
from checkin.database import db, utcnow
from checkin.errors import DomainError

from . import signs
from .models import Sign
from .posters import poster_bytes, render_poster
from .schemas import DisplayQuerySchema, SignCreateSchema, SignSchema
from .sign_codes import DISPLAY_STEP_SECONDS, render_qr
from .service import get_site

blp = Blueprint("signs", __name__, url_prefix="/api/v1", description="QR signs at check-in sites")
display_blp = Blueprint("sign_display", __name__, url_prefix="/signs",
                        description="The page a check-in screen shows (opened with its display token)")


def sign_view(sign: Sign) -> dict:
    printed = sign.kind == "printed"
    poster = "signs.SignPoster" if printed else None
    return {
        "id": sign.id, "site_id": sign.site_id, "kind": sign.kind, "label": sign.label,
        "created_at": sign.created_at, "revoked_at": sign.revoked_at,
        "poster_png_url": url_for(poster, site_id=sign.site_id, sign_id=sign.id, fmt="png") if poster else None,
        "poster_pdf_url": url_for(poster, site_id=sign.site_id, sign_id=sign.id, fmt="pdf") if poster else None,
        "display_url": None if printed else url_for(
            "sign_display.SignDisplay", sign_id=sign.id, token=signs.display_token(sign)),
    }


@blp.route("/sites/<int:site_id>/signs")
class SiteSigns(MethodView):
    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, SignSchema(many=True))
    def get(self, site_id):
        """List a site's signs, revoked ones included"""
        return [sign_view(sign) for sign in signs.list_signs(get_site(site_id))]

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.arguments(SignCreateSchema)
    @blp.response(201, SignSchema)
    def post(self, data, site_id):
        """Create a sign whose QR payload the server signs"""
        sign = signs.create_sign(get_site(site_id), data["kind"], data["label"], current_user().id)
        db.session.commit()
        return sign_view(sign)


@blp.route("/sites/<int:site_id>/signs/<int:sign_id>")
class SiteSignById(MethodView):
    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, SignSchema)
    def get(self, site_id, sign_id):
        """Get a sign"""
        return sign_view(signs.get_sign(site_id, sign_id))

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(204)
    def delete(self, site_id, sign_id):
        """Revoke a sign: photos of it give SIGN_REVOKED from now on"""
        signs.revoke_sign(signs.get_sign(site_id, sign_id), current_user().id)
        db.session.commit()


@blp.route("/sites/<int:site_id>/signs/<int:sign_id>/poster.<any(png, pdf):fmt>")
class SignPoster(MethodView):
    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(400, response="BAD_REQUEST")  # a display sign has no poster
    @blp.alt_response(410, response="GONE")
    @blp.response(200, BINARY, content_type="application/pdf")
    @blp.alt_response(200, schema=BINARY, content_type="image/png", success=True)
    def get(self, site_id, sign_id, fmt):
        """Printable A4 poster of a printed sign, as PNG or PDF"""
        sign = signs.get_sign(site_id, sign_id)
        if sign.revoked_at is not None:
            raise signs.SignRevoked("This sign is revoked; create a new one.", reason="SIGN_REVOKED")
        if sign.kind != "printed":
            raise DomainError("A display sign has no poster; open its display page on the screen.")
        poster = render_poster(sign.site.name, sign.site.code, sign.id, signs.current_payload(sign, utcnow()))
        mimetype = "application/pdf" if fmt == "pdf" else "image/png"
        filename = f"sign-{sign.id}-{sign.site.code}.{fmt}"
        return Response(poster_bytes(poster, fmt), mimetype=mimetype,
                        headers={"Content-Disposition": f'inline; filename="{filename}"'})


@display_blp.route("/<int:sign_id>/display")
class SignDisplay(MethodView):
    @display_blp.arguments(DisplayQuerySchema, location="query")
    @display_blp.response(200, {"type": "string"}, content_type="text/html")
    @display_blp.alt_response(403, response="FORBIDDEN")
    @display_blp.alt_response(404, response="NOT_FOUND")
    @display_blp.alt_response(410, response="GONE")
    def get(self, query, sign_id):
        """Full-screen page with the rotating QR; reloads itself, no script needed"""
        sign = signs.display_sign(sign_id, query["token"])
        image_url = url_for("sign_display.SignDisplayImage", sign_id=sign.id, token=query["token"])
        refresh = DISPLAY_STEP_SECONDS // 3
        html = f"""<!doctype html>
<html lang="th"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{refresh}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>จุดลงเวลา · {escape(sign.site.name)}</title>
<link rel="stylesheet" href="{url_for('web.asset', filename='sign-display.css')}"></head>
<body><h1>{escape(sign.site.name)}</h1><img src="{escape(image_url)}" alt="QR">
<p>ถ่ายภาพตนเองให้เห็นใบหน้าและรหัสนี้ · Take your selfie with this code</p></body></html>"""
        return Response(html, mimetype="text/html", headers={"Cache-Control": "no-store"})


@display_blp.route("/<int:sign_id>/display/qr.png")
class SignDisplayImage(MethodView):
    @display_blp.arguments(DisplayQuerySchema, location="query")
    @display_blp.response(200, BINARY, content_type="image/png")
    @display_blp.alt_response(403, response="FORBIDDEN")
    @display_blp.alt_response(404, response="NOT_FOUND")
    @display_blp.alt_response(410, response="GONE")
    def get(self, query, sign_id):
        """The QR for the current time step"""
        sign = signs.display_sign(sign_id, query["token"])
        buffer = io.BytesIO()
        render_qr(signs.current_payload(sign, utcnow()), 16).save(buffer, "PNG")
        return Response(buffer.getvalue(), mimetype="image/png", headers={"Cache-Control": "no-store"})
