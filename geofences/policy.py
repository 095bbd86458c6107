"""What a site asks of a check-in's evidence beyond its polygon (PRODUCT.md steps 1-3): how far
a photo may rescue a GPS fix, how close a face must be in each context, and which signs count.
Pure: no Flask, no SQLAlchemy. Every value is a site property (GeoJSON), versioned with the fence.
"""

from __future__ import annotations

from dataclasses import dataclass

# The photo may rescue a fix only this close to the fence and only this precise (95 % radius):
# a poster photographed once must not check anyone in from across the city with an inflated
# accuracy (an accuracy of 99 999 m used to make the drift band unbounded).
DEFAULT_PHOTO_MAX_DISTANCE_M = 150.0
DEFAULT_PHOTO_MAX_RADIUS_M = 150.0
# Face distances (bench/accuracy.py measures the false accept/reject rates of each): inside the
# fence with a good fix GPS already places the person and the face only confirms who it is, so
# the library's 0.6 is enough; in the drift band the photo decides alone, so the strict 0.45.
DEFAULT_FACE_TOLERANCE_INSIDE = 0.6
DEFAULT_FACE_TOLERANCE_PHOTO = 0.45
FACE_TOLERANCE_RANGE = (0.3, 0.6)
PHOTO_LIMIT_RANGE_M = (0.0, 500.0)

SIGN_ON_DRIFT = "drift"  # the sign is the fallback when GPS drifts (PRODUCT.md)
SIGN_ALWAYS = "always"  # every check-in must show a valid sign of the site
SIGN_REQUIRED_CHOICES = (SIGN_ON_DRIFT, SIGN_ALWAYS)

POLICY_FIELDS = ("photo_max_distance_m", "photo_max_radius_m", "face_tolerance_inside", "face_tolerance_photo",
                 "sign_required", "display_sign_only")


@dataclass(frozen=True)
class SitePolicy:
    face_tolerance_inside: float = DEFAULT_FACE_TOLERANCE_INSIDE
    face_tolerance_photo: float = DEFAULT_FACE_TOLERANCE_PHOTO
    sign_required: str = SIGN_ON_DRIFT
    # Only a screen's rotating code counts on the photo path: a printed poster photographed
    # once could otherwise be shown from home for ever.
    display_sign_only: bool = False

    @classmethod
    def of(cls, site) -> SitePolicy:
        """The policy of a site (or a site version): anything with the fields."""
        return cls(site.face_tolerance_inside, site.face_tolerance_photo, site.sign_required, site.display_sign_only)
