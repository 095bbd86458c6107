"""The refusal every image module raises, in one place so none imports another for it. Pure.

Refusals: 413 for too big, 415 for a format that is not taken, 422 for a taken format that is
not usable. Each carries a stable `reason`.
"""

from __future__ import annotations

CORRUPT_MESSAGE = "The photo is truncated or corrupt and cannot be decoded."


class ImageRejected(ValueError):
    """An upload that is not a usable photo. `reason` is a stable machine code."""

    def __init__(self, reason: str, message: str, status_code: int = 422):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.status_code = status_code


def corrupt(detail: str = "") -> ImageRejected:
    return ImageRejected("IMAGE_CORRUPT", f"The photo is truncated or corrupt{detail} and cannot be decoded.")
