"""Face matching accuracy on the fixtures: every genuine pair (two photos of one person) and
every impostor pair (two people), encoded exactly as check-ins are. False-accept and
false-reject rates at both of a site's bounds (geofences.policy): the strict one with which the
photo decides alone in the GPS drift band, and the inside one with which the face confirms a
person GPS already placed inside the fence.

Run it on the customer's own consented selfies to set the bounds for their staff: put them in
a folder per person and point FACES at it (FACES=/path/to/folders .venv/bin/python bench/accuracy.py).

    .venv/bin/python bench/accuracy.py
"""

from __future__ import annotations

import itertools

import numpy as np
from fixtures import person_photos

from checkin.verification.faces import analyse_faces
from geofences.policy import DEFAULT_FACE_TOLERANCE_INSIDE, DEFAULT_FACE_TOLERANCE_PHOTO
from checkin.verification.images import decode_image

LIMITS = {"max_bytes": 20 * 1024 * 1024, "max_pixels": 50_000_000}


def main() -> None:
    encodings = []  # (person, file, encoding)
    skipped = []
    for person, paths in person_photos().items():
        for path in paths:
            faces = analyse_faces(decode_image(path.read_bytes(), **LIMITS).preview)
            if len(faces) == 1 and faces[0].encoding is not None:
                encodings.append((person, path.name, faces[0].encoding))
            else:
                skipped.append(f"{path.name} ({len(faces)} faces)")
    genuine, impostor = [], []
    for (person_a, _, a), (person_b, _, b) in itertools.combinations(encodings, 2):
        (genuine if person_a == person_b else impostor).append(float(np.linalg.norm(a - b)))

    print(f"photos encoded: {len(encodings)}; skipped: {', '.join(skipped) or 'none'}")
    print(f"pairs: {len(genuine)} genuine, {len(impostor)} impostor")
    print(f"genuine distance: median {np.median(genuine):.3f}, max {max(genuine):.3f}")
    print(f"impostor distance: min {min(impostor):.3f}, median {np.median(impostor):.3f}")
    markers = {DEFAULT_FACE_TOLERANCE_PHOTO: "  <- photo decides alone (drift band)",
               DEFAULT_FACE_TOLERANCE_INSIDE: "  <- inside the fence with a good fix (library default)"}
    for tolerance in sorted({0.4, DEFAULT_FACE_TOLERANCE_PHOTO, 0.5, 0.55, DEFAULT_FACE_TOLERANCE_INSIDE}):
        frr = sum(d > tolerance for d in genuine) / len(genuine)
        far = sum(d <= tolerance for d in impostor) / len(impostor)
        print(f"tolerance {tolerance:.2f}: false reject {frr:6.1%}   false accept {far:6.2%}{markers.get(tolerance, '')}")
    print("These fixtures are six Western public figures; PRODUCT.md reports impostor distances of"
          " 0.22-0.33 for some East-Asian faces, which is why a match alone never accepts a check-in.")


if __name__ == "__main__":
    main()
