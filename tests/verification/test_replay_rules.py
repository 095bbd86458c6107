"""Replay rules (checkin.verification.replay): the poster-masked photo hash, the eye-aligned face
hash, both compared in both orientations, and which of them decides. Pure: synthetic pictures,
except the last tests, which run dlib on the shared face fixtures."""

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps

from checkin.verification.replay import (FACE_PHASH_MAX_DISTANCE, FACE_REUSE_MAX_DISTANCE, PHASH_MAX_DISTANCE,
                                         Earlier, Enrolled, SelfieHashes, eye_centres, face_hash, hamming,
                                         is_near_duplicate, reuses_enrolled_photo, selfie_hashes)
from tests.support.faces import face_photo
from tests.support.replay_inputs import encoding, flip_bits, picture, reencoded, shifted


def mirrored_box(box, width: int):
    left, top, right, bottom = box
    return width - right, top, width - left, bottom


def mirrored_eyes(eyes, width: int):
    return tuple((width - 1 - x, y) for x, y in eyes)


# A "face": a smooth picture with two dark eyes, asymmetric enough for a mirror to matter.
FACE_EYES = ((130.0, 110.0), (190.0, 112.0))


def face_picture(seed: int) -> Image.Image:
    image = picture(seed)
    draw = ImageDraw.Draw(image)
    for x, y in FACE_EYES:
        draw.ellipse((x - 9, y - 6, x + 9, y + 6), fill=(20, 20, 20))
    draw.rectangle((150, 150, 200, 160), fill=(120, 30, 30))  # a mouth, off centre
    return image


# --- the limits --------------------------------------------------------------------------------------

def test_the_limits():
    assert (FACE_PHASH_MAX_DISTANCE, PHASH_MAX_DISTANCE, FACE_REUSE_MAX_DISTANCE) == (10, 4, 0.12)


# --- the photo hash: poster masked, both orientations -------------------------------------------------

POSTER = (150, 20, 310, 220)  # left, top, right, bottom


def at_the_sign(person_seed: int) -> Image.Image:
    """A flat wall, a big black-and-white poster, and a small, different "person" each day."""
    scene = Image.new("RGB", (320, 240), (200, 195, 185))
    draw = ImageDraw.Draw(scene)
    draw.rectangle(POSTER, fill="white")
    for row in range(8):
        for column in range(8):
            if (row * 3 + column * 5) % 4 < 2:
                draw.rectangle((160 + 17 * column, 30 + 17 * row, 176 + 17 * column, 46 + 17 * row), fill="black")
    scene.paste(picture(person_seed, (90, 120)), (30, 80))
    return scene


@pytest.mark.parametrize("day_one, day_two", [(1, 2), (3, 4), (5, 6)])
def test_two_days_at_one_sign_are_near_with_the_poster_and_far_apart_without_it(day_one, day_two):
    one, two = at_the_sign(day_one), at_the_sign(day_two)
    unmasked = hamming(selfie_hashes(one).photo, selfie_hashes(two).photo)
    masked = hamming(selfie_hashes(one, [POSTER]).photo, selfie_hashes(two, [POSTER]).photo)
    assert unmasked <= 8 < masked  # the old rule (<= 8, unmasked) called them duplicates


def test_a_re_encoded_copy_keeps_its_masked_hash_and_a_mirrored_copy_matches_mirrored():
    original = selfie_hashes(at_the_sign(1), [POSTER])
    assert hamming(selfie_hashes(reencoded(at_the_sign(1)), [POSTER]).photo, original.photo) <= PHASH_MAX_DISTANCE
    # The mirror's poster is found at the mirrored place (zxing reads mirrored codes).
    mirror = selfie_hashes(ImageOps.mirror(at_the_sign(1)), [mirrored_box(POSTER, 320)])
    assert hamming(mirror.photo_mirrored, original.photo) <= 2
    assert hamming(mirror.photo, original.photo) > PHASH_MAX_DISTANCE


def test_a_box_reaching_past_the_edges_is_clipped():
    hashes = selfie_hashes(picture(1), [(-50, -50, 100, 100), (300, 200, 500, 400)])
    assert len(hashes.photo) == len(hashes.photo_mirrored) == 16


def test_without_eyes_there_is_no_face_hash():
    hashes = selfie_hashes(picture(1))
    assert hashes.face is None and hashes.face_mirrored is None


# --- the face hash: aligned on the eyes ----------------------------------------------------------------

