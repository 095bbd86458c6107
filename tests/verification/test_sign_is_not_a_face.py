"""The sign is never a face: a face box centred on a decoded QR code's poster area is dropped
before the face is chosen (a QR or a picture on the poster was taken for a second face)."""

from checkin.verification.evidence import examine_selfie
from checkin.verification.faces import analyse_faces
from checkin.verification.images import decode_image
from geofences.sign_codes import make_payload, render_qr
from tests.support.selfies import jpeg, upright

LIMITS = {"max_bytes": 20_000_000, "max_pixels": 50_000_000}
# The smallest of the three faces in the group photo, in its full-resolution pixels.
SMALL_FACE_LEFT, SMALL_FACE_MIDDLE_Y = 1603, 1134


def group_photo_with_a_sign_beside_the_small_face() -> bytes:
    photo = upright("group/obama_and_biden.jpg")
    sign = render_qr(make_payload(b"k" * 32, 7), 10).convert("RGB")
    photo.paste(sign, (SMALL_FACE_LEFT - sign.width + 20, SMALL_FACE_MIDDLE_Y - sign.height // 2))
    return jpeg(photo)


def test_a_face_on_the_signs_poster_area_is_dropped_and_the_others_kept():
    image = decode_image(group_photo_with_a_sign_beside_the_small_face(), **LIMITS)
    assert len(analyse_faces(image.preview)) == 3  # the detector alone counts the face by the sign

    evidence = examine_selfie(group_photo_with_a_sign_beside_the_small_face(), image, look_for_faces=True)
    assert evidence.qr_texts == [make_payload(b"k" * 32, 7)]
    assert len(evidence.faces) == 2
    sign_box = evidence.qr_codes[0].box
    assert all(face.box[3] < sign_box[0] for face in evidence.faces)  # both left of the sign


def test_without_a_sign_every_face_counts():
    image = decode_image(jpeg(upright("group/obama_and_biden.jpg")), **LIMITS)
    evidence = examine_selfie(jpeg(upright("group/obama_and_biden.jpg")), image, look_for_faces=True)
    assert (evidence.qr_codes, len(evidence.faces)) == ([], 3)
