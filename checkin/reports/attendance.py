"""Daily attendance: one record per employee and day, derived only from its inputs. Pure and
deterministic: recomputing from the same facts always gives the same days (no watermark).

Times are compared to the minute in Asia/Bangkok: 08:30:59 is on time, 08:31:00 is one minute
late; leaving at 16:29:59 is early, 16:30:00 is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

ON_TIME = "on_time"
LATE = "late"
EARLY_LEAVE = "early_leave"
ON_LEAVE = "on_leave"
ON_LEAVE_HALF = "on_leave_half"
HOLIDAY = "holiday"
WEEKEND = "weekend"
EXEMPT = "exempt"
ABSENT = "absent"  # confirmed by a supervisor
ABSENT_CANDIDATE = "absent_candidate"  # no check-in, no leave: a supervisor must confirm
MISSING_CHECKOUT = "missing_checkout"  # flagged, never guessed
MISSING_CHECKIN = "missing_checkin"
PENDING_REVIEW = "pending_review"
NOT_EMPLOYED = "not_employed"

STATUS_TH = {
    ON_TIME: "ตรงเวลา", LATE: "มาสาย", EARLY_LEAVE: "กลับก่อน", ON_LEAVE: "ลา", ON_LEAVE_HALF: "ลาครึ่งวัน",
    HOLIDAY: "วันหยุดราชการ", WEEKEND: "วันหยุดสุดสัปดาห์", EXEMPT: "ปฏิบัติงานนอกสถานที่ (ได้รับอนุมัติ)",
    ABSENT: "ขาดราชการ", ABSENT_CANDIDATE: "ไม่มีบันทึกเวลา (รอยืนยัน)", MISSING_CHECKOUT: "ไม่มีบันทึกเวลาออก",
    MISSING_CHECKIN: "ไม่มีบันทึกเวลาเข้า", PENDING_REVIEW: "รอผู้บังคับบัญชาตรวจสอบ", NOT_EMPLOYED: "ยังไม่ได้บรรจุ",
}


@dataclass(frozen=True)
class Shift:
    start: time
    end: time
    lunch_start: time
    lunch_end: time


DEFAULT_SHIFT = Shift(time(8, 30), time(16, 30), time(12, 0), time(13, 0))


@dataclass(frozen=True)
class DayFacts:
    day: date
    employed: bool
    holiday_name: str | None
    weekend: bool
    shift: Shift
    leave_type: str | None = None
    leave_portion: str | None = None  # "full", "am" or "pm"
    leave_id: int | None = None  # one leave record is one occasion (ครั้ง)
    exempt: bool = False
    confirmed_absent: bool = False
    first_in: datetime | None = None  # accepted, Bangkok time
    last_out: datetime | None = None  # accepted, Bangkok time
    pending_reviews: int = 0  # flagged events of the day no one decided yet


@dataclass(frozen=True)
class DayRecord:
    day: date
    status: str
    working_day: bool
    present: bool
    late_minutes: int
    early_leave_minutes: int
    leave_type: str | None
    leave_days: float
    leave_portion: str | None  # "full", "am" or "pm": two leaves are one occasion when no work lies between
    leave_id: int | None
    pending_reviews: int
    first_in: datetime | None
    last_out: datetime | None


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def derive_day(facts: DayFacts) -> DayRecord:
    working = facts.employed and not facts.weekend and facts.holiday_name is None

    def record(status: str, present: bool = False, late: int = 0, early: int = 0, leave_days: float = 0.0):
        return DayRecord(facts.day, status, working, present, late, early,
                         facts.leave_type if leave_days else None, leave_days,
                         facts.leave_portion if leave_days else None, facts.leave_id if leave_days else None,
                         facts.pending_reviews if working else 0, facts.first_in, facts.last_out)

    if not facts.employed:
        return record(NOT_EMPLOYED)
    if facts.holiday_name is not None:
        return record(HOLIDAY)
    if facts.weekend:
        return record(WEEKEND)
    if facts.leave_portion == "full":
        return record(ON_LEAVE, leave_days=1.0)
    if facts.exempt:
        return record(EXEMPT, present=True)
    half = 0.5 if facts.leave_portion in ("am", "pm") else 0.0
    if facts.first_in is None and facts.last_out is None:
        if facts.pending_reviews:
            return record(PENDING_REVIEW, leave_days=half)
        if facts.confirmed_absent:
            return record(ABSENT, leave_days=half)
        return record(ABSENT_CANDIDATE, leave_days=half)

    # A morning leave moves the expected arrival to the end of lunch; an afternoon leave moves
    # the expected departure to its start.
    expected_start = facts.shift.lunch_end if facts.leave_portion == "am" else facts.shift.start
    expected_end = facts.shift.lunch_start if facts.leave_portion == "pm" else facts.shift.end
    late = max(0, _minutes(facts.first_in.time()) - _minutes(expected_start)) if facts.first_in else 0
    early = max(0, _minutes(expected_end) - _minutes(facts.last_out.time())) if facts.last_out else 0

    if facts.first_in is None:
        status = MISSING_CHECKIN
    elif facts.last_out is None:
        status = MISSING_CHECKOUT
    elif late:
        status = LATE
    elif early:
        status = EARLY_LEAVE
    elif half:
        status = ON_LEAVE_HALF
    else:
        status = ON_TIME
    return record(status, present=True, late=late, early=early, leave_days=half)
