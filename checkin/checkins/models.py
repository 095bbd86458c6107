"""The check-in event: what the phone claimed, the evidence, and the decision."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..biometrics.sealed import SealedBytes
from ..database import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from geofences.models import Site

    from ..org.models import Employee


class CheckIn(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        CheckConstraint("kind IN ('in', 'out')", name="kind"),
        CheckConstraint("status IN ('accepted', 'flagged', 'rejected')", name="status"),
        # status and kind ride along: the salary-step report reads check-ins by this index alone.
        Index("ix_checkins_employee_received", "employee_id", "received_at", "status", "kind"),
        UniqueConstraint("employee_id", "import_key", name="uq_checkins_employee_import_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The phone's idempotency key: a retry with the same id gets the first answer back.
    client_event_id: Mapped[str] = mapped_column(String(36), unique=True)
    # An imported time-clock punch's identity (timekeeping.punches), per employee; None for phones.
    import_key: Mapped[str | None] = mapped_column(String(36))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    kind: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), index=True)
    method: Mapped[str | None] = mapped_column(String(16))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    site_version: Mapped[int | None] = mapped_column(Integer)  # the fence the decision used
    distance_m: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)

    # What the phone claimed. captured_at is the device's clock: kept, never the time of record.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    accuracy_confidence: Mapped[int] = mapped_column(Integer, default=68)
    mock_location: Mapped[bool | None] = mapped_column()
    device_id: Mapped[str | None] = mapped_column(String(128))
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the phone took the fix (the device's clock too); None when it did not say.
    position_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the phone sent it (its clock), if it said: a check-in from an offline queue comes late.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    # The selfie, stored content-addressed under STORAGE_DIR (none for imported punches).
    selfie_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    selfie_extension: Mapped[str | None] = mapped_column(String(8))
    selfie_content_type: Mapped[str | None] = mapped_column(String(32))
    selfie_bytes: Mapped[int | None] = mapped_column(Integer)
    selfie_width: Mapped[int | None] = mapped_column(Integer)
    selfie_height: Mapped[int | None] = mapped_column(Integer)
    selfie_phash: Mapped[str | None] = mapped_column(String(16))  # the poster masked (verification.replay)
    # The hash of the face chip (verification.replay): derived from the face, so erased with it.
    selfie_face_phash: Mapped[str | None] = mapped_column(String(16))
    # Biometric: kept only to catch a re-used selfie; erased with the employee's faces.
    selfie_face_encoding: Mapped[bytes | None] = mapped_column(SealedBytes)  # sealed at rest
    # Set when the retention job removed the selfie file and its biometric traces.
    selfie_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # What the photo showed (PRODUCT.md step 2).
    face_checked: Mapped[bool] = mapped_column(default=False)
    face_matched: Mapped[bool | None] = mapped_column()
    face_distance: Mapped[float | None] = mapped_column(Float)
    face_count: Mapped[int | None] = mapped_column(Integer)
    face_tolerance: Mapped[float | None] = mapped_column(Float)  # the match bound the decision applied
    # The nearest reference: an enrolled face ("enrolled", its id) or a recent verified selfie
    # ("selfie", that check-in's id).
    face_reference_kind: Mapped[str | None] = mapped_column(String(8))
    face_reference_id: Mapped[int | None] = mapped_column(Integer)
    sign_found: Mapped[bool] = mapped_column(default=False)
    sign_matched: Mapped[bool] = mapped_column(default=False)
    sign_id: Mapped[int | None] = mapped_column(ForeignKey("signs.id"))

    # "queued": accepted by GPS, the photo check waits for a worker; "done" once it ran.
    verification: Mapped[str | None] = mapped_column(String(8), index=True)
    # Tries that found no stored selfie (a worker without the API's storage, a file lost): after a
    # few the check-in goes to a person instead of waiting for ever.
    verification_tries: Mapped[int] = mapped_column(default=0, server_default="0")

    # A supervisor's decision on a flagged check-in; set once, never edited.
    review_decision: Mapped[str | None] = mapped_column(String(8))  # approve | reject
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(String(2000))

    employee: Mapped[Employee] = relationship()
    site: Mapped[Site | None] = relationship()

    @property
    def face(self) -> dict:
        reference = None if self.face_reference_kind is None else {
            "kind": self.face_reference_kind, "id": self.face_reference_id}
        return {"checked": self.face_checked, "matched": self.face_matched, "distance": self.face_distance,
                "tolerance": self.face_tolerance, "reference": reference}

    @property
    def sign(self) -> dict:
        return {"found": self.sign_found, "matched": self.sign_matched, "sign_id": self.sign_id}

    @property
    def review(self) -> dict | None:
        if self.review_decision is None:
            return None
        return {"decision": self.review_decision, "reviewed_by_id": self.reviewed_by_id,
                "reviewed_at": self.reviewed_at, "note": self.review_note}

    @property
    def messages(self) -> list[dict[str, str]]:
        from .reasons import messages_for

        return messages_for(self.reasons)
