"""Measures the replay limits (checkin.verification.replay): every copy of a check-in selfie
must be caught, different photos must not be, above all daily selfies at one sign.

    .venv/bin/python bench/replay.py

Originals: the fixtures' distinct photos (one face each), and same-scene sets: one generated
wall with one sign poster (geofences.posters), each photo's person cut out and composed on it
as on a different day (framing, position, size and light vary), the face 26 % or 15 % of the
photo's width. Each original is copied in every way below and checked against itself as an
earlier check-in; its enrolled thumbnail (faces.thumbnail, JPEG, as stored at enrolment) is
checked against it as the enrolled photo. Different photos of one person are checked against
each other both ways. "photo hash alone": as for an employee without enrolled faces (no face
examined). Prints figures and the distances (the margins); asserts nothing.
"""

from __future__ import annotations

import io
import itertools
import statistics
import timeit
from collections.abc import Callable
from dataclasses import dataclass, replace

import face_recognition
import imagehash
import numpy as np
from fixtures import person_photos, upright
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from checkin.verification.faces import analyse_faces, thumbnail
from checkin.verification.qr import find_qr_codes
from checkin.verification.replay import (FACE_PHASH_MAX_DISTANCE, FACE_REUSE_MAX_DISTANCE, PHASH_MAX_DISTANCE,
                                         RECENT_SELFIES, Earlier, Enrolled, SelfieHashes, eye_centres, hamming,
                                         is_near_duplicate, reuses_enrolled_photo, selfie_hashes)
from geofences.posters import render_poster
from geofences.sign_codes import make_payload

KEY = b"bench-key-0123456789abcdef0123456789"
SCENE = (1536, 2048)  # a portrait phone photo, before the 1024 px working copy
SKIPPED = ("partial", "1080p", "480p", "240p", "small")  # partial faces; re-sized copies of obama_1


# --- the copies ------------------------------------------------------------------------------------

