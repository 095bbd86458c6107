"""The world bench/quality.py sends through the app: a building-block fence measured in metres,
a phone's GPS noise, and phone selfies composed from the face fixtures and a printed poster.

Geometry is done in local metres east/north of the block's centre and turned into longitude and
latitude with pyproj's Geod (one forward geodesic from the centre), never in degrees.
"""

from __future__ import annotations

import io
import itertools
import math
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageEnhance, ImageOps
from pyproj import Geod

from fixtures import person_photos, upright  # puts the repository root on sys.path

GEOD = Geod(ellps="WGS84")
CENTRE = (100.5018, 13.7563)  # longitude, latitude: a block off Ratchadamnoen Avenue, Bangkok
HALF_EAST, HALF_NORTH = 60.0, 40.0  # the block: 120 m east-west by 80 m north-south
OTHER_SITE_OFFSET = (2500.0, 1500.0)  # a second site's block, ~2.9 km away (its sign is the wrong one)
FRAME = (1536, 2048)  # a 3 MP portrait phone frame: the whole bench runs in minutes on 2 cores

# The GPS noise model (PRODUCT.md, field facts). Phones report a 68 % radius; for a 2-D normal
# error (Rayleigh distance) that radius is 1.515 sigma. The median reported accuracy is 12 m;
# sigma 0.5 of the log puts 90 % of reports between ~5 and ~27 m. Multipath adds an error the
# reported accuracy does not know about.
ACCURACY_MEDIAN_M, ACCURACY_LOG_SIGMA = 12.0, 0.5
RAYLEIGH_SIGMA_PER_68 = 1 / 1.515
MULTIPATH_SHARE, MULTIPATH_M = 0.07, (40.0, 120.0)


def lonlat(east_m: float, north_m: float, origin=CENTRE) -> tuple[float, float]:
    """The point `east_m`, `north_m` metres from `origin`, on the WGS 84 ellipsoid."""
    azimuth = math.degrees(math.atan2(east_m, north_m))
    lon, lat, _ = GEOD.fwd(origin[0], origin[1], azimuth, math.hypot(east_m, north_m))
    return lon, lat


def block_geojson(offset=(0.0, 0.0)) -> dict:
    """The fence as a GeoJSON Polygon (longitude, latitude), corners counter-clockwise."""
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]
    ring = [list(lonlat(offset[0] + sx * HALF_EAST, offset[1] + sy * HALF_NORTH)) for sx, sy in corners]
    return {"type": "Polygon", "coordinates": [ring]}


def inside(east_m: float, north_m: float) -> bool:
    return abs(east_m) <= HALF_EAST and abs(north_m) <= HALF_NORTH


@dataclass(frozen=True)
class Fix:
    """What the phone reports, and what was true."""

    latitude: float
    longitude: float
    accuracy_m: float
    outlier: bool = False  # a multipath fix
    reported_inside: bool = True


def reported_accuracy(rng: random.Random) -> float:
    return round(rng.lognormvariate(math.log(ACCURACY_MEDIAN_M), ACCURACY_LOG_SIGMA), 1)


def fix_at(rng: random.Random, east_m: float, north_m: float, accuracy_m: float | None = None,
           noise: bool = True) -> Fix:
    """A fix of a phone truly at (east_m, north_m): the Rayleigh error its accuracy implies,
    plus, in 7 % of fixes, a multipath error of 40-120 m in any direction."""
    accuracy = reported_accuracy(rng) if accuracy_m is None else accuracy_m
    outlier = False
    if noise:
        # A Rayleigh distance of scale sigma is a Weibull of shape 2 and scale sigma * sqrt(2).
        error = rng.weibullvariate(accuracy * RAYLEIGH_SIGMA_PER_68 * math.sqrt(2), 2)
        angle = rng.uniform(0, 2 * math.pi)
        east_m, north_m = east_m + error * math.sin(angle), north_m + error * math.cos(angle)
        if rng.random() < MULTIPATH_SHARE:
            outlier, extra, angle = True, rng.uniform(*MULTIPATH_M), rng.uniform(0, 2 * math.pi)
            east_m, north_m = east_m + extra * math.sin(angle), north_m + extra * math.cos(angle)
    lon, lat = lonlat(east_m, north_m)
    return Fix(round(lat, 7), round(lon, 7), accuracy, outlier, inside(east_m, north_m))


def honest_fix(rng: random.Random) -> Fix:
    """An employee standing somewhere in the block, as their phone reports it."""
    return fix_at(rng, rng.uniform(-HALF_EAST, HALF_EAST), rng.uniform(-HALF_NORTH, HALF_NORTH))


def inside_fix(rng: random.Random) -> Fix:
    """A fix the server sees well inside the fence with an ordinary accuracy (a cheat's claim)."""
    return fix_at(rng, rng.uniform(-HALF_EAST + 10, HALF_EAST - 10), rng.uniform(-HALF_NORTH + 10, HALF_NORTH - 10),
                  min(reported_accuracy(rng), 30.0), noise=False)


