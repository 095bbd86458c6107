"""The salary-step review, per employee and round, from daily records. Pure.

Advisory only: it covers attendance (leave, lateness, absence, time in service), shows every count
it used with the limits it applied, and says eligible / near a limit / not eligible / needs review;
the committee decides the salary step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from ..timekeeping.leave_types import CALENDAR_DAY_TYPES
from . import attendance as A
from .policy import Limits
from .rounds import Round

# Long-term sick leave is not counted up to 60 working days; beyond that it counts as sick leave.
SICK_LONG_TERM_EXCLUDED_DAYS = 60

ELIGIBLE, AT_RISK, NOT_ELIGIBLE, NEEDS_REVIEW = "ELIGIBLE", "AT_RISK", "NOT_ELIGIBLE", "NEEDS_REVIEW"
STATUS_TH = {ELIGIBLE: "ผ่านเกณฑ์", AT_RISK: "ใกล้เกณฑ์", NOT_ELIGIBLE: "ไม่ผ่านเกณฑ์", NEEDS_REVIEW: "ต้องตรวจสอบ"}


@dataclass(frozen=True)
class Service:
    """Time in service within a round, in whole months and days (never rounded: 3 months and
    29 days is not 4 months)."""

    months: int
    days: int

    @property
    def th(self) -> str:
        if self.months and self.days:
            return f"{self.months} เดือน {self.days} วัน"
        return f"{self.months} เดือน" if self.months else f"{self.days} วัน"


def service_in_round(hired_on: date | None, ended_on: date | None, round_: Round) -> Service:
    """From the later of hiring and the round's start to the earlier of leaving and the round's
    end, both days included: hired 2 Jun 2025, round 2 ends 30 Sep -> 3 months 29 days."""
    first = max(hired_on or round_.start, round_.start)
    last = min(ended_on or round_.end, round_.end)
    if first > last:
        return Service(0, 0)
    delta = relativedelta(last + timedelta(days=1), first)
    return Service(delta.years * 12 + delta.months, delta.days)


@dataclass(frozen=True)
class LeaveSpan:
    """One leave record, for the leave shown in calendar days."""

    leave_type: str
    start: date
    end: date


@dataclass(frozen=True)
class Finding:
    code: str
    kind: str  # over (not eligible), review, near
    remark_th: str


@dataclass(frozen=True)
class EmployeeRound:
    working_days: int
    days_present: int
    late_count: int
    late_minutes: int
    early_leave_count: int
    absent_days: int
    absence_candidates: int
    missing_checkouts: int
    missing_checkins: int
    pending_reviews: int
    leave: dict[str, dict]  # code -> {"occasions", "days"}, days in the regulation's unit
    counted_leave_occasions: int
    counted_leave_days: float
    not_counted_leave_days: float  # working days
    service: Service
    status: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [finding.code for finding in self.findings]

    @property
    def remarks_th(self) -> str:
        return "; ".join(finding.remark_th for finding in self.findings)


def leave_occasions(working: list[A.DayRecord]) -> dict[str, int]:
    """Occasions (ครั้ง) per leave type: consecutive leave of one type is one occasion, however
    many records it was entered as; a day of work (or a half day) between starts a new one.
    Weekends and holidays between do not."""
    occasions: dict[str, int] = {}
    previous: A.DayRecord | None = None
    for day in working:
        if day.leave_days:
            continues = (previous is not None and previous.leave_type == day.leave_type
                         and previous.leave_portion in ("full", "pm") and day.leave_portion in ("full", "am"))
            if not continues:
                occasions[day.leave_type] = occasions.get(day.leave_type, 0) + 1
        previous = day
    return occasions


def calendar_leave_days(spans: list[LeaveSpan], first: date, last: date) -> dict[str, int]:
    """Leave counted in calendar days (maternity, ordination, military...): every day of the
    record between `first` and `last`, weekends and holidays included."""
    days: dict[str, int] = {}
    for span in spans:
        if span.leave_type in CALENDAR_DAY_TYPES:
            overlap = (min(span.end, last) - max(span.start, first)).days + 1
            if overlap > 0:
                days[span.leave_type] = days.get(span.leave_type, 0) + overlap
    return days


def _leave(working: list[A.DayRecord], calendar_days: dict[str, int]) -> tuple[dict, dict, dict]:
    """Each type's occasions and days in its unit; the working days and occasions per type."""
    working_days: dict[str, float] = {}
    for day in working:
        if day.leave_days:
            working_days[day.leave_type] = working_days.get(day.leave_type, 0.0) + day.leave_days
    occasions = leave_occasions(working)
    leave = {}
    for code in sorted(set(working_days) | set(calendar_days)):
        days = calendar_days.get(code, 0) if code in CALENDAR_DAY_TYPES else working_days.get(code, 0.0)
        leave[code] = {"occasions": occasions.get(code, 0), "days": days}
    return leave, working_days, occasions


