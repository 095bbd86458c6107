"""Hostile images: the corpus of tests/support/hostile_corpus.py (generated, no binary fixtures),
posted as a check-in selfie and as an enrollment photo. Every item gets a clean 4xx in the one
error shape within a second, with bounded memory, nothing written to storage and no row stored;
real photos are still taken.

The deferred path (GPS accepts, so the photo check is queued and the request only proves the
photo whole at 1/8 scale) must refuse exactly what the full path refuses.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.support.api import assert_error, post_checkin
from tests.support.faces import face_photo
from tests.support.hostile_corpus import ACCEPTED, CONCEALED_DAMAGE, HOSTILE, corpus_item, encode, heic, photo
from tests.support.measuring import Measured
from tests.support.processes import another_process

MAX_SECONDS = 1.0
MAX_GROWTH_MB = 100


def storage_files(app) -> set[Path]:
    return {path for path in Path(app.config["STORAGE_DIR"]).rglob("*") if path.is_file()}


# ---------------------------------------------------------------- the three ways a photo comes in

@pytest.fixture(scope="module")
def deferred_app(app):
    """The app as deployed with a worker: a check-in GPS accepts only has its photo proven whole
    (decode_image(preview=False), a JPEG at 1/8 scale) and its photo check queued."""
    return another_process(app, CELERY_BROKER_URL="redis://127.0.0.1:1/0")


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Check-ins sent to the (absent) workers, recorded instead of sent."""
    from checkin.checkins import tasks

    sent: list[int] = []
    monkeypatch.setattr(tasks, "enqueue_verification", lambda checkin_id: sent.append(checkin_id) or True)
    return sent


def way_in(route: str, app, deferred_app, make):
    """(post(data) -> response, the form field, list() -> what the API lists afterwards)."""
    client = app.test_client()
    if route in ("checkin", "checkin-deferred"):
        employee = make.staff()  # inside the geofence: GPS accepts, so the deferred app defers
        used = client if route == "checkin" else deferred_app.test_client()

        def post(data):
            return post_checkin(used, employee, selfie=(io.BytesIO(data), "selfie.jpg", "image/jpeg"))
        return post, "selfie", lambda: client.get("/api/v1/checkins", headers=employee["headers"]).get_json()

    admin, employee_id = make.user("admin"), make.staff()["employee_id"]

    def post(data):
        return client.post(f"/api/v1/employees/{employee_id}/faces", headers=admin["headers"],
                           data={"photo": (io.BytesIO(data), "face.jpg"), "consent": "true"},
                           content_type="multipart/form-data")
    return post, "photo", lambda: client.get(f"/api/v1/employees/{employee_id}/faces",
                                             headers=admin["headers"]).get_json()


ROUTES = ["checkin", "checkin-deferred", "enrollment"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_upload_gets_a_clean_4xx_fast_with_bounded_memory_and_nothing_stored(
        app, deferred_app, make, queued, name, route):
    data = corpus_item(name)
    _, status, reason = HOSTILE[name]
    post, field, listing = way_in(route, app, deferred_app, make)
    stored_before = storage_files(app)
    with Measured() as cost:
        response = post(data)
    body = assert_error(response, status, reason)
    assert field in body["errors"], body
    assert cost.seconds < MAX_SECONDS, f"{name}: {cost.seconds:.2f} s"
    assert cost.grown_mb < MAX_GROWTH_MB, f"{name}: peak memory grew {cost.grown_mb:.0f} MB"
    assert storage_files(app) == stored_before
    assert listing() == [] and queued == []


@pytest.mark.parametrize("route", ["checkin", "checkin-deferred"])
@pytest.mark.parametrize("name", list(ACCEPTED))
def test_real_photos_are_still_taken_as_selfies(app, deferred_app, make, queued, name, route):
    post, _, listing = way_in(route, app, deferred_app, make)
    data = corpus_item(name)  # built (encoded) outside the measured time
    with Measured() as cost:
        response = post(data)
    assert response.status_code == 201, response.get_json()
    assert cost.seconds < MAX_SECONDS
    body = response.get_json()
    assert [item["id"] for item in listing()] == [body["id"]]
    # the deferred app really took the preview=False path: the photo check was queued
    assert (body["verification"] == "queued") == (route == "checkin-deferred")
    assert queued == ([body["id"]] if route == "checkin-deferred" else [])


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "HEIF"])
def test_a_face_photo_is_still_enrolled_from_jpeg_png_and_heic(app, deferred_app, make, fmt):
    face = Image.open(io.BytesIO(face_photo("obama/obama_2.jpg"))).convert("RGB")
    post, _, listing = way_in("enrollment", app, deferred_app, make)
    response = post(heic(face) if fmt == "HEIF" else encode(face, fmt))
    assert response.status_code == 201, response.get_json()
    assert [item["id"] for item in listing()] == [item["id"] for item in response.get_json()]


@pytest.mark.parametrize("name", list(CONCEALED_DAMAGE))
def test_damage_the_codec_conceals_is_answered_never_a_500(app, deferred_app, make, name):
    post, _, _ = way_in("checkin", app, deferred_app, make)
    data = corpus_item(name)  # built (encoded) outside the measured time
    with Measured() as cost:
        response = post(data)
    assert response.status_code == 201, response.get_json()
    assert cost.seconds < MAX_SECONDS


def test_a_queued_selfie_todays_rules_refuse_is_flagged_for_a_person_not_retried_forever(
        app, deferred_app, make, queued, monkeypatch):
    """A selfie queued before a stricter rule (or damaged on disk since) reaches the worker's
    full decode and is refused there: the check-in is flagged PHOTO_UNREADABLE and leaves the queue."""
    post, _, listing = way_in("checkin-deferred", app, deferred_app, make)
    before = storage_files(app)
    body = post(encode(photo(seed=7), "JPEG", quality=85)).get_json()  # bytes no other test stores
    assert body["verification"] == "queued"
    (stored,) = storage_files(app) - before
    stored.write_bytes(corpus_item("jpeg-cmyk"))  # what the worker now finds

    monkeypatch.undo()  # the real enqueue_verification again
    result = app.test_cli_runner().invoke(args=["requeue-verifications", "--older-than", "0"])  # no broker: checked here and now
    assert result.exit_code == 0, result.output
    (after,) = listing()
    assert (after["status"], after["verification"]) == ("flagged", "done")
    assert after["reasons"][-1] == "PHOTO_UNREADABLE"
    admin = make.user("admin")
    trail = app.test_client().get(f"/api/v1/checkins/{body['id']}/audit", headers=admin["headers"]).get_json()
    assert trail[-1]["action"] == "checkin.verified"
    assert trail[-1]["after"]["image_error"] == "IMAGE_COLOR_MODE"
    # nothing is left for the next sweep
    assert app.test_cli_runner().invoke(args=["requeue-verifications", "--older-than", "0"]).output.strip() == "Re-queued 0 photo checks."