def test_a_resized_or_cropped_copy_keeps_its_face_hash():
    original = face_hash(face_picture(1), FACE_EYES)
    half = face_picture(1).resize((160, 120), Image.Resampling.BILINEAR)
    assert hamming(face_hash(half, tuple((x / 2, y / 2) for x, y in FACE_EYES)), original) <= 4
    cropped = face_picture(1).crop((40, 30, 300, 230))
    assert hamming(face_hash(cropped, tuple((x - 40, y - 30) for x, y in FACE_EYES)), original) <= 4


def test_a_turned_copy_keeps_its_face_hash():
    original = face_hash(face_picture(1), FACE_EYES)
    angle = np.radians(5)
    turned = face_picture(1).rotate(5, center=(160, 120), resample=Image.Resampling.BICUBIC)

    def turn(x, y):  # Pillow turns counter-clockwise on screen
        dx, dy = x - 160, y - 120
        return 160 + dx * np.cos(angle) + dy * np.sin(angle), 120 - dx * np.sin(angle) + dy * np.cos(angle)
    assert hamming(face_hash(turned, tuple(turn(x, y) for x, y in FACE_EYES)), original) <= 4


def test_a_mirrored_grey_copy_matches_the_face_hash_mirrored_and_either_eye_order_will_do():
    original = selfie_hashes(face_picture(1), eyes=FACE_EYES)
    copy = ImageOps.mirror(face_picture(1)).convert("L")
    mirror = selfie_hashes(copy, eyes=mirrored_eyes(FACE_EYES, 320)[::-1])
    assert mirror.face_mirrored == original.face  # landmarks count pixels: the chip is mirrored exactly
    assert hamming(mirror.face, original.face) > FACE_PHASH_MAX_DISTANCE


def test_different_faces_are_far_apart():
    hashes = [face_hash(face_picture(seed), FACE_EYES) for seed in range(1, 8)]
    assert all(hamming(a, b) > FACE_PHASH_MAX_DISTANCE for i, a in enumerate(hashes) for b in hashes[i + 1:])


def test_eye_centres_average_the_two_corners_of_each_eye():
    landmarks = [(10, 20), (30, 22), (80, 20), (60, 18), (45, 60)]
    assert eye_centres(landmarks) == ((20.0, 21.0), (70.0, 19.0))


# --- is_near_duplicate: which hash decides ------------------------------------------------------------

A_FACE, OTHER_FACE = "f0f0f0f0f0f0f0f0", "0f0f0f0f0f0f0f0f"
A_PHOTO = "8ce3d8b83acbc534"


def new_selfie(photo=A_PHOTO, face=A_FACE, photo_mirrored="0000000000000000", face_mirrored="0000000000000000"):
    return SelfieHashes(photo, photo_mirrored, face, face_mirrored)


@pytest.mark.parametrize("bits, duplicate", [(0, True), (10, True), (12, False)])
def test_with_face_hashes_on_both_sides_the_face_decides(bits, duplicate):
    # The same wall and poster (the photo hashes equal), and the face near or not.
    earlier = Earlier(A_PHOTO, None, flip_bits(A_FACE, bits))
    assert is_near_duplicate(new_selfie(), None, [earlier]) is duplicate


@pytest.mark.parametrize("bits, duplicate", [(0, True), (4, True), (6, False)])
def test_without_a_face_hash_on_either_side_the_masked_photo_hash_decides(bits, duplicate):
    assert is_near_duplicate(new_selfie(face=None, face_mirrored=None), None,
                             [Earlier(flip_bits(A_PHOTO, bits), None, A_FACE)]) is duplicate
    assert is_near_duplicate(new_selfie(), None, [Earlier(flip_bits(A_PHOTO, bits), None, None)]) is duplicate


def test_the_mirrored_hashes_of_the_new_selfie_are_compared_too():
    mirrored_copy = new_selfie(face=OTHER_FACE, face_mirrored=flip_bits(A_FACE, 6))
    assert is_near_duplicate(mirrored_copy, None, [Earlier(None, None, A_FACE)])
    faceless_mirrored_copy = new_selfie(photo="0000000000000000", photo_mirrored=flip_bits(A_PHOTO, 2), face=None)
    assert is_near_duplicate(faceless_mirrored_copy, None, [Earlier(A_PHOTO, None, None)])


@pytest.mark.parametrize("distance, duplicate", [(0.0, True), (0.119, True), (0.121, False), (0.3, False)])
def test_a_face_encoding_within_0_12_is_a_duplicate_whatever_the_hashes(distance, duplicate):
    base = encoding(1)
    earlier = Earlier("0000000000000000", shifted(base, distance), OTHER_FACE)
    assert is_near_duplicate(new_selfie(), base, [earlier]) is duplicate


