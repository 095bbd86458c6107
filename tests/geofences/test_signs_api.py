"""Signs over HTTP: creation, posters (PNG and A4 PDF), revocation, the display page."""

import io

from PIL import Image

from checkin.verification.qr import find_qr_texts
from tests.support.api import assert_error


def create(client, admin, site, **body):
    response = client.post(f"/api/v1/sites/{site}/signs", json=body, headers=admin["headers"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_poster_png_is_a4_with_a_readable_signed_qr(client, make):
    admin, site = make.user("admin"), make.site()
    sign = create(client, admin, site, label="ประตูทางเข้า อาคาร 1")
    assert sign["label"] == "ประตูทางเข้า อาคาร 1" and sign["revoked_at"] is None and sign["display_url"] is None
    png = client.get(sign["poster_png_url"], headers=admin["headers"])
    poster = Image.open(io.BytesIO(png.data))
    assert poster.size == (1240, 1754)  # A4 at 150 dpi
    texts = find_qr_texts(poster)
    assert len(texts) == 1 and texts[0].startswith(f"ETK1.{sign['id']}.")
    assert len(texts[0]) <= 30  # compact: a 25 x 25 QR


def test_poster_pdf_is_one_a4_page(client, make):
    admin, site = make.user("admin"), make.site()
    sign = create(client, admin, site)
    pdf = client.get(sign["poster_pdf_url"], headers=admin["headers"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.2 841.92 ]" in pdf.data  # A4 in points


def test_listing_and_revoking(client, make):
    admin, site = make.user("admin"), make.site()
    first, second = create(client, admin, site), create(client, admin, site)
    assert client.delete(f"/api/v1/sites/{site}/signs/{first['id']}", headers=admin["headers"]).status_code == 204
    listed = client.get(f"/api/v1/sites/{site}/signs", headers=admin["headers"]).get_json()
    assert [(item["id"], item["revoked_at"] is not None) for item in listed] == [(first["id"], True),
                                                                                 (second["id"], False)]
    assert_error(client.get(first["poster_png_url"], headers=admin["headers"]), 410, "SIGN_REVOKED")


def test_a_sign_is_addressed_through_its_own_site(client, make):
    admin = make.user("admin")
    site, other = make.site(), make.site()
    sign = create(client, admin, site)
    assert_error(client.get(f"/api/v1/sites/{other}/signs/{sign['id']}", headers=admin["headers"]), 404)
    assert_error(client.post("/api/v1/sites/999999/signs", json={}, headers=admin["headers"]), 404)
    assert_error(client.post(f"/api/v1/sites/{site}/signs", json={"kind": "neon"}, headers=admin["headers"]), 422)


def test_display_page_needs_its_token_and_refreshes_without_script(client, make):
    admin, site = make.user("admin"), make.site()
    sign = create(client, admin, site, kind="display")
    assert sign["poster_png_url"] is None
    page = client.get(sign["display_url"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert 'http-equiv="refresh"' in html and "<script" not in html
    assert "ที่ทำการทดสอบ" in html  # the site's Thai name

    wrong = sign["display_url"].split("token=")[0] + "token=" + "0" * 32
    assert_error(client.get(wrong), 403, "DISPLAY_TOKEN_INVALID")
    assert_error(client.get(f"/signs/{sign['id']}/display"), 422)
    display_poster = f"/api/v1/sites/{site}/signs/{sign['id']}/poster.png"
    assert_error(client.get(display_poster, headers=admin["headers"]), 400)

    client.delete(f"/api/v1/sites/{site}/signs/{sign['id']}", headers=admin["headers"])
    assert_error(client.get(sign["display_url"]), 410, "SIGN_REVOKED")
