"""A salary-step report as checkin.reports.service builds it (docs/SALARY_STEP_REPORT.md, every
key), small enough to read: FY 2568 round 2 for three units (a division, its section, another
division) and eight people, one of each case the files must show.

    HR      กองการเจ้าหน้าที่                E001 eligible, vacation; E002 "=cmd…" at risk (late);
                                            E003 needs review (missing check-outs, maternity leave)
      HR-REC  งานสรรหาและบรรจุ (late ≤ 12)   E010 not eligible: late 13 times; E011 not eligible:
                                            hired 2 Jun 2568, 3 months 29 days in the round
    FIN     กองคลัง                          E020 eligible, resigned 15 Aug 2568; E021 eligible, no
                                            title or position, study leave; E022 eligible, ordination
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from checkin.timezones import BANGKOK

LEAVE_TYPES = [  # code, Thai name, unit, counted toward the 23-day and 10-occasion limits
    ("sick", "ลาป่วย", "working_days", True),
    ("personal", "ลากิจส่วนตัว", "working_days", True),
    ("vacation", "ลาพักผ่อน", "working_days", False),
    ("maternity", "ลาคลอดบุตร", "calendar_days", False),
    ("paternity", "ลาไปช่วยเหลือภริยาที่คลอดบุตร", "working_days", False),
    ("ordination_hajj", "ลาอุปสมบทหรือลาไปประกอบพิธีฮัจย์", "calendar_days", False),
    ("study_training", "ลาไปศึกษา ฝึกอบรม ปฏิบัติการวิจัย หรือดูงาน", "working_days", False),
]
UNIT_TH = {"working_days": "วันทำการ", "calendar_days": "วันตามปฏิทิน"}

STATUS_TH = {"ELIGIBLE": "ผ่านเกณฑ์", "AT_RISK": "ใกล้เกณฑ์", "NOT_ELIGIBLE": "ไม่ผ่านเกณฑ์",
             "NEEDS_REVIEW": "ต้องตรวจสอบ"}
PERSONNEL_TH = {"civil_servant": "ข้าราชการ", "permanent_employee": "ลูกจ้างประจำ", "employee": "พนักงาน"}
UNITS = {"HR": "กองการเจ้าหน้าที่", "HR-REC": "งานสรรหาและบรรจุ", "FIN": "กองคลัง"}

DEFAULT_LIMITS = {"max_counted_leave_days": 23, "max_leave_occasions": 10, "max_late_count": 18,
                  "max_absent_days": 0, "min_months_of_service": 4, "at_risk_fraction": 0.8}
STRICT_LATE = {**DEFAULT_LIMITS, "max_late_count": 12}  # HR-REC's own limit
DEFAULT_LIMITS_TH = "ลาไม่เกิน 23 วัน/10 ครั้ง, สายไม่เกิน 18 ครั้ง"
STRICT_LATE_TH = "ลาไม่เกิน 23 วัน/10 ครั้ง, สายไม่เกิน 12 ครั้ง"

FORMULA_NAME = "=cmd|'/c calc'!A1"


def _weekdays(first: date, count: int) -> list[date]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _at(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), BANGKOK)


def _person(seq, code, title, name, position, personnel_type, unit, *, status, reasons=(), remarks="",
            leave=None, limits=DEFAULT_LIMITS, limits_th=DEFAULT_LIMITS_TH, hired_on=date(2015, 6, 1),
            ended=None, service=(6, 0), working_days=123, **counts) -> dict:
    leave = {code_: {"occasions": 0, "days": 0.0} for code_, *_ in LEAVE_TYPES} | (leave or {})
    counted = [leave[code_] for code_, _, _, is_counted in LEAVE_TYPES if is_counted]
    counts = {"late_count": 0, "late_minutes": 0, "early_leave_count": 0, "absent_days": 0,
              "absence_candidates": 0, "missing_checkouts": 0, "missing_checkins": 0, "pending_reviews": 0,
              "not_counted_leave_days": 0.0} | counts
    return {
        "seq": seq, "employee_code": code, "title_th": title, "name_th": name, "position": position,
        "personnel_type": personnel_type, "personnel_type_th": PERSONNEL_TH[personnel_type],
        "unit_code": unit, "unit_name_th": UNITS[unit], "hired_on": hired_on,
        "employment_ended_on": ended[0] if ended else None,
        "employment_end_reason": ended[1] if ended else None,
        "employment_end_reason_th": {"resigned": "ลาออก"}[ended[1]] if ended else None,
        "service_months": service[0], "service_days": service[1],
        "service_th": f"{service[0]} เดือน" + (f" {service[1]} วัน" if service[1] else ""),
        "working_days": working_days,
        "days_present": int(working_days - sum(entry["days"] for entry in counted) - counts["not_counted_leave_days"]
                            - counts["absent_days"] - counts["absence_candidates"]),
        "sick_occasions": leave["sick"]["occasions"], "sick_days": leave["sick"]["days"],
        "personal_occasions": leave["personal"]["occasions"], "personal_days": leave["personal"]["days"],
        "counted_leave_occasions": sum(entry["occasions"] for entry in counted),
        "counted_leave_days": sum(entry["days"] for entry in counted),
        **counts, "leave": leave, "limits": limits, "limits_th": limits_th,
        "status": status, "status_th": STATUS_TH[status], "reasons": list(reasons), "remarks_th": remarks,
    }


def _employees() -> list[dict]:
    return [
        _person(1, "E001", "นาย", "สมชาย ใจดี", "นักทรัพยากรบุคคลชำนาญการ", "civil_servant", "HR",
                status="ELIGIBLE", leave={"sick": {"occasions": 2, "days": 3.0},
                                          "personal": {"occasions": 1, "days": 0.5},
                                          "vacation": {"occasions": 1, "days": 5.0}},
                not_counted_leave_days=5.0, late_count=2, late_minutes=11),
        _person(2, "E002", "นางสาว", FORMULA_NAME, "เจ้าพนักงานธุรการ", "employee", "HR",
                status="AT_RISK", reasons=["LATE_NEAR_LIMIT"], remarks="มาสาย 15 ครั้ง ใกล้เกณฑ์ 18 ครั้ง",
                late_count=15, late_minutes=97, early_leave_count=1),
        _person(3, "E003", "นาง", "วันเพ็ญ ศรีสวัสดิ์", "นักทรัพยากรบุคคลปฏิบัติการ", "civil_servant", "HR",
                status="NEEDS_REVIEW", reasons=["MISSING_CHECKOUTS", "ABSENCE_CANDIDATES"],
                remarks="ไม่มีบันทึกเวลาออก 2 วัน, ไม่มีบันทึกเวลา รอยืนยัน 1 วัน",
                leave={"maternity": {"occasions": 1, "days": 90.0}}, not_counted_leave_days=62.0,
                missing_checkouts=2, absence_candidates=1),
        _person(4, "E010", "นาย", "ธนากร ศรีสุข", "นักทรัพยากรบุคคลชำนาญการ", "civil_servant", "HR-REC",
                status="NOT_ELIGIBLE", reasons=["LATE_OVER_LIMIT"], remarks="มาสาย 13 ครั้ง เกินเกณฑ์ 12 ครั้ง",
                limits=STRICT_LATE, limits_th=STRICT_LATE_TH, late_count=13, late_minutes=142,
                leave={"sick": {"occasions": 1, "days": 1.0}}),
        _person(5, "E011", "นางสาว", "กมลวรรณ แก้วประเสริฐ", "นักทรัพยากรบุคคล", "employee", "HR-REC",
                status="NOT_ELIGIBLE", reasons=["SERVICE_BELOW_MINIMUM"],
                remarks="ปฏิบัติราชการ 3 เดือน 29 วัน ไม่ถึง 4 เดือน", limits=STRICT_LATE,
                limits_th=STRICT_LATE_TH, hired_on=date(2025, 6, 2), service=(3, 29), working_days=83),
        _person(6, "E020", "นาย", "ประเสริฐ ทองดี", "พนักงานพิมพ์ ส 4", "permanent_employee", "FIN",
                status="ELIGIBLE", hired_on=date(1998, 11, 2), ended=(date(2025, 8, 15), "resigned"),
                service=(4, 15), working_days=89, leave={"personal": {"occasions": 2, "days": 2.0}}),
        _person(7, "E021", None, "ณัฐธิดา บุญมา", None, "employee", "FIN", status="ELIGIBLE",
                leave={"study_training": {"occasions": 1, "days": 4.0}}, not_counted_leave_days=4.0),
        _person(8, "E022", "นาย", "สุรเชษฐ์ พงษ์ไพบูลย์", "นักวิชาการเงินและบัญชีชำนาญการ", "civil_servant",
                "FIN", status="ELIGIBLE", leave={"sick": {"occasions": 3, "days": 4.0},
                                                 "ordination_hajj": {"occasions": 1, "days": 15.0}},
                not_counted_leave_days=11.0, late_count=1, late_minutes=3),
    ]


def _details(employees: list[dict]) -> list[dict]:
    by_code = {row["employee_code"]: row for row in employees}

    def row(code, day, kind, kind_th, first_in=None, last_out=None, late_minutes=0):
        person = by_code[code]
        return {"employee_code": code, "name_th": person["name_th"], "unit_code": person["unit_code"],
                "date": day, "kind": kind, "kind_th": kind_th, "first_in": first_in, "last_out": last_out,
                "late_minutes": late_minutes}

    late = [row("E010", day, "late", "มาสาย", _at(day, "08:41:00"), _at(day, "16:35:00"), 11)
            for day in _weekdays(date(2025, 4, 7), 13)]
    return [
        row("E003", date(2025, 5, 6), "missing_checkout", "ไม่มีบันทึกเวลาออก", first_in=_at(date(2025, 5, 6), "08:12:40")),
        row("E003", date(2025, 5, 7), "absence_candidate", "ไม่มีบันทึกเวลา (รอยืนยัน)"),
        row("E003", date(2025, 5, 20), "missing_checkout", "ไม่มีบันทึกเวลาออก", first_in=_at(date(2025, 5, 20), "08:25:03")),
        *late,
    ]


def _units(employees: list[dict]) -> list[dict]:
    parents = {"HR": None, "HR-REC": "HR", "FIN": None}
    rows = []
    for code in ("HR", "HR-REC", "FIN"):  # tree order
        below = {code} | {child for child, parent in parents.items() if parent == code}
        people = [row for row in employees if row["unit_code"] in below]
        rows.append({"unit_code": code, "unit_name_th": UNITS[code], "parent_code": parents[code],
                     "depth": 1 if parents[code] else 0, "employees": len(people),
                     **{status: sum(row["status"] == status for row in people) for status in STATUS_TH}})
    return rows


def salary_step_report() -> dict:
    employees = _employees()
    return {
        "fiscal_year": 2568, "round": 2,
        "round_name_th": "ปีงบประมาณ พ.ศ. 2568 ครั้งที่ 2 (1 เม.ย. 2568 - 30 ก.ย. 2568)",
        "start_date": date(2025, 4, 1), "end_date": date(2025, 9, 30),
        "as_of": date(2025, 9, 30), "as_of_th": "ข้อมูล ณ วันที่ 30 ก.ย. 2568",
        "printed_at": datetime(2025, 10, 3, 9, 15, 42, tzinfo=BANGKOK),
        "notice_th": ("รายงานนี้แสดงข้อมูลการลา การมาสาย การขาดราชการ และระยะเวลาปฏิบัติราชการเท่านั้น "
                      "เป็นข้อมูลประกอบการพิจารณาของคณะกรรมการ มิใช่ผลการพิจารณาเลื่อนเงินเดือน"),
        "policy_version": "2568-04",
        "policy": [
            {"scope": "default", "scope_th": "ทุกหน่วยงาน", "limit": "max_counted_leave_days",
             "limit_th": "ลาป่วยและลากิจส่วนตัวรวมกันไม่เกิน (วัน)", "value": 23},
            {"scope": "default", "scope_th": "ทุกหน่วยงาน", "limit": "max_leave_occasions",
             "limit_th": "จำนวนครั้งที่ลาไม่เกิน (ครั้ง)", "value": 10},
            {"scope": "default", "scope_th": "ทุกหน่วยงาน", "limit": "max_late_count",
             "limit_th": "มาสายไม่เกิน (ครั้ง)", "value": 18},
            {"scope": "default", "scope_th": "ทุกหน่วยงาน", "limit": "min_months_of_service",
             "limit_th": "ระยะเวลาปฏิบัติราชการในรอบไม่น้อยกว่า (เดือน)", "value": 4},
            {"scope": "default", "scope_th": "ทุกหน่วยงาน", "limit": "at_risk_fraction",
             "limit_th": "ถือว่าใกล้เกณฑ์เมื่อถึงสัดส่วนของเกณฑ์", "value": 0.8},
            {"scope": "HR-REC", "scope_th": "งานสรรหาและบรรจุ (HR-REC)", "limit": "max_late_count",
             "limit_th": "มาสายไม่เกิน (ครั้ง)", "value": 12},
        ],
        "leave_types": [{"code": code, "name_th": name, "unit": unit, "unit_th": UNIT_TH[unit], "counted": counted}
                        for code, name, unit, counted in LEAVE_TYPES],
        "units": _units(employees),
        "employees": employees,
        "details": _details(employees),
    }


def many_people(report: dict, count: int, unit_size: int = 50) -> dict:
    """The report with `count` people (copies of its own, new codes) in units of `unit_size`
    (a large public body has hundreds of units of tens of people): for timing the files."""
    people, units, employees = report["employees"], [], []
    for start in range(0, count, unit_size):
        code = f"U{start // unit_size + 1:03d}"
        members = [{**people[n % len(people)], "seq": n + 1, "employee_code": f"E{n + 1:05d}", "unit_code": code,
                    "unit_name_th": f"กลุ่มงานที่ {start // unit_size + 1}"}
                   for n in range(start, min(start + unit_size, count))]
        employees += members
        units.append({"unit_code": code, "unit_name_th": members[0]["unit_name_th"], "parent_code": None, "depth": 0,
                      "employees": len(members),
                      **{status: sum(row["status"] == status for row in members) for status in STATUS_TH}})
    return {**report, "units": units, "employees": employees}
