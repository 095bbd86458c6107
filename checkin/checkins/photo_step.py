"""The photo step (PRODUCT.md steps 2-3): the face, the sign and the always-flag signals of one
check-in, evaluated the same way by the request and by the worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from geofences.policy import SitePolicy
from geofences.signs import resolve_sightings

from ..org.models import Employee
from ..verification.evidence import PhotoEvidence, examine_selfie
from ..verification.images import DecodedImage
from ..verification.signals import clock_skewed, position_stale, sent_late
from . import history
from . import reasons as R
from .gps_step import GpsDecision, GpsFix
from .references import face_references
from .rules import ENROLLED, Decision, FaceCheck, FaceReference, SignCheck, decide_checkin, face_tolerances


@dataclass(frozen=True)
class Claim:
    """What the phone sent, as received."""

    employee: Employee
    fix: GpsFix | None
    captured_at: datetime
    received_at: datetime
    selfie: bytes
    image: DecodedImage
    sha256: str
    checkin_id: int | None = None  # set when a stored check-in is evaluated again
    position_at: datetime | None = None  # when the phone took the fix, if it said
    sent_at: datetime | None = None  # the phone's clock when it sent the check-in, if it said


def policy_of(gps: GpsDecision, candidates: list) -> SitePolicy:
    """The evidence policy of the site that judged the fix (the defaults when none did)."""
    site = next((site for site in candidates if site.id == gps.site_id), None)
    return site.policy if site is not None else SitePolicy()


def evaluate(claim: Claim, gps: GpsDecision, candidates: list, examine_photo: bool
             ) -> tuple[Decision, PhotoEvidence | None]:
    """The decision. With `examine_photo` False (GPS accepted, a worker will evaluate again)
    the face, the sign and the signals that read earlier check-ins wait for that worker."""
    policy = policy_of(gps, candidates)
    evidence, references = None, []
    face, sign = FaceCheck(enrolled=False, examined=False), SignCheck([], examined=False)
    if examine_photo:
        references = face_references(claim.employee.id, claim.received_at, claim.checkin_id)
        evidence = examine_selfie(claim.selfie, claim.image, look_for_faces=bool(references))
        face = FaceCheck.of(references, len(evidence.faces), evidence.encoding, **face_tolerances(gps, policy))
        sign = SignCheck(resolve_sightings(evidence.qr_texts, {site.id for site in candidates}, claim.received_at))
    found = signals(claim, evidence, references, with_history=examine_photo)
    return decide_checkin(gps, face, sign, found, policy), evidence


def signals(claim: Claim, evidence: PhotoEvidence | None, references: list[FaceReference],
            with_history: bool) -> list[str]:
    """The always-flag signals of PRODUCT.md step 3 (mock location and an implausible accuracy
    are part of the GPS step). Without `with_history` only the clocks are checked: no query of
    earlier check-ins."""
    found = []
    if with_history and history.photo_used_before(claim, evidence):
        found.append(R.DUPLICATE_PHOTO)
    if evidence is not None and history.reuses_enrolled_photo(
            evidence, [reference for reference in references if reference.kind == ENROLLED]):
        found.append(R.ENROLLMENT_PHOTO_REUSED)
    exif_taken_at = evidence.exif_taken_at if evidence else None
    if sent_late(claim.received_at, claim.captured_at, claim.sent_at):
        found.append(R.SENT_LATE)  # the photo's own time is then judged against the tap's
        if clock_skewed(claim.captured_at, exif_taken_at):
            found.append(R.CLOCK_SKEW)
    elif clock_skewed(claim.received_at, claim.captured_at, exif_taken_at):
        found.append(R.CLOCK_SKEW)
    if position_stale(claim.captured_at, claim.position_at):
        found.append(R.STALE_POSITION)
    if with_history and history.travelled_impossibly(claim):
        found.append(R.IMPOSSIBLE_TRAVEL)
    return found
