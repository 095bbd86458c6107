"""The two web pages: /app for employees (installable, works offline) and /review for
supervisors. Plain HTML, CSS and JavaScript served from this package: no CDN, no external
fonts or map tiles, so they work on a closed network. Data comes from the JSON API."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import fontpkg_sarabun
from flask import Blueprint, Response, send_from_directory
from PIL import Image, ImageDraw, ImageFont

STATIC = Path(__file__).parent / "static"
FONTS = Path(fontpkg_sarabun.__file__).parent / "files"

blp = Blueprint("web", __name__)


def _page(name: str) -> Response:
    response = send_from_directory(STATIC, name, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/app")
def employee_app():
    return _page("app.html")


@blp.get("/review")
def review_page():
    return _page("review.html")


@blp.get("/web/<path:filename>")
def asset(filename: str):
    return send_from_directory(STATIC, filename)


@blp.get("/web/fonts/<any('Sarabun-Regular.ttf', 'Sarabun-SemiBold.ttf'):filename>")
def font(filename: str):
    return send_from_directory(FONTS, filename, mimetype="font/ttf", max_age=86400)


@blp.get("/app/sw.js")
def service_worker():
    """Served under /app/ so that its scope is the employee page."""
    response = send_from_directory(STATIC, "sw.js", mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/app"  # its default scope, /app/, misses /app
    return response


@blp.get("/app/manifest.webmanifest")
def manifest():
    return send_from_directory(STATIC, "manifest.webmanifest", mimetype="application/manifest+json")


@blp.get("/app/icon-<any('192', '512'):size>.png")
def icon(size: str):
    return Response(_icon_png(int(size)), mimetype="image/png", headers={"Cache-Control": "max-age=86400"})


@lru_cache(maxsize=2)
def _icon_png(size: int) -> bytes:
    """The app icon: 'ลงเวลา' on the BMA green, drawn once per size."""
    image = Image.new("RGB", (size, size), (0, 112, 74))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONTS / "Sarabun-SemiBold.ttf"), size // 4, layout_engine=ImageFont.Layout.RAQM)
    draw.text((size / 2, size / 2), "ลงเวลา", font=font, fill="white", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