def summarise(days: list[A.DayRecord], spans: list[LeaveSpan], service: Service, limits: Limits,
              counted_types: tuple[str, ...]) -> EmployeeRound:
    """`days`: the round's daily records up to the as-of date; `spans`: the employee's leave
    records; `counted_types`: the leave types the policy counts toward the leave limits."""
    working = [day for day in days if day.working_day]
    window = [day.day for day in days if day.status != A.NOT_EMPLOYED]
    calendar_days = calendar_leave_days(spans, min(window), max(window)) if window else {}
    leave, working_leave, occasions = _leave(working, calendar_days)

    long_term = working_leave.get("sick_long_term", 0.0)
    counted_days = sum(working_leave.get(code, 0.0) for code in counted_types)
    counted_days += max(0.0, long_term - SICK_LONG_TERM_EXCLUDED_DAYS) if "sick_long_term" not in counted_types else 0
    counts = {
        "working_days": len(working),
        "days_present": sum(day.present for day in working),
        "late_count": sum(day.late_minutes > 0 for day in working),
        "late_minutes": sum(day.late_minutes for day in working),
        "early_leave_count": sum(day.early_leave_minutes > 0 for day in working),
        "absent_days": sum(day.status == A.ABSENT for day in working),
        "absence_candidates": sum(day.status == A.ABSENT_CANDIDATE for day in working),
        "missing_checkouts": sum(day.status == A.MISSING_CHECKOUT for day in working),
        "missing_checkins": sum(day.status == A.MISSING_CHECKIN for day in working),
        "pending_reviews": sum(day.pending_reviews > 0 for day in working),
    }
    counted_occasions = sum(occasions.get(code, 0) for code in counted_types)
    findings = judge(counts, counted_days, counted_occasions, service, limits)
    kinds = {finding.kind for finding in findings}
    status = NOT_ELIGIBLE if "over" in kinds else NEEDS_REVIEW if "review" in kinds else AT_RISK if "near" in kinds \
        else ELIGIBLE
    return EmployeeRound(**counts, leave=leave, counted_leave_occasions=counted_occasions,
                         counted_leave_days=counted_days,
                         not_counted_leave_days=sum(working_leave.values()) - counted_days,
                         service=service, status=status, findings=findings)