def drift_fix(rng: random.Random, metres_out=(5.0, 40.0)) -> Fix:
    """A fix the server sees just outside the fence: within any accuracy circle plus the default
    50 m drift tolerance, so the photo decides."""
    out = rng.uniform(*metres_out)
    side = rng.choices(["east", "west", "north", "south"], weights=[HALF_NORTH, HALF_NORTH, HALF_EAST, HALF_EAST])[0]
    along_east, along_north = rng.uniform(-HALF_EAST, HALF_EAST), rng.uniform(-HALF_NORTH, HALF_NORTH)
    east, north = {"east": (HALF_EAST + out, along_north), "west": (-HALF_EAST - out, along_north),
                   "north": (along_east, HALF_NORTH + out), "south": (along_east, -HALF_NORTH - out)}[side]
    return fix_at(rng, east, north, min(reported_accuracy(rng), 30.0), noise=False)


def far_fix(rng: random.Random, accuracy_m: float, distance_m: float = 50_000.0) -> Fix:
    angle = rng.uniform(0, 2 * math.pi)
    return fix_at(rng, distance_m * math.sin(angle), distance_m * math.cos(angle), accuracy_m, noise=False)


# --- photos ------------------------------------------------------------------------------------

SKIPPED = ("partial", "1080p", "480p", "240p", "small")  # partial faces; re-sized copies of obama_1


def usable(paths: list[Path]) -> list[Path]:
    return [path for path in paths if not any(word in path.name for word in SKIPPED)]


class Casting:
    """Who is enrolled with which photo and shown by which, for one cheat: a "right face" is a
    genuine pair the app matched in this run; an impostor is enrolled as one person, shows another."""

    def __init__(self, rng: random.Random, matched: list[tuple[Path, Path]]):
        self.rng, self.matched = rng, matched

    def right_face(self) -> tuple[Path, Path]:
        return self.rng.choice(self.matched)

    def impostor(self) -> tuple[Path, Path]:
        enrolled, _ = self.right_face()
        return enrolled, self.rng.choice([path for paths in person_photos().values() if enrolled not in paths
                                          for path in usable(paths)])


def photos_of(photo: Path) -> list[Path]:
    """The usable photos of the person in `photo`."""
    return next(usable(paths) for paths in person_photos().values() if photo in paths)


def genuine_pairs() -> list[tuple[Path, Path]]:
    """Every (enrolled, shown) pair of two different photos of one person."""
    return [pair for paths in person_photos().values() for pair in itertools.permutations(usable(paths), 2)]


@lru_cache(maxsize=64)
def source(path: Path) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A fixture upright, with its largest face's box (top, right, bottom, left), found once
    here to lay out the scene (the app finds it again on its own)."""
    from checkin.verification.faces import detect_faces

    image = upright(path)
    boxes = detect_faces(image)
    if not boxes:
        raise ValueError(f"no face found in {path}")
    return image, boxes[0]


def _perspective(size, target):
    """Coefficients for Image.transform(PERSPECTIVE) mapping the target corners to the source's."""
    w, h = size
    rows, values = [], []
    for (x, y), (u, v) in zip(target, [(0, 0), (w, 0), (w, h), (0, h)]):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        values += [u, v]
    return np.linalg.solve(np.array(rows, float), np.array(values, float))


def photographed_poster(poster: Image.Image, width: int, rng: random.Random) -> Image.Image:
    """The poster as a phone sees it on the wall: its own lighting, seen at an angle (one edge
    further away), slightly turned. RGBA: what is not poster is transparent."""
    sheet = poster.resize((width, round(poster.height * width / poster.width)), Image.Resampling.BICUBIC)
    sheet = ImageEnhance.Brightness(sheet).enhance(rng.uniform(0.75, 1.05)).convert("RGBA")
    w, h = sheet.size
    shrink = rng.uniform(0.0, 0.10) * h
    target = ([(0, 0), (w, shrink), (w, h - shrink), (0, h)] if rng.random() < 0.5
              else [(0, shrink), (w, 0), (w, h), (0, h - shrink)])
    sheet = sheet.transform(sheet.size, Image.Transform.PERSPECTIVE, _perspective(sheet.size, target),
                            Image.Resampling.BILINEAR, fillcolor=(0, 0, 0, 0))
    return sheet.rotate(rng.uniform(-7, 7), expand=True, resample=Image.Resampling.BILINEAR, fillcolor=(0, 0, 0, 0))


def poster_sheet(poster: Image.Image) -> Image.Image:
    """The A4 poster (1240 px wide) at the largest width a frame shows it: made once, so that
    each frame scales a small image."""
    width = round(0.35 * FRAME[0])
    return poster.convert("RGB").resize((width, round(poster.height * width / poster.width)), Image.Resampling.LANCZOS)


