"""Full photo verification of 12-megapixel phone JPEGs: our pipeline against face_recognition's
documented default usage, on the same images in the same run.

    .venv/bin/python bench/verify.py [--images 12] [--default-images 6]

Ours: decode with JPEG DCT scaling + EXIF orientation, HOG detection on a ~480 px copy, one
5-point encoding, 1:1 comparison, QR scan (small copy first, full resolution only if needed),
signature check, perceptual hash. Default: face_recognition.load_image_file +
face_locations + face_encodings on the full image, as its README shows. Both compare with
encodings enrolled their own way, and their match decisions are compared. One core.

Two builds of dlib on the same photos (the image's compiled dlib against dlib-bin):

    python bench/verify.py --cases DIR --json bin.json                  # first build: writes the photos to DIR
    python bench/verify.py --cases DIR --json built.json --against bin.json   # second build: reads them
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from fixtures import person_photos, phone_jpeg, upright  # noqa: E402

from checkin.verification.evidence import examine_selfie  # noqa: E402
from checkin.verification.faces import analyse_faces, face_distance  # noqa: E402
from geofences.policy import DEFAULT_FACE_TOLERANCE_PHOTO as MATCH_TOLERANCE  # noqa: E402
from checkin.verification.images import decode_image  # noqa: E402
from geofences.sign_codes import make_payload, parse_payload  # noqa: E402
from geofences.posters import render_poster  # noqa: E402

KEY = b"bench-key-0123456789abcdef0123456789"
LIMITS = {"max_bytes": 20 * 1024 * 1024, "max_pixels": 50_000_000}


def ours(data: bytes, enrolled) -> tuple[bool, bool, float | None]:
    image = decode_image(data, **LIMITS)
    evidence = examine_selfie(data, image, look_for_faces=True)
    distance = None if evidence.encoding is None else face_distance(evidence.encoding, enrolled)
    signed = any(parse_payload(KEY, text) is not None for text in evidence.qr_texts)
    return distance is not None and distance <= MATCH_TOLERANCE, signed, distance


def encoding_ms(cases, fr) -> float:
    """The face encoding alone (the step BLAS speeds up), p50 over the cases: found face, one call."""
    times = []
    for _, data, _ in cases:
        pixels = np.asarray(decode_image(data, **LIMITS).preview)
        boxes = fr.face_locations(pixels, number_of_times_to_upsample=0, model="hog")
        if boxes:
            start = time.perf_counter()
            fr.face_encodings(pixels, known_face_locations=boxes[:1], num_jitters=1, model="small")
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times) if times else float("nan")


def dlib_build() -> str:
    import dlib

    flags = [name for name in ("DLIB_USE_BLAS", "DLIB_USE_LAPACK", "USE_AVX_INSTRUCTIONS") if getattr(dlib, name, False)]
    return f"dlib {dlib.__version__} ({', '.join(flags) or 'no BLAS, no AVX'})"


def make_cases(photos, count: int) -> list[tuple[str, bytes, bool]]:
    """(claimed person, jpeg bytes, truly that person): every 4th an impostor, signs near to far."""
    poster = render_poster("ศาลาว่าการกรุงเทพมหานคร", "BMA-CH1", 1, make_payload(KEY, 1))
    cases = []
    people = list(photos)
    for index in range(count):
        person = people[index % len(people)]
        candidates = [path for path in photos[person][1:] if "partial" not in path.name] or photos[person]
        path = candidates[(index // len(people)) % len(candidates)]
        claimed = person if index % 4 else people[(index + 1) % len(people)]  # every 4th: an impostor
        sign_fraction = [0.3, 0.2, 0.12][index % 3]  # a near, middle and far sign
        cases.append((claimed, phone_jpeg(upright(path), poster, sign_fraction), claimed == person))
    return cases


def saved_cases(folder: Path | None, photos, count: int) -> list[tuple[str, bytes, bool]]:
    """The photos of an earlier run from `folder` (the phone JPEGs carry random noise), else new ones,
    written there for the next run."""
    if folder and (folder / "cases.json").exists():
        index = json.loads((folder / "cases.json").read_text())
        return [(case["claimed"], (folder / case["file"]).read_bytes(), case["genuine"]) for case in index]
    cases = make_cases(photos, count)
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
        for number, (_, data, _) in enumerate(cases):
            (folder / f"{number:03}.jpg").write_bytes(data)
        (folder / "cases.json").write_text(json.dumps(
            [{"claimed": claimed, "file": f"{number:03}.jpg", "genuine": genuine}
             for number, (claimed, _, genuine) in enumerate(cases)]))
    return cases


def default(data_path: str, enrolled, fr) -> bool:
    image = fr.load_image_file(data_path)
    locations = fr.face_locations(image)
    encodings = fr.face_encodings(image, locations)
    return any(min(fr.face_distance(enrolled, encoding)) <= MATCH_TOLERANCE for encoding in encodings)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    import face_recognition as fr

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--default-images", type=int, default=6, help="the default path takes seconds each")
    parser.add_argument("--cases", type=Path, help="keep the photos here, or read those kept by an earlier run")
    parser.add_argument("--json", type=Path, help="write the figures and each photo's decision here")
    parser.add_argument("--against", type=Path, help="the --json of an earlier run on the same --cases")
    args = parser.parse_args()

    photos = person_photos()
    # Enrol each person from their first photo, both ways; check in with their other photos.
    enrolled_ours, enrolled_default = {}, {}
    for person, paths in photos.items():
        preview = decode_image(paths[0].read_bytes(), **LIMITS).preview
        enrolled_ours[person] = [analyse_faces(preview)[0].encoding]
        image = fr.load_image_file(str(paths[0]))
        enrolled_default[person] = [fr.face_encodings(image, fr.face_locations(image))[0]]
    cases = saved_cases(args.cases, photos, args.images)

    ours_ms, ours_decisions, distances, signs_found = [], [], [], 0
    for claimed, data, _ in cases:
        start = time.perf_counter()
        matched, signed, distance = ours(data, enrolled_ours[claimed])
        ours_ms.append((time.perf_counter() - start) * 1000)
        ours_decisions.append(matched)
        distances.append(distance)
        signs_found += signed
    encode_p50 = encoding_ms(cases, fr)
    default_ms, agreements = measure_default(cases[: args.default_images], enrolled_default, ours_decisions, fr)

    truth = [genuine for _, _, genuine in cases]
    correct = sum(decision == genuine for decision, genuine in zip(ours_decisions, truth))
    misses = [f"{'genuine' if genuine else 'impostor'} {claimed}" for (claimed, _, genuine), decision
              in zip(cases, ours_decisions) if decision != genuine]
    p50, p90 = statistics.median(ours_ms), percentile(ours_ms, 90)
    default_p50 = statistics.median(default_ms) if default_ms else float("nan")
    print(f"12 MP JPEGs (3000x4000, ~{statistics.mean(len(d) for _, d, _ in cases) / 1e6:.1f} MB), one core, "
          f"{dlib_build()}")
    print(f"ours:    p50 {p50:7.1f} ms   p90 {p90:7.1f} ms   over {len(cases)} images "
          f"(signs read {signs_found}/{len(cases)}, face decisions right {correct}/{len(cases)}); "
          f"the face encoding alone p50 {encode_p50:.1f} ms")
    if default_ms:
        print(f"default: p50 {default_p50:7.1f} ms   p90 {percentile(default_ms, 90):7.1f} ms   over {len(default_ms)} images")
        print(f"speed-up at p50: {default_p50 / p50:.1f}x   (targets: p50 <= 200 ms: "
              f"{'met' if p50 <= 200 else 'NOT met'}; >= 25x: {'met' if default_p50 / p50 >= 25 else 'NOT met'})")
        print(f"same match decision as the default path: {agreements}/{len(default_ms)}")
    if misses:
        print(f"face decisions that differ from the truth (at tolerance {MATCH_TOLERANCE}): {', '.join(misses)}")
    run = {"dlib": dlib_build(), "p50_ms": p50, "p90_ms": p90, "encoding_p50_ms": encode_p50,
           "decisions": ours_decisions, "distances": distances}
    if args.json:
        args.json.write_text(json.dumps(run, indent=1))
    if args.against:
        compare(json.loads(args.against.read_text()), run)


def measure_default(cases, enrolled_default, ours_decisions, fr) -> tuple[list[float], int]:
    import tempfile

    default_ms, agreements = [], 0
    with tempfile.TemporaryDirectory() as folder:
        for index, (claimed, data, _) in enumerate(cases):
            path = os.path.join(folder, f"{index}.jpg")
            with open(path, "wb") as handle:
                handle.write(data)
            start = time.perf_counter()
            matched = default(path, enrolled_default[claimed], fr)
            default_ms.append((time.perf_counter() - start) * 1000)
            agreements += matched == ours_decisions[index]
    return default_ms, agreements


def compare(before: dict, now: dict) -> None:
    """This run against an earlier one on the same photos (another dlib build)."""
    same = sum(a == b for a, b in zip(before["decisions"], now["decisions"]))
    gaps = [abs(a - b) for a, b in zip(before["distances"], now["distances"]) if a is not None and b is not None]
    print(f"against {before['dlib']}: p50 {before['p50_ms']:.1f} -> {now['p50_ms']:.1f} ms "
          f"({before['p50_ms'] / now['p50_ms']:.2f}x), encoding {before['encoding_p50_ms']:.1f} -> "
          f"{now['encoding_p50_ms']:.1f} ms ({before['encoding_p50_ms'] / now['encoding_p50_ms']:.2f}x)")
    print(f"same decision on {same}/{len(now['decisions'])} photos; largest face-distance difference "
          f"{max(gaps, default=0):.4f} (tolerance {MATCH_TOLERANCE})")


if __name__ == "__main__":
    main()