def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def crop_mirror_grey(image: Image.Image) -> Image.Image:
    """About 80 % of the photo, off centre (the head and the poster kept), mirrored, grey."""
    width, height = image.size
    cropped = image.crop((width // 10, height // 25, width * 97 // 100, height * 22 // 25))
    return ImageOps.mirror(cropped).convert("L").convert("RGB")


def screenshot(image: Image.Image) -> Image.Image:
    """The photo shown on a 1080 x 2340 phone screen between a status bar and a navigation bar,
    sent as a JPEG."""
    screen = Image.new("RGB", (1080, 2340), (0, 0, 0))
    scale = min(1080 / image.width, (2340 - 2 * 150) / image.height)
    shown = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BICUBIC)
    screen.paste(shown, ((1080 - shown.width) // 2, (2340 - shown.height) // 2))
    draw = ImageDraw.Draw(screen)
    draw.rectangle((0, 0, 1080, 90), fill=(24, 24, 24))
    draw.text((40, 30), "09:41", fill="white", font_size=40)
    draw.rectangle((880, 35, 1010, 65), outline="white", width=3)
    draw.rectangle((0, 2200, 1080, 2340), fill=(24, 24, 24))
    draw.ellipse((500, 2230, 580, 2310), outline="white", width=4)
    return jpeg(screen, 90)


COPIES: dict[str, Callable[[Image.Image], Image.Image]] = {
    "re-encoded q60": lambda im: jpeg(im, 60),
    "resized 60 %": lambda im: im.resize((im.width * 3 // 5, im.height * 3 // 5)),
    "cropped 92 %": lambda im: im.crop((im.width // 25, im.height // 25, im.width * 24 // 25, im.height * 24 // 25)),
    "turned 3 deg": lambda im: im.rotate(3, resample=Image.Resampling.BICUBIC),
    "screenshot-like": lambda im: jpeg(im.resize((im.width // 2, im.height // 2)).resize(im.size), 75),
    "mirrored": ImageOps.mirror,
    "grey": lambda im: im.convert("L").convert("RGB"),
    "crop+mirror+grey": crop_mirror_grey,
    "screenshot": screenshot,
}
THUMBNAILS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "enrolled thumbnail": lambda thumb: thumb,
    "enrolled thumb. mirrored": ImageOps.mirror,
}


# --- the same-scene sets -----------------------------------------------------------------------------

def wall(size: tuple[int, int], seed: int = 7) -> Image.Image:
    """Painted plaster with a door frame, a rail and a skirting board: one office wall."""
    rng = np.random.default_rng(seed)
    width, height = size
    blotches = np.asarray(Image.fromarray(rng.normal(0, 1, (height // 96, width // 96)).astype(np.float32))
                          .resize(size, Image.Resampling.BICUBIC))
    shade = 1 + 0.05 * blotches[..., None] + rng.normal(0, 0.025, (height, width, 1))
    image = Image.fromarray(np.clip(np.array([214, 205, 188]) * shade, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.rectangle((int(width * 0.06), int(height * 0.1), int(width * 0.12), height), fill=(120, 84, 52))
    draw.rectangle((0, int(height * 0.62), width, int(height * 0.635)), fill=(170, 160, 140))
    draw.rectangle((0, int(height * 0.93), width, height), fill=(90, 70, 55))
    return image


def signed_wall() -> Image.Image:
    """The wall with the A4 poster of one sign on it, a little askew, upper right."""
    poster = render_poster("สำนักงานเขตบางรัก", "BKK-BR1", 7, make_payload(KEY, 7))
    width = round(SCENE[0] * 0.3)
    poster = poster.resize((width, round(poster.height * width / poster.width)), Image.Resampling.LANCZOS)
    background = wall((SCENE[0] + 120, SCENE[1] + 120))
    background.paste(poster.rotate(2, expand=True, fillcolor=(214, 205, 188)), (round(SCENE[0] * 0.64), 180))
    return background


def cut_out(original: Original) -> tuple[Image.Image, Image.Image, int]:
    """Head and shoulders cut from the photo with a soft oval: the cut, its mask, the face's width."""
    top, right, bottom, left = original.face_box
    face_width, centre_x, centre_y = right - left, (left + right) / 2, bottom + 0.15 * (bottom - top)
    area = (round(centre_x - 1.1 * face_width), round(centre_y - 1.85 * face_width),
            round(centre_x + 1.1 * face_width), round(centre_y + 1.25 * face_width))
    cut = original.photo.crop(area)
    mask = Image.new("L", cut.size, 0)
    ImageDraw.Draw(mask).ellipse((cut.width * 0.05, 0, cut.width * 0.95, cut.height * 1.3), fill=255)
    inside = Image.new("L", cut.size, 0)  # nothing from beyond the photo's edges
    inside.paste(255, (-area[0], -area[1], original.photo.width - area[0], original.photo.height - area[1]))
    return cut, ImageChops.multiply(mask.filter(ImageFilter.GaussianBlur(face_width * 0.06)), inside), face_width


def day_photo(background: Image.Image, original: Original, face_fraction: float, day: int) -> Image.Image:
    """One day's selfie: the wall framed a little differently, the person a little elsewhere,
    bigger or smaller, the light brighter or dimmer."""
    rng = np.random.default_rng(100 + day)
    left, top = int(rng.integers(0, background.width - SCENE[0])), int(rng.integers(0, background.height - SCENE[1]))
    frame = background.crop((left, top, left + SCENE[0], top + SCENE[1]))
    cut, mask, face_width = cut_out(original)
    scale = SCENE[0] * face_fraction * rng.uniform(0.88, 1.12) / face_width
    cut, mask = (im.resize((round(im.width * scale), round(im.height * scale)), Image.Resampling.BICUBIC)
                 for im in (cut, mask))
    centre_x, centre_y = SCENE[0] * rng.uniform(0.32, 0.40), SCENE[1] * rng.uniform(0.50, 0.56)
    frame.paste(cut, (round(centre_x - cut.width / 2), round(centre_y - cut.height * 0.45)), mask)
    return jpeg(ImageEnhance.Brightness(frame).enhance(rng.uniform(0.85, 1.15)), 90)


def same_scene_set(fixtures: list[Original], face_fraction: float) -> list[Original]:
    background = signed_wall()
    scenes = [examined(original.person, day_photo(background, original, face_fraction, day))
              for day, original in enumerate(fixtures)]
    return [scene for scene in scenes if scene is not None]


# --- what the server sees ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Seen:
    hashes: SelfieHashes
    encoding: np.ndarray | None
    codes: int  # QR codes found
    faces: int

    @property
    def earlier(self) -> Earlier:
        return Earlier(self.hashes.photo, self.encoding, self.hashes.face)

    @property
    def enrolled(self) -> Enrolled:
        return Enrolled(self.encoding, self.hashes.face)

    def faceless(self) -> Seen:
        """As seen for an employee without enrolled faces: no face examined."""
        return replace(self, hashes=replace(self.hashes, face=None, face_mirrored=None), encoding=None)


@dataclass(frozen=True)
class Original:
    person: str
    photo: Image.Image  # the working copy
    face_box: tuple[int, int, int, int]
    seen: Seen


def working_copy(image: Image.Image) -> Image.Image:
    image = image.copy()
    image.thumbnail((1024, 1024))
    return image


def eyes_of(image: Image.Image, box: tuple[int, int, int, int]):
    marks = face_recognition.face_landmarks(np.asarray(image), [box], model="small")[0]
    return eye_centres(marks["right_eye"] + marks["left_eye"])  # dlib's order: points 0-1, 2-3


def look(photo: Image.Image) -> tuple[Image.Image, Seen, tuple | None]:
    """As examine_selfie does: the sign's posters first (never a face), hashes with them masked."""
    image = working_copy(photo)
    posters = [code.poster_box() for code in find_qr_codes(image)]
    faces = analyse_faces(image, not_in=posters)
    face = faces[0] if faces and faces[0].encoding is not None else None
    eyes = None if face is None else eyes_of(image, face.box)
    seen = Seen(selfie_hashes(image, posters, eyes), None if face is None else face.encoding, len(posters), len(faces))
    return image, seen, None if face is None else face.box


def see(photo: Image.Image) -> Seen:
    return look(photo)[1]


def examined(person: str, photo: Image.Image) -> Original | None:
    """An original: exactly one face, encoded."""
    image, seen, box = look(photo)
    return Original(person, image, box, seen) if seen.faces == 1 and box is not None else None


def fixture_originals() -> list[Original]:
    originals = [examined(person, upright(path)) for person, paths in person_photos().items()
                 for path in paths if not any(word in path.name for word in SKIPPED)]
    return [original for original in originals if original is not None]


# --- distances and verdicts -------------------------------------------------------------------------------

def photo_distance(new: Seen, old: Seen) -> int:
    return min(hamming(old.hashes.photo, new.hashes.photo), hamming(old.hashes.photo, new.hashes.photo_mirrored))


def face_distance(new: Seen, old: Seen) -> int | None:
    if new.hashes.face is None or old.hashes.face is None:
        return None
    return min(hamming(old.hashes.face, new.hashes.face), hamming(old.hashes.face, new.hashes.face_mirrored))


def encoding_distance(new: Seen, old: Seen) -> float | None:
    return None if new.encoding is None or old.encoding is None else float(np.linalg.norm(new.encoding - old.encoding))


def duplicate(new: Seen, old: Seen) -> bool:
    return is_near_duplicate(new.hashes, new.encoding, [old.earlier])


def photo_duplicate(new: Seen, old: Seen) -> bool:
    return duplicate(new.faceless(), old.faceless())


def reuse(new: Seen, old: Seen) -> bool:
    return reuses_enrolled_photo(new.hashes, new.encoding, [old.enrolled])


def span(values, fmt: str = "{}") -> str:
    present = [value for value in values if value is not None]
    return f"{fmt.format(min(present))}-{fmt.format(max(present))}" if present else "-"


def print_copies(label: str, pairs: list[tuple[Seen, Seen]], caught: Callable[[Seen, Seen], bool],
                 alone: Callable[[Seen, Seen], bool] | None) -> None:
    hits = sum(caught(new, old) for new, old in pairs)
    by_photo = "" if alone is None else f"{sum(alone(new, old) for new, old in pairs):2d}/{len(pairs)}"
    print(f"  {label:25s} {hits:2d}/{len(pairs):<4d} {by_photo:6s}"
          f" | face hash {span(face_distance(n, o) for n, o in pairs):6s}"
          f" photo hash {span(photo_distance(n, o) for n, o in pairs):6s}"
          f" encoding {span((encoding_distance(n, o) for n, o in pairs), '{:.3f}'):12s}"
          f" | no face {sum(n.encoding is None for n, _ in pairs)}, no sign {sum(n.codes == 0 for n, _ in pairs)}")


def print_different(label: str, originals: list[Original]) -> None:
    """Different photos of one person, both ways: how many were wrongly flagged, and the
    distances (the smallest is the margin)."""
    pairs = [(a.seen, b.seen) for a, b in itertools.combinations(originals, 2) if a.person == b.person]

    def wrong(rule):
        return f"{sum(rule(a, b) or rule(b, a) for a, b in pairs)}/{len(pairs)}"
    print(f"  {label:21s} duplicate {wrong(duplicate):5s} enrolled reuse {wrong(reuse):5s}"
          f" photo hash alone {wrong(photo_duplicate):5s}"
          f"| face hash {span(face_distance(a, b) for a, b in pairs):6s}"
          f" photo hash {span(photo_distance(a, b) for a, b in pairs):6s}"
          f" encoding {span((encoding_distance(a, b) for a, b in pairs), '{:.3f}')}")


def print_photo_hash(label: str, originals: list[Original]) -> None:
    """The photo hash before (main: nothing masked, one orientation, <= 8) and now, over the
    same person's pairs and over any two photos (the hash does not know who is in them)."""
    before = [str(imagehash.phash(original.photo)) for original in originals]
    indices = list(itertools.combinations(range(len(originals)), 2))
    same = [(i, j) for i, j in indices if originals[i].person == originals[j].person]

    def masked(i: int, j: int) -> int:
        return photo_distance(originals[i].seen, originals[j].seen)
    for name, limit, distance in (("before, unmasked", 8, lambda i, j: hamming(before[i], before[j])),
                                  ("masked, mirrored too", 8, masked),
                                  ("masked, mirrored too", PHASH_MAX_DISTANCE, masked)):
        near = [(i, j) for i, j in indices if distance(i, j) <= limit]
        print(f"  {label:21s} {name:21s} <= {limit}: same person {len(set(near) & set(same)):2d}/{len(same)}"
              f" (min {min(distance(i, j) for i, j in same):2d}), any two photos {len(near):2d}/{len(indices)}"
              f" (min {min(distance(i, j) for i, j in indices):2d},"
              f" median {statistics.median(distance(i, j) for i, j in indices):.0f})")


def print_costs(original: Original) -> None:
    image = original.photo
    posters = [code.poster_box() for code in find_qr_codes(image)]
    eyes = eyes_of(image, original.face_box)
    history = [Earlier(f"{index:016x}", original.seen.encoding + 1, f"{index:016x}") for index in range(RECENT_SELFIES)]
    for label, run in (("before (main): imagehash.phash(preview)", lambda: imagehash.phash(image)),
                       ("selfie_hashes(preview, posters, eyes)", lambda: selfie_hashes(image, posters, eyes)),
                       ("the eyes, if not kept from the encoding (5-point landmarks)",
                        lambda: eyes_of(image, original.face_box)),
                       (f"is_near_duplicate, {RECENT_SELFIES} earlier selfies, none near",
                        lambda: is_near_duplicate(original.seen.hashes, original.seen.encoding, history))):
        best = min(timeit.repeat(run, number=20, repeat=5)) / 20  # the least disturbed run
        print(f"  {label:62s} {best * 1000:5.1f} ms")


def main() -> None:
    print(f"limits: face hash <= {FACE_PHASH_MAX_DISTANCE}, photo hash (poster masked, only without face hashes)"
          f" <= {PHASH_MAX_DISTANCE}, face encoding <= {FACE_REUSE_MAX_DISTANCE}; hashes of both orientations")
    fixtures = fixture_originals()
    scenes = {fraction: same_scene_set(fixtures, fraction) for fraction in (0.26, 0.15)}
    print(f"originals: {len(fixtures)} fixture photos; same scene: " + ", ".join(
        f"{len(s)} with the face {fraction:.0%} of the width (poster found in {sum(o.seen.codes == 1 for o in s)})"
        for fraction, s in scenes.items()))
    print("copies: caught by the rules, by the photo hash alone | distances to the original | not found in the copy")
    for title, originals in (("fixture photos", fixtures), ("same-scene photos, face 26 %", scenes[0.26])):
        print(f" of {title}")
        for name, make_copy in COPIES.items():
            print_copies(name, [(see(make_copy(o.photo)), o.seen) for o in originals], duplicate, photo_duplicate)
        for name, make_copy in THUMBNAILS.items():
            thumbs = [(see(make_copy(jpeg(thumbnail(o.photo, o.face_box), 85))), o.seen) for o in originals]
            print_copies(name, thumbs, reuse, None)
    print("different photos of one person: wrongly flagged (both ways) | distances")
    print_different("fixtures", fixtures)
    for fraction, originals in scenes.items():
        print_different(f"same scene, face {fraction:.0%}", originals)
    print("the photo hash alone on different photos: within the limit (the smallest distance)")
    for fraction, originals in scenes.items():
        print_photo_hash(f"same scene, face {fraction:.0%}", originals)
    print("cost per selfie (one core, a 768 x 1024 working copy)")
    print_costs(scenes[0.26][0])


if __name__ == "__main__":
    main()
