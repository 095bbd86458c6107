"""The whole check-in decision (PRODUCT.md steps 1-4): the GPS result, then the photo.

Pure: no Flask, no SQLAlchemy. Automatic outcomes are only `accepted` or `flagged`.

- Inside the fence with a good fix: accepted by GPS, unless the employee is enrolled and the
  selfie's face is not theirs (or there is none), or a signal flags it.
- GPS drift (or inside with poor accuracy): accepted by photo only with exactly one face that
  matches the employee's enrolled faces and a valid sign of a candidate site.
- Anything else, and every signal (mock location, duplicate photo, clock skew, impossible
  travel): flagged, with every reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from geofences.sign_codes import SignSighting

from ..verification.faces import MATCH_TOLERANCE, UNCERTAIN_UP_TO, face_distance
from . import reasons as R
from .gps_step import GpsDecision
from .statuses import ACCEPTED, FLAGGED

# When several QR codes are in one photo, the most favourable explains the outcome.
SIGN_PREFERENCE = [R.SIGN_MATCH, R.SIGN_OTHER_SITE, R.SIGN_EXPIRED, R.SIGN_REVOKED, R.SIGN_INVALID]


@dataclass(frozen=True)
class FaceCheck:
    enrolled: bool
    examined: bool
    face_count: int = 0
    distance: float | None = None  # to the nearest enrolled encoding; None when not encoded

    @property
    def code(self) -> str:
        if not self.enrolled:
            return R.NOT_ENROLLED
        if self.face_count == 0:
            return R.NO_FACE
        if self.distance is None:
            return R.FACE_TOO_SMALL
        if self.distance <= MATCH_TOLERANCE:
            return R.FACE_MATCH
        if self.distance <= UNCERTAIN_UP_TO:
            return R.FACE_UNCERTAIN
        return R.FACE_MISMATCH

    @property
    def matched(self) -> bool:
        return self.code == R.FACE_MATCH

    @classmethod
    def of(cls, enrolled: list, faces_found: int, encoding) -> FaceCheck:
        """Compare the selfie's largest face with the employee's own enrolled encodings."""
        if not enrolled:
            return cls(enrolled=False, examined=False)
        distance = None if encoding is None else round(face_distance(encoding, enrolled), 4)
        return cls(enrolled=True, examined=True, face_count=faces_found, distance=distance)


@dataclass(frozen=True)
class SignCheck:
    sightings: list[SignSighting]

    @property
    def best(self) -> SignSighting | None:
        return min(self.sightings, key=lambda s: SIGN_PREFERENCE.index(s.code), default=None)

    @property
    def code(self) -> str:
        return self.best.code if self.best else R.SIGN_MISSING

    @property
    def matched(self) -> bool:
        return self.code == R.SIGN_MATCH


@dataclass(frozen=True)
class Decision:
    status: str
    method: str | None
    site_id: int | None
    distance_m: float | None
    reasons: list[str]
    face: FaceCheck
    sign: SignCheck


def decide_checkin(gps: GpsDecision, face: FaceCheck, sign: SignCheck, signals: list[str]) -> Decision:
    reasons = list(gps.reasons)
    site_id = gps.site_id

    if gps.status == ACCEPTED:
        face_ok = True
        if face.enrolled and face.examined:  # not examined: a worker checks it later
            reasons.append(face.code)
            if not face.matched and face.face_count > 1:
                reasons.append(R.MULTIPLE_FACES)
            face_ok = face.matched
        if sign.matched:
            reasons.append(R.SIGN_MATCH)
        reasons += signals
        accepted = face_ok and not signals
        method = "gps"
    elif _photo_may_decide(gps):
        reasons.append(face.code)
        if face.face_count > 1:
            reasons.append(R.MULTIPLE_FACES)
        reasons.append(sign.code)
        reasons += signals
        accepted = (face.matched and face.face_count == 1 and sign.matched
                    and not signals and R.MOCK_LOCATION not in reasons)
        if sign.matched:
            site_id = sign.best.site_id
        method = "photo"
    else:
        # Never accepted automatically; what the photo shows still helps the reviewer.
        if face.enrolled and face.examined:
            reasons.append(face.code)
        if sign.best is not None:
            reasons.append(sign.code)
        reasons += signals
        accepted = False
        method = None

    return Decision(
        status=ACCEPTED if accepted else FLAGGED,
        method=method if accepted else None,
        site_id=site_id,
        distance_m=gps.distance_m,
        reasons=list(dict.fromkeys(reasons)),
        face=face,
        sign=sign,
    )


def _photo_may_decide(gps: GpsDecision) -> bool:
    """GPS drift, or inside the fence with an accuracy too poor to trust: the photo decides."""
    return R.GPS_DRIFT in gps.reasons or (R.INSIDE_GEOFENCE in gps.reasons and R.LOW_ACCURACY in gps.reasons)
