"""Stable reason codes for check-in decisions, each with a Thai and an English message.

Clients key on the code; the messages are what a person reads on the phone or in the queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from geofences.sign_codes import (SIGN_EXPIRED, SIGN_INVALID, SIGN_MATCH, SIGN_OTHER_SITE,  # noqa: F401
                                  SIGN_REVOKED)


@dataclass(frozen=True)
class Reason:
    code: str
    th: str
    en: str


_REASONS = [
    Reason("INSIDE_GEOFENCE", "อยู่ในพื้นที่ลงเวลา", "Inside the check-in area."),
    Reason("GPS_DRIFT", "ตำแหน่ง GPS คลาดเคลื่อนใกล้พื้นที่ลงเวลา ต้องตรวจสอบด้วยภาพถ่าย",
           "GPS position is just outside the check-in area, within its drift margin; the photo is checked."),
    Reason("OUTSIDE_GEOFENCE", "อยู่นอกพื้นที่ลงเวลา", "Outside the check-in area."),
    Reason("LOW_ACCURACY", "ความแม่นยำของ GPS ต่ำเกินไป", "GPS accuracy is too low to trust the position."),
    Reason("IMPLAUSIBLE_ACCURACY", "ความแม่นยำของ GPS ที่ส่งมาดีเกินกว่าที่โทรศัพท์ทำได้ (ต่ำกว่า 1 เมตร)",
           "The reported GPS accuracy (under 1 m) is better than any phone achieves."),
    Reason("STALE_POSITION", "ตำแหน่งที่ส่งมาเป็นตำแหน่งเก่า ไม่ใช่ตำแหน่งขณะถ่ายภาพ",
           "The position was taken well before the photo, not when checking in."),
    Reason("MOCK_LOCATION", "อุปกรณ์รายงานว่าใช้ตำแหน่งจำลอง", "The device reported a mock (simulated) location."),
    Reason("NO_GPS_FIX", "ไม่มีพิกัด GPS", "No GPS position was received."),
    Reason("NO_SITE_ASSIGNED", "ยังไม่ได้กำหนดจุดลงเวลาให้ผู้ใช้หรือหน่วยงาน",
           "No check-in site is assigned to this employee or their unit."),
    Reason("FACE_MATCH", "ใบหน้าตรงกับที่ลงทะเบียนไว้", "The face matches the enrolled employee."),
    Reason("FACE_MISMATCH", "ใบหน้าไม่ตรงกับที่ลงทะเบียนไว้", "The face does not match the enrolled employee."),
    Reason("NO_FACE", "ไม่พบใบหน้าในภาพ", "No face was found in the photo."),
    Reason("MULTIPLE_FACES", "พบใบหน้ามากกว่าหนึ่งคนในภาพ", "More than one face is in the photo."),
    Reason("FACE_UNCERTAIN", "ใบหน้าคล้ายแต่ไม่ชัดเจนพอ ต้องให้ผู้บังคับบัญชาตรวจสอบ",
           "The face is similar but not clearly the same person; a supervisor should look."),
    Reason("FACE_TOO_SMALL", "ใบหน้าในภาพเล็กเกินไป", "The face in the photo is too small to compare."),
    Reason("NOT_ENROLLED", "ยังไม่ได้ลงทะเบียนใบหน้า", "No enrolled face to compare with."),
    Reason("SIGN_MATCH", "พบป้ายของจุดลงเวลาที่ถูกต้อง", "The sign of the right site is in the photo."),
    Reason("SIGN_MISSING", "ไม่พบป้ายจุดลงเวลาในภาพ", "No check-in sign was found in the photo."),
    Reason("SIGN_OTHER_SITE", "ป้ายในภาพเป็นของจุดลงเวลาอื่น", "The sign in the photo belongs to another site."),
    Reason("SIGN_REVOKED", "ป้ายในภาพถูกยกเลิกแล้ว", "The sign in the photo has been revoked."),
    Reason("SIGN_EXPIRED", "รหัสบนจอแสดงผลหมดอายุแล้ว (อาจเป็นภาพถ่ายซ้ำของจอ)",
           "The screen code in the photo has expired (a photo of an old screen?)."),
    Reason("SIGN_DISPLAY_REQUIRED", "จุดลงเวลานี้รับเฉพาะรหัสบนจอแสดงผล ไม่รับป้ายที่พิมพ์",
           "This site accepts only the screen's rotating code on a photo check-in, not a printed poster."),
    Reason("SIGN_INVALID", "รหัส QR ในภาพไม่ใช่ป้ายที่ระบบออกให้", "The QR code in the photo is not a sign issued by this system."),
    Reason("PHOTO_UNREADABLE", "ระบบอ่านภาพถ่ายนี้เพื่อตรวจสอบไม่ได้ ต้องให้ผู้บังคับบัญชาตรวจสอบ",
           "The photo could not be read for the check; a supervisor should look."),
    Reason("DUPLICATE_PHOTO", "ภาพนี้เคยถูกใช้ลงเวลาแล้ว", "This photo (or a near copy) was used before."),
    Reason("ENROLLMENT_PHOTO_REUSED", "ภาพนี้เป็นภาพใบหน้าที่ลงทะเบียนไว้ ไม่ใช่ภาพถ่ายใหม่",
           "This is the enrolled face photo (or a copy of it), not a new selfie."),
    Reason("CLOCK_SKEW", "เวลาในเครื่องต่างจากเวลาเซิร์ฟเวอร์มาก", "The device clock is far from server time."),
    Reason("SENT_LATE", "ส่งช้าจากคิวออฟไลน์ ผู้บังคับบัญชาจะยืนยันเวลาที่กดลงเวลา",
           "Sent late from the offline queue; a supervisor will confirm the time it was tapped."),
    Reason("IMPORTED", "นำเข้าจากเครื่องบันทึกเวลาเดิม", "Imported from the previous time clock."),
    Reason("IMPOSSIBLE_TRAVEL", "ระยะทางจากการลงเวลาครั้งก่อนเป็นไปไม่ได้ในเวลาที่ผ่านไป",
           "Too far from the previous check-in for the time that passed."),
]

REASONS: dict[str, Reason] = {reason.code: reason for reason in _REASONS}

INSIDE_GEOFENCE = "INSIDE_GEOFENCE"
GPS_DRIFT = "GPS_DRIFT"
OUTSIDE_GEOFENCE = "OUTSIDE_GEOFENCE"
LOW_ACCURACY = "LOW_ACCURACY"
MOCK_LOCATION = "MOCK_LOCATION"
IMPLAUSIBLE_ACCURACY = "IMPLAUSIBLE_ACCURACY"
STALE_POSITION = "STALE_POSITION"
NO_GPS_FIX = "NO_GPS_FIX"
NO_SITE_ASSIGNED = "NO_SITE_ASSIGNED"
FACE_MATCH = "FACE_MATCH"
FACE_MISMATCH = "FACE_MISMATCH"
FACE_UNCERTAIN = "FACE_UNCERTAIN"
FACE_TOO_SMALL = "FACE_TOO_SMALL"
NO_FACE = "NO_FACE"
MULTIPLE_FACES = "MULTIPLE_FACES"
NOT_ENROLLED = "NOT_ENROLLED"
SIGN_MISSING = "SIGN_MISSING"
SIGN_DISPLAY_REQUIRED = "SIGN_DISPLAY_REQUIRED"
# SIGN_MATCH, SIGN_OTHER_SITE, SIGN_REVOKED, SIGN_EXPIRED and SIGN_INVALID are the sign's own
# codes (geofences.sign_codes), imported above so that every reason code is found here.
DUPLICATE_PHOTO = "DUPLICATE_PHOTO"
ENROLLMENT_PHOTO_REUSED = "ENROLLMENT_PHOTO_REUSED"
PHOTO_UNREADABLE = "PHOTO_UNREADABLE"
CLOCK_SKEW = "CLOCK_SKEW"
SENT_LATE = "SENT_LATE"
IMPOSSIBLE_TRAVEL = "IMPOSSIBLE_TRAVEL"


def messages_for(codes: list[str]) -> list[dict[str, str]]:
    return [{"code": code, "th": REASONS[code].th, "en": REASONS[code].en} for code in codes]
