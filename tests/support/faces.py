"""Real face photos from the shared fixtures: ../shared/fixtures/faces beside the clone (as in
CI), or wherever FACE_FIXTURES points."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
FACE_FIXTURES = Path(os.environ.get("FACE_FIXTURES") or REPOSITORY.parent / "shared/fixtures/faces")


def face_photo(relative: str) -> bytes:
    """A real photo from ../shared/fixtures/faces (beside the clone, as in CI)."""
    path = FACE_FIXTURES / relative
    if not path.exists():
        if os.environ.get("CI"):
            raise FileNotFoundError(f"face fixtures missing at {FACE_FIXTURES}")
        pytest.skip(f"face fixtures not found at {FACE_FIXTURES}")
    return path.read_bytes()
