"""Full photo verification of 12-megapixel phone JPEGs: our pipeline against face_recognition's
documented default usage, on the same images in the same run.

    .venv/bin/python bench/verify.py [--images 12] [--default-images 6]

Ours: decode with JPEG DCT scaling + EXIF orientation, HOG detection on a ~480 px copy, one
5-point encoding, 1:1 comparison, QR scan (small copy first, full resolution only if needed),
signature check, perceptual hash. Default: face_recognition.load_image_file +
face_locations + face_encodings on the full image, as its README shows. Both compare with
encodings enrolled their own way, and their match decisions are compared. One core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from fixtures import person_photos, phone_jpeg, upright  # noqa: E402

from checkin.verification.evidence import examine_selfie  # noqa: E402
from checkin.verification.faces import analyse_faces, face_distance  # noqa: E402
from geofences.policy import DEFAULT_FACE_TOLERANCE_PHOTO as MATCH_TOLERANCE  # noqa: E402
from checkin.verification.images import decode_image  # noqa: E402
from geofences.sign_codes import make_payload, parse_payload  # noqa: E402
from geofences.posters import render_poster  # noqa: E402

KEY = b"bench-key-0123456789abcdef0123456789"
LIMITS = {"max_bytes": 20 * 1024 * 1024, "max_pixels": 50_000_000}


def ours(data: bytes, enrolled) -> tuple[bool, bool, float]:
    image = decode_image(data, **LIMITS)
    evidence = examine_selfie(data, image, look_for_faces=True)
    matched = evidence.encoding is not None and face_distance(evidence.encoding, enrolled) <= MATCH_TOLERANCE
    signed = any(parse_payload(KEY, text) is not None for text in evidence.qr_texts)
    return matched, signed, 0.0


def default(data_path: str, enrolled, fr) -> bool:
    image = fr.load_image_file(data_path)
    locations = fr.face_locations(image)
    encodings = fr.face_encodings(image, locations)
    return any(min(fr.face_distance(enrolled, encoding)) <= MATCH_TOLERANCE for encoding in encodings)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    import tempfile

    import face_recognition as fr

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--default-images", type=int, default=6, help="the default path takes seconds each")
    args = parser.parse_args()

    photos = person_photos()
    # Enrol each person from their first photo, both ways; check in with their other photos.
    enrolled_ours, enrolled_default = {}, {}
    for person, paths in photos.items():
        preview = decode_image(paths[0].read_bytes(), **LIMITS).preview
        enrolled_ours[person] = [analyse_faces(preview)[0].encoding]
        image = fr.load_image_file(str(paths[0]))
        enrolled_default[person] = [fr.face_encodings(image, fr.face_locations(image))[0]]

    poster = render_poster("ศาลาว่าการกรุงเทพมหานคร", "BMA-CH1", 1, make_payload(KEY, 1))
    cases = []  # (claimed person, jpeg bytes, truly that person)
    people = list(photos)
    for index in range(args.images):
        person = people[index % len(people)]
        candidates = [path for path in photos[person][1:] if "partial" not in path.name] or photos[person]
        path = candidates[(index // len(people)) % len(candidates)]
        claimed = person if index % 4 else people[(index + 1) % len(people)]  # every 4th: an impostor
        sign_fraction = [0.3, 0.2, 0.12][index % 3]  # a near, middle and far sign
        cases.append((claimed, phone_jpeg(upright(path), poster, sign_fraction), claimed == person))

    ours_ms, ours_decisions, signs_found = [], [], 0
    for claimed, data, _ in cases:
        start = time.perf_counter()
        matched, signed, _ = ours(data, enrolled_ours[claimed])
        ours_ms.append((time.perf_counter() - start) * 1000)
        ours_decisions.append(matched)
        signs_found += signed

    default_ms, agreements = [], 0
    with tempfile.TemporaryDirectory() as folder:
        for index, (claimed, data, _) in enumerate(cases[: args.default_images]):
            path = os.path.join(folder, f"{index}.jpg")
            with open(path, "wb") as handle:
                handle.write(data)
            start = time.perf_counter()
            matched = default(path, enrolled_default[claimed], fr)
            default_ms.append((time.perf_counter() - start) * 1000)
            agreements += matched == ours_decisions[index]

    truth = [genuine for _, _, genuine in cases]
    correct = sum(decision == genuine for decision, genuine in zip(ours_decisions, truth))
    misses = [f"{'genuine' if genuine else 'impostor'} {claimed}" for (claimed, _, genuine), decision
              in zip(cases, ours_decisions) if decision != genuine]
    p50, p90 = statistics.median(ours_ms), percentile(ours_ms, 90)
    default_p50 = statistics.median(default_ms)
    print(f"12 MP JPEGs (3000x4000, ~{statistics.mean(len(d) for _, d, _ in cases) / 1e6:.1f} MB), one core")
    print(f"ours:    p50 {p50:7.1f} ms   p90 {p90:7.1f} ms   over {len(cases)} images "
          f"(signs read {signs_found}/{len(cases)}, face decisions right {correct}/{len(cases)})")
    print(f"default: p50 {default_p50:7.1f} ms   p90 {percentile(default_ms, 90):7.1f} ms   over {len(default_ms)} images")
    print(f"speed-up at p50: {default_p50 / p50:.1f}x   (targets: p50 <= 200 ms: "
          f"{'met' if p50 <= 200 else 'NOT met'}; >= 25x: {'met' if default_p50 / p50 >= 25 else 'NOT met'})")
    print(f"same match decision as the default path: {agreements}/{len(default_ms)}")
    if misses:
        print(f"face decisions that differ from the truth (at tolerance {MATCH_TOLERANCE}): {', '.join(misses)}")


if __name__ == "__main__":
    main()