def selfie(face_path: Path, poster: Image.Image | None, rng: random.Random, size=FRAME) -> Image.Image:
    """A portrait phone frame: a wall, the person (face 26-36 % of the width, off-centre), the
    poster on the wall beside the head (22-35 % of the width), lighting and sensor noise, and
    half the time a front camera's mirror image."""
    width, height = size
    frame = Image.new("RGB", size, tuple(rng.randint(150, 235) for _ in range(3)))
    photo, (top, right, bottom, left) = source(face_path)
    poster_left = rng.random() < 0.5
    scale = rng.uniform(0.26, 0.36) * width / (right - left)
    centre_x = width * (0.5 + (1 if poster_left else -1) * rng.uniform(0.10, 0.16))
    centre_y = height * rng.uniform(0.45, 0.58)
    origin_x, origin_y = centre_x - (left + right) / 2 * scale, centre_y - (top + bottom) / 2 * scale
    # Only the part of the photo that lands in the frame is scaled (a whole up-scaled photo costs 0.1 s).
    box = (max(0.0, -origin_x / scale), max(0.0, -origin_y / scale),
           min(photo.width, (width - origin_x) / scale), min(photo.height, (height - origin_y) / scale))
    person = photo.resize((round((box[2] - box[0]) * scale), round((box[3] - box[1]) * scale)),
                          Image.Resampling.BILINEAR, box=box)
    frame.paste(person, (round(origin_x + box[0] * scale), round(origin_y + box[1] * scale)))
    if poster is not None:
        face = (origin_x + left * scale, origin_y + top * scale, origin_x + right * scale, origin_y + bottom * scale)
        sheet = photographed_poster(poster, round(rng.uniform(0.22, 0.35) * width), rng)
        margin = round(rng.uniform(0.01, 0.05) * width)
        x = margin if poster_left else width - margin - sheet.width
        y = round(rng.uniform(0.03, 0.12) * height)
        # Beside the head, never over the face: a poster the head hides is a different test.
        if x < face[2] and x + sheet.width > face[0] and y + sheet.height > face[1]:
            y = max(0, round(face[1]) - sheet.height - 10)
        frame.paste(sheet, (x, y), sheet)
    frame = ImageEnhance.Brightness(frame).enhance(rng.uniform(0.75, 1.2))
    frame = ImageEnhance.Contrast(frame).enhance(rng.uniform(0.8, 1.15))
    frame = sensor_noise(frame, rng)
    return ImageOps.mirror(frame) if rng.random() < 0.5 else frame


def sensor_noise(frame: Image.Image, rng: random.Random) -> Image.Image:
    """Grain, seeded (Pillow's effect_noise is not): an up-scaled fixture is too smooth to be a
    phone photo, and its JPEG would be unrealistically small. A window of one large grain field
    at a random offset: a new field per frame would cost 0.1 s."""
    field = _grain(frame.size)
    x, y = rng.randrange(frame.width), rng.randrange(frame.height)
    grain = field.crop((x, y, x + frame.width, y + frame.height))
    return ImageChops.add(frame, Image.merge("RGB", (grain, grain, grain)), 1.0, -128)


@lru_cache(maxsize=2)
def _grain(size: tuple[int, int]) -> Image.Image:
    noise = np.random.default_rng(0).normal(128, 5, (size[1] * 2, size[0] * 2))
    return Image.fromarray(np.clip(noise, 0, 255).astype(np.uint8))


def jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def phone_jpeg(face_path: Path, poster: Image.Image | None, rng: random.Random) -> bytes:
    return jpeg(selfie(face_path, poster, rng), rng.randint(70, 95))


def own_copy(path: Path, rng: random.Random) -> bytes:
    """The fixture with a faint grain of its own, as a JPEG: a photo only this employee has.
    Employees enrolled from one fixture would otherwise share a thumbnail file, and the server's
    same-bytes check (global) would catch one sample's cheat by another sample's upload."""
    pixels = np.asarray(upright(path), np.int16)
    grain = np.random.default_rng(rng.getrandbits(32)).integers(-2, 3, pixels.shape, dtype=np.int16)
    return jpeg(Image.fromarray(np.clip(pixels + grain, 0, 255).astype(np.uint8)), 95)


# Copies of an accepted selfie that a replayer sends again.
REPLAYS = {
    "exact": lambda data: data,
    "re-encoded": lambda data: jpeg(_open(data).resize((FRAME[0] * 7 // 8, FRAME[1] * 7 // 8)), 72),
    "mirrored": lambda data: jpeg(ImageOps.mirror(_open(data)), 88),
    "cropped+mirrored+grey": lambda data: jpeg(ImageOps.grayscale(ImageOps.mirror(_crop(_open(data), 0.06))), 85),
}


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _crop(image: Image.Image, share: float) -> Image.Image:
    dx, dy = round(image.width * share), round(image.height * share)
    return image.crop((dx, dy, image.width - dx, image.height - dy))
