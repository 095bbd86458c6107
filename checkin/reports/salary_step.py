"""The salary-step review, per employee and round, from daily records. Pure.

Advisory only: it shows every count it used and says eligible / at risk / over a limit / needs
review; it never decides the salary step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from . import attendance as A
from .policy import Limits
from .rounds import Round

COUNTED_TYPES = ("sick", "personal")
# Not counted in the 23 days (PRODUCT.md). Long-term sick leave only up to 60 working days;
# beyond that it counts as sick leave.
SICK_LONG_TERM_EXCLUDED_DAYS = 60

ELIGIBLE, AT_RISK, OVER_LIMIT, NEEDS_REVIEW = "ELIGIBLE", "AT_RISK", "OVER_LIMIT", "NEEDS_REVIEW"
STATUS_TH = {ELIGIBLE: "ผ่านเกณฑ์", AT_RISK: "ใกล้เกินเกณฑ์", OVER_LIMIT: "เกินเกณฑ์", NEEDS_REVIEW: "ต้องตรวจสอบ"}

REASONS_TH = {
    "COUNTED_LEAVE_OVER_LIMIT": "ลาป่วยและลากิจรวมเกินจำนวนวันที่กำหนด",
    "LEAVE_OCCASIONS_OVER_LIMIT": "จำนวนครั้งที่ลาเกินที่กำหนด",
    "LATE_OVER_LIMIT": "มาสายเกินจำนวนครั้งที่กำหนด",
    "ABSENT": "ขาดราชการ",
    "SERVICE_BELOW_MINIMUM": "ปฏิบัติราชการในรอบไม่ถึงระยะเวลาที่กำหนด",
    "COUNTED_LEAVE_NEAR_LIMIT": "วันลาใกล้เกินเกณฑ์",
    "LEAVE_OCCASIONS_NEAR_LIMIT": "จำนวนครั้งที่ลาใกล้เกินเกณฑ์",
    "LATE_NEAR_LIMIT": "มาสายใกล้เกินเกณฑ์",
    "ABSENCE_CANDIDATES": "มีวันที่ไม่มีบันทึกเวลาและยังไม่ได้ยืนยัน",
    "PENDING_REVIEWS": "มีการลงเวลาที่รอผู้บังคับบัญชาตรวจสอบ",
    "MISSING_CHECKOUTS": "มีวันที่ไม่มีบันทึกเวลาออก",
}


@dataclass(frozen=True)
class EmployeeRound:
    employee_code: str
    working_days: int
    days_present: int
    late_count: int
    late_minutes: int
    early_leave_count: int
    leave_occasions: int
    leave_days: dict[str, float]
    counted_leave_days: float
    excluded_leave_days: float
    absent_days: int
    absence_candidates: int
    pending_reviews: int
    missing_checkouts: int
    months_of_service: float
    status: str
    reasons: list[str] = field(default_factory=list)


def months_of_service(hired_on: date | None, round_: Round) -> float:
    """Months from max(hired_on, round start) to the round's end, to one decimal."""
    start = max(hired_on or round_.start, round_.start)
    if start > round_.end:
        return 0.0
    stop = round_.end + timedelta(days=1)
    delta = relativedelta(stop, start)
    whole = delta.years * 12 + delta.months
    anchor = start + relativedelta(months=whole)
    next_anchor = start + relativedelta(months=whole + 1)
    return round(whole + (stop - anchor).days / (next_anchor - anchor).days, 1)


def summarise(employee_code: str, days: list[A.DayRecord], service_months: float, limits: Limits) -> EmployeeRound:
    working = [day for day in days if day.working_day]
    leave_days: dict[str, float] = {}
    for day in working:
        if day.leave_days:
            leave_days[day.leave_type] = leave_days.get(day.leave_type, 0.0) + day.leave_days

    long_term = leave_days.get("sick_long_term", 0.0)
    counted = sum(leave_days.get(code, 0.0) for code in COUNTED_TYPES)
    counted += max(0.0, long_term - SICK_LONG_TERM_EXCLUDED_DAYS)
    total_leave = sum(leave_days.values())
    # One leave record is one occasion (ครั้ง), however many days it covers in the round.
    occasions = len({day.leave_id for day in working if day.leave_days and day.leave_type in COUNTED_TYPES})

    counts = {
        "working_days": len(working),
        "days_present": sum(day.present for day in working),
        "late_count": sum(day.late_minutes > 0 for day in working),
        "late_minutes": sum(day.late_minutes for day in working),
        "early_leave_count": sum(day.early_leave_minutes > 0 for day in working),
        "absent_days": sum(day.status == A.ABSENT for day in working),
        "absence_candidates": sum(day.status == A.ABSENT_CANDIDATE for day in working),
        "pending_reviews": sum(day.pending_reviews > 0 for day in working),
        "missing_checkouts": sum(day.status in (A.MISSING_CHECKOUT, A.MISSING_CHECKIN) for day in working),
    }
    over, near, review = [], [], []
    for value, limit, over_code, near_code in [
        (counted, limits.max_counted_leave_days, "COUNTED_LEAVE_OVER_LIMIT", "COUNTED_LEAVE_NEAR_LIMIT"),
        (occasions, limits.max_leave_occasions, "LEAVE_OCCASIONS_OVER_LIMIT", "LEAVE_OCCASIONS_NEAR_LIMIT"),
        (counts["late_count"], limits.max_late_count, "LATE_OVER_LIMIT", "LATE_NEAR_LIMIT"),
    ]:
        if value > limit:
            over.append(over_code)
        elif limit and value >= limits.at_risk_fraction * limit:
            near.append(near_code)
    if counts["absent_days"] > limits.max_absent_days:
        over.append("ABSENT")
    if service_months < limits.min_months_of_service:
        over.append("SERVICE_BELOW_MINIMUM")
    for code, key in [("ABSENCE_CANDIDATES", "absence_candidates"), ("PENDING_REVIEWS", "pending_reviews"),
                      ("MISSING_CHECKOUTS", "missing_checkouts")]:
        if counts[key]:
            review.append(code)

    status = OVER_LIMIT if over else NEEDS_REVIEW if review else AT_RISK if near else ELIGIBLE
    return EmployeeRound(
        employee_code=employee_code, **counts, leave_occasions=occasions,
        leave_days={code: leave_days[code] for code in sorted(leave_days)},
        counted_leave_days=counted, excluded_leave_days=total_leave - counted,
        months_of_service=service_months, status=status, reasons=over + review + near,
    )
