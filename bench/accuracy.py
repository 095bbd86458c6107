"""Face matching accuracy on the fixtures: every genuine pair (two photos of one person) and
every impostor pair (two people), encoded exactly as check-ins are. False-accept and
false-reject rates at the chosen tolerance and at face_recognition's default 0.6.

    .venv/bin/python bench/accuracy.py
"""

from __future__ import annotations

import itertools

import numpy as np
from fixtures import person_photos

from checkin.verification.faces import MATCH_TOLERANCE, UNCERTAIN_UP_TO, analyse_faces
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
    for tolerance in sorted({0.4, MATCH_TOLERANCE, 0.5, 0.55, UNCERTAIN_UP_TO}):
        frr = sum(d > tolerance for d in genuine) / len(genuine)
        far = sum(d <= tolerance for d in impostor) / len(impostor)
        marker = "  <- chosen" if tolerance == MATCH_TOLERANCE else ("  <- library default" if tolerance == 0.6 else "")
        print(f"tolerance {tolerance:.2f}: false reject {frr:6.1%}   false accept {far:6.2%}{marker}")
    print("These fixtures are six Western public figures; PRODUCT.md reports impostor distances of"
          " 0.22-0.33 for some East-Asian faces, which is why a match alone never accepts a check-in.")


if __name__ == "__main__":
    main()