def judge(counts: dict, counted_days: float, counted_occasions: int, service: Service,
          limits: Limits) -> list[Finding]:
    """Every limit crossed or near, and everything a person must still look at, with its figures.
    Too little service and a confirmed absence make a person not eligible without being "over" a
    count, and their remarks say so."""
    over, review, near = [], [], []
    for value, limit, code, words, unit in [
        (counted_days, limits.max_counted_leave_days, "COUNTED_LEAVE", "ลาป่วยและลากิจส่วนตัว", "วัน"),
        (counted_occasions, limits.max_leave_occasions, "LEAVE_OCCASIONS", "ลาป่วยและลากิจส่วนตัว", "ครั้ง"),
        (counts["late_count"], limits.max_late_count, "LATE", "มาสาย", "ครั้ง"),
    ]:
        if value > limit:
            over.append(Finding(f"{code}_OVER_LIMIT", "over", f"{words} {value:g} {unit} เกินเกณฑ์ {limit:g} {unit}"))
        elif limit and value >= limits.at_risk_fraction * limit:
            near.append(Finding(f"{code}_NEAR_LIMIT", "near", f"{words} {value:g} {unit} ใกล้เกณฑ์ {limit:g} {unit}"))
    if counts["absent_days"] > limits.max_absent_days:
        allowed = f" (เกณฑ์ไม่เกิน {limits.max_absent_days} วัน)" if limits.max_absent_days else ""
        over.append(Finding("ABSENT", "over", f"ขาดราชการ {counts['absent_days']} วัน{allowed}"))
    if service.months < limits.min_months_of_service:
        over.append(Finding("SERVICE_BELOW_MINIMUM", "over",
                            f"ปฏิบัติราชการในรอบ {service.th} ไม่ถึง {limits.min_months_of_service:g} เดือน"))
    for code, key, words in [("ABSENCE_CANDIDATES", "absence_candidates", "ไม่มีบันทึกเวลา {} วัน รอยืนยัน"),
                             ("PENDING_REVIEWS", "pending_reviews", "รอผู้บังคับบัญชาตรวจสอบ {} วัน"),
                             ("MISSING_CHECKOUTS", "missing_checkouts", "ไม่มีบันทึกเวลาออก {} วัน"),
                             ("MISSING_CHECKINS", "missing_checkins", "ไม่มีบันทึกเวลาเข้า {} วัน")]:
        if counts[key]:
            review.append(Finding(code, "review", words.format(counts[key])))
    return over + review + near


def limits_th(limits: Limits) -> str:
    """The limits applied to one person, as a committee reads them."""
    text = (f"ลาไม่เกิน {limits.max_counted_leave_days:g} วัน/{limits.max_leave_occasions} ครั้ง, "
            f"สายไม่เกิน {limits.max_late_count} ครั้ง")
    if limits.max_absent_days:
        text += f", ขาดไม่เกิน {limits.max_absent_days} วัน"
    return text


DETAIL_KINDS = {A.LATE: "late", A.ABSENT: "absent", A.ABSENT_CANDIDATE: "absence_candidate",
                A.MISSING_CHECKOUT: "missing_checkout", A.MISSING_CHECKIN: "missing_checkin",
                A.PENDING_REVIEW: "pending_review"}
DETAIL_KINDS_TH = {"late": "มาสาย", "absent": "ขาดราชการ", "absence_candidate": "ไม่มีบันทึกเวลา (รอยืนยัน)",
                   "missing_checkout": "ไม่มีบันทึกเวลาออก", "missing_checkin": "ไม่มีบันทึกเวลาเข้า",
                   "pending_review": "รอผู้บังคับบัญชาตรวจสอบ"}


def details(days: list[A.DayRecord]) -> list[dict]:
    """The dates behind the counts: each late arrival, absence, missing check-in or check-out and
    undecided day. A late arrival that also lacks its check-out is listed as both."""
    rows = []
    for day in days:
        if not day.working_day:
            continue
        kinds = [DETAIL_KINDS[day.status]] if day.status in DETAIL_KINDS else []
        if day.late_minutes and "late" not in kinds:
            kinds.insert(0, "late")
        if day.pending_reviews and "pending_review" not in kinds:
            kinds.append("pending_review")
        for kind in kinds:
            rows.append({"date": day.day, "kind": kind, "kind_th": DETAIL_KINDS_TH[kind], "first_in": day.first_in,
                         "last_out": day.last_out, "late_minutes": day.late_minutes})
    return rows
