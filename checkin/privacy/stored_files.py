"""Deleting stored files. The store is content-addressed and shared: a selfie, an enrolled face's
thumbnail and a report file with the same bytes are one file (someone may send their enrolled
thumbnail as a selfie). A file is deleted only when no row refers to it any more."""

from __future__ import annotations

from sqlalchemy import exists, select

from ..biometrics.models import FaceEnrollment
from ..biometrics.service import THUMBNAIL_EXTENSION
from ..checkins.models import CheckIn
from ..database import db
from ..reports.models import ReportJob
from ..storage import current_storage


def still_referenced(sha256: str, extension: str) -> bool:
    """True while a kept selfie, an enrolled face or a report job still points at the file."""
    references = [
        select(CheckIn.id).where(CheckIn.selfie_sha256 == sha256, CheckIn.selfie_extension == extension,
                                 CheckIn.selfie_purged_at.is_(None)),
        select(ReportJob.id).where(ReportJob.file_sha256 == sha256, ReportJob.format == extension),
    ]
    if extension == THUMBNAIL_EXTENSION:
        references.append(select(FaceEnrollment.id).where(FaceEnrollment.thumbnail_sha256 == sha256))
    return any(db.session.scalar(select(exists(reference))) for reference in references)


def delete_unreferenced(files: set[tuple[str, str]]) -> int:
    """Delete each (sha256, extension) nothing refers to any more (call after the rows that
    referred to them are changed and flushed). Returns how many were deleted."""
    deleted = 0
    for sha256, extension in sorted(files):
        if not still_referenced(sha256, extension):
            current_storage().delete(sha256, extension)
            deleted += 1
    return deleted