def test_one_near_copy_among_many_is_enough_and_missing_values_are_skipped():
    history = [Earlier(f"{seed:016x}", encoding(seed), OTHER_FACE) for seed in range(2, 40)]
    history += [Earlier(None, None, None), (None, None)]
    assert not is_near_duplicate(new_selfie(), encoding(1), history)
    assert is_near_duplicate(new_selfie(), encoding(1), history + [Earlier(None, None, A_FACE)])


def test_the_old_call_a_bare_hash_and_pairs_still_works():
    assert is_near_duplicate(A_PHOTO, None, [(flip_bits(A_PHOTO, 4), None)])
    assert not is_near_duplicate(A_PHOTO, None, [(flip_bits(A_PHOTO, 6), None)])
    assert is_near_duplicate(A_PHOTO, encoding(1), [(None, encoding(1))])


# --- reuses_enrolled_photo ---------------------------------------------------------------------------

def test_an_enrolled_photo_is_recognised_by_its_face_hash_in_either_orientation():
    assert reuses_enrolled_photo(new_selfie(), None, [Enrolled(encoding(1), flip_bits(A_FACE, 10))])
    assert reuses_enrolled_photo(new_selfie(face=OTHER_FACE, face_mirrored=A_FACE), None, [Enrolled(None, A_FACE)])
    assert not reuses_enrolled_photo(new_selfie(), None, [Enrolled(encoding(1), flip_bits(A_FACE, 12))])


@pytest.mark.parametrize("distance, reused", [(0.09, True), (0.119, True), (0.121, False), (0.32, False)])
def test_an_enrolled_photo_is_recognised_by_its_encoding_within_0_12(distance, reused):
    # 0.09: the reported case, the enrolled thumbnail sent as the selfie; 0.32: the closest
    # different photos of one person on the fixtures.
    base = encoding(1)
    enrolled = [Enrolled(shifted(base, 0.6), None), (shifted(base, distance), OTHER_FACE)]
    assert reuses_enrolled_photo(new_selfie(), base, enrolled) is reused


def test_a_selfie_without_a_face_reuses_nothing():
    assert not reuses_enrolled_photo(new_selfie(face=None, face_mirrored=None), None, [Enrolled(encoding(1), A_FACE)])
    assert not reuses_enrolled_photo(new_selfie(), encoding(1), [])


# --- on real photos (dlib) -----------------------------------------------------------------------------

def analysed(image: Image.Image):
    """The working copy's largest face: its box, encoding and eye centres, as examine_selfie
    would give them."""
    import face_recognition

    from checkin.verification.faces import analyse_faces

    face = analyse_faces(image)[0]
    marks = face_recognition.face_landmarks(np.asarray(image), [face.box], model="small")[0]
    return face, eye_centres(marks["right_eye"] + marks["left_eye"])


def fixture(relative: str) -> Image.Image:
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(face_photo(relative)))).convert("RGB")
    image.thumbnail((1024, 1024))
    return image


def test_the_enrolled_thumbnail_mirrored_or_not_is_a_reuse_and_a_new_photo_is_not():
    from checkin.verification.faces import thumbnail

    enrolment = fixture("obama/obama_1.jpg")
    face, eyes = analysed(enrolment)
    enrolled = [Enrolled(face.encoding, face_hash(enrolment, eyes))]
    for copy in (reencoded(thumbnail(enrolment, face.box), 85), ImageOps.mirror(reencoded(thumbnail(enrolment, face.box), 85))):
        copy_face, copy_eyes = analysed(copy)
        assert reuses_enrolled_photo(selfie_hashes(copy, eyes=copy_eyes), copy_face.encoding, enrolled)
    new = fixture("obama/obama_2.jpg")
    new_face, new_eyes = analysed(new)
    assert not reuses_enrolled_photo(selfie_hashes(new, eyes=new_eyes), new_face.encoding, enrolled)


def test_a_cropped_mirrored_grey_copy_of_a_selfie_is_a_duplicate():
    selfie = fixture("kit_harington/kit_harington_3.jpg")
    face, eyes = analysed(selfie)
    stored = selfie_hashes(selfie, eyes=eyes)
    width, height = selfie.size
    copy = ImageOps.mirror(selfie.crop((width // 10, height // 25, width * 97 // 100, height * 22 // 25)))
    copy = copy.convert("L").convert("RGB")
    copy_face, copy_eyes = analysed(copy)
    assert float(np.linalg.norm(copy_face.encoding - face.encoding)) > FACE_REUSE_MAX_DISTANCE  # the encoding misses it
    assert is_near_duplicate(selfie_hashes(copy, eyes=copy_eyes), copy_face.encoding,
                             [Earlier(stored.photo, face.encoding, stored.face)])
