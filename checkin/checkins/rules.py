"""The whole check-in decision (PRODUCT.md steps 1-4): the GPS result, then the photo, under the
site's evidence policy (geofences.policy).

Pure: no Flask, no SQLAlchemy. Automatic outcomes are only `accepted` or `flagged`.

- Inside the fence with a good fix: accepted by GPS, unless the employee is enrolled and the
  selfie's face is not theirs within the site's inside tolerance (0.6: GPS already places the
  person, the face confirms who), or there is none, or the site wants a sign every time and
  none is shown, or a signal flags it.
- GPS drift (or inside with poor accuracy), within the site's photo band: accepted by photo only
  with exactly one face within the strict tolerance (0.45) and a valid sign of a candidate site
  (a screen's rotating code, where the site accepts only those).
- Anything else, and every signal (mock location, an implausible accuracy, duplicate photo,
  clock skew, a stale position, impossible travel): flagged, with every reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from geofences.policy import SIGN_ALWAYS, SitePolicy
from geofences.sign_codes import SignSighting

from ..verification.faces import nearest
from . import reasons as R
from .gps_step import GpsDecision
from .statuses import ACCEPTED, FLAGGED

# When several QR codes are in one photo, the most favourable explains the outcome.
SIGN_PREFERENCE = [R.SIGN_MATCH, R.SIGN_OTHER_SITE, R.SIGN_EXPIRED, R.SIGN_REVOKED, R.SIGN_INVALID]
# What the phone's own numbers reveal: never accepted, whatever the photo shows.
GPS_FLAGS = (R.MOCK_LOCATION, R.IMPLAUSIBLE_ACCURACY)

ENROLLED, SELFIE = "enrolled", "selfie"


@dataclass(frozen=True)
class FaceReference:
    """A face the selfie may be compared with: an enrolled face, or a recent verified selfie."""

    kind: str  # ENROLLED (a face enrolment's id) | SELFIE (a check-in's id)
    id: int
    encoding: np.ndarray = field(repr=False, compare=False)
    face_phash: str | None = None  # an enrolled photo's face hash (verification.replay)


@dataclass(frozen=True)
class FaceCheck:
    enrolled: bool
    examined: bool
    face_count: int = 0
    distance: float | None = None  # to the nearest reference; None when not encoded
    tolerance: float = SitePolicy.face_tolerance_photo  # a match up to here
    uncertain_up_to: float = SitePolicy.face_tolerance_inside  # a person should look up to here
    reference: FaceReference | None = None  # the nearest

    @property
    def code(self) -> str:
        if not self.enrolled:
            return R.NOT_ENROLLED
        if self.face_count == 0:
            return R.NO_FACE
        if self.distance is None:
            return R.FACE_TOO_SMALL
        if self.distance <= self.tolerance:
            return R.FACE_MATCH
        if self.distance <= self.uncertain_up_to:
            return R.FACE_UNCERTAIN
        return R.FACE_MISMATCH

    @property
    def matched(self) -> bool:
        return self.code == R.FACE_MATCH

    @classmethod
    def of(cls, references: list[FaceReference], faces_found: int, encoding, *, tolerance: float,
           uncertain_up_to: float) -> FaceCheck:
        """Compare the selfie's largest face with the employee's own references (1:1, never 1:N)."""
        if not references:
            return cls(enrolled=False, examined=False)
        distance, closest = None, None
        if encoding is not None:
            index, distance = nearest(encoding, [reference.encoding for reference in references])
            closest, distance = references[index], round(distance, 4)
        return cls(enrolled=True, examined=True, face_count=faces_found, distance=distance, tolerance=tolerance,
                   uncertain_up_to=max(tolerance, uncertain_up_to), reference=closest)


def face_tolerances(gps: GpsDecision, policy: SitePolicy) -> dict[str, float]:
    """Inside with a good fix the face only confirms the person GPS placed there; where the
    photo decides alone, the strict tolerance, and a person looks up to the inside one."""
    if gps.status == ACCEPTED:
        return {"tolerance": policy.face_tolerance_inside, "uncertain_up_to": policy.face_tolerance_inside}
    return {"tolerance": policy.face_tolerance_photo, "uncertain_up_to": policy.face_tolerance_inside}


@dataclass(frozen=True)
class SignCheck:
    sightings: list[SignSighting]
    examined: bool = True  # False: the photo waits for a worker

    @property
    def best(self) -> SignSighting | None:
        return min(self.sightings, key=lambda s: SIGN_PREFERENCE.index(s.code), default=None)

    @property
    def code(self) -> str:
        return self.best.code if self.best else R.SIGN_MISSING

    @property
    def matched(self) -> bool:
        return self.code == R.SIGN_MATCH

    def counted(self, display_only: bool) -> SignSighting | None:
        """The valid sign that counts: any, or only a screen's rotating code."""
        return next((s for s in self.sightings if s.code == R.SIGN_MATCH
                     and (not display_only or s.kind == "display")), None)

    def explained(self, display_only: bool) -> str:
        if self.counted(display_only) is not None:
            return R.SIGN_MATCH
        return R.SIGN_DISPLAY_REQUIRED if self.matched else self.code


@dataclass(frozen=True)
class Decision:
    status: str
    method: str | None
    site_id: int | None
    distance_m: float | None
    reasons: list[str]
    face: FaceCheck
    sign: SignCheck
    sign_id: int | None = None  # the sign that counted, else the one that explains the outcome


def decide_checkin(gps: GpsDecision, face: FaceCheck, sign: SignCheck, signals: list[str],
                   policy: SitePolicy = SitePolicy()) -> Decision:
    reasons = list(gps.reasons)
    site_id = gps.site_id
    counted = None

    if gps.status == ACCEPTED:
        face_ok = True
        if face.enrolled and face.examined:  # not examined: a worker checks it later
            reasons.append(face.code)
            if not face.matched and face.face_count > 1:
                reasons.append(R.MULTIPLE_FACES)
            face_ok = face.matched
        counted = sign.counted(display_only=False)
        sign_ok = counted is not None or policy.sign_required != SIGN_ALWAYS or not sign.examined
        if counted is not None or not sign_ok:
            reasons.append(sign.explained(display_only=False))
        reasons += signals
        accepted = face_ok and sign_ok and not signals
        method = "gps"
    elif gps.photo_may_decide:
        counted = sign.counted(policy.display_sign_only)
        reasons.append(face.code)
        if face.face_count > 1:
            reasons.append(R.MULTIPLE_FACES)
        reasons.append(sign.explained(policy.display_sign_only))
        reasons += signals
        accepted = (face.matched and face.face_count == 1 and counted is not None
                    and not signals and not any(code in reasons for code in GPS_FLAGS))
        if counted is not None:
            site_id = counted.site_id
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

    shown = counted or sign.best
    return Decision(
        status=ACCEPTED if accepted else FLAGGED,
        method=method if accepted else None,
        site_id=site_id,
        distance_m=gps.distance_m,
        reasons=list(dict.fromkeys(reasons)),
        face=face,
        sign=sign,
        sign_id=shown.sign_id if shown else None,
    )
