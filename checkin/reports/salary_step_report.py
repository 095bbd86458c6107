"""The salary-step report of a round, as plain data (docs/SALARY_STEP_REPORT.md says what it holds):
a row per person in service during the round, the dates behind the counts, unit totals with the
units below them rolled up, and the policy applied. Files are made from it in exports and pdf."""

from __future__ import annotations

from datetime import date, datetime

from ..accounts.models import User
from ..errors import InvalidInput
from ..org.models import Employee
from ..org.personnel import END_REASONS, PERSONNEL_TYPES
from ..org.tree import Units
from ..timekeeping.leave_types import LEAVE_TYPES, LEAVE_UNITS_TH, leave_unit
from ..timezones import BANGKOK
from .facts import Facts, employee_days, scoped_employees
from .policy_config import policy_in_force
from .rounds import Round, salary_round, thai_date
from .salary_step import (ELIGIBLE, AT_RISK, NEEDS_REVIEW, NOT_ELIGIBLE, STATUS_TH, details, limits_th,
                          service_in_round, summarise)

NOTICE_TH = ("รายงานนี้แสดงเฉพาะข้อมูลการมาปฏิบัติราชการ (การลา การมาสาย การขาดราชการ และระยะเวลาปฏิบัติราชการในรอบ) "
             "เพื่อประกอบการพิจารณาเลื่อนเงินเดือน ไม่ใช่ผลการประเมินหรือคำสั่งเลื่อนเงินเดือน")
STATUSES = (ELIGIBLE, AT_RISK, NOT_ELIGIBLE, NEEDS_REVIEW)


def counting_window(round_: Round, as_of: date | None, today: date) -> tuple[date, date]:
    """(the as-of date, the last day that counts). Nothing after the as-of date counts: a report
    run while the round is open never takes the days still to come for absences."""
    as_of = as_of or min(today, round_.end)
    if as_of > today:
        raise InvalidInput(f"as_of {as_of} is in the future; nothing after today can count.",
                           errors={"as_of": ["Must not be after today."]}, reason="AS_OF_IN_FUTURE")
    if as_of < round_.start:
        raise InvalidInput(f"{round_.name_th} starts on {round_.start}: there is nothing to report as of {as_of}.",
                           errors={"as_of": [f"Must be on or after {round_.start}."]}, reason="ROUND_NOT_STARTED")
    return as_of, min(as_of, round_.end)


def build(viewer: User | None, fiscal_year: int, round_number: int, unit_id: int | None,
          as_of: date | None = None) -> dict:
    round_ = salary_round(fiscal_year, round_number)
    now = datetime.now(BANGKOK)
    as_of, last = counting_window(round_, as_of, now.date())
    policy = policy_in_force(round_.end)
    units = Units.load()
    employees = scoped_employees(viewer, unit_id, round_.start, last)
    employees.sort(key=lambda employee: (units.codes(employee.unit_id), employee.code))
    facts = Facts(employees, round_.start, last)
    rows, detail_rows = [], []
    for employee, days in employee_days(employees, round_.start, last, facts):
        limits = policy.limits_for(units.codes(employee.unit_id), employee.personnel_type)
        service = service_in_round(employee.hired_on, employee.employment_ended_on, round_)
        summary = summarise(days, facts.leave_spans(employee), service, limits, policy.counted_leave_types)
        row = _row(len(rows) + 1, employee, units, summary, limits)
        rows.append(row)
        detail_rows += [{"employee_code": employee.code, "name_th": row["name_th"], "unit_code": row["unit_code"],
                         **detail} for detail in details(days)]
    return {
        "fiscal_year": fiscal_year, "round": round_number, "round_name_th": round_.name_th,
        "start_date": round_.start, "end_date": round_.end, "as_of": as_of,
        "as_of_th": f"ข้อมูล ณ วันที่ {thai_date(as_of)}", "printed_at": now, "notice_th": NOTICE_TH,
        "policy_version": policy.version, "policy": policy.as_rows(),
        "leave_types": [{"code": code, "name_th": name, "unit": leave_unit(code),
                         "unit_th": LEAVE_UNITS_TH[leave_unit(code)], "counted": code in policy.counted_leave_types}
                        for code, name in LEAVE_TYPES.items()],
        "units": unit_totals(units, rows, top=unit_id),
        "employees": rows, "details": detail_rows,
    }


def _row(seq: int, employee: Employee, units: Units, summary, limits) -> dict:
    remarks = summary.remarks_th
    if employee.employment_ended_on:
        ended = f"พ้นจากราชการ {thai_date(employee.employment_ended_on)} ({END_REASONS[employee.employment_end_reason]})"
        remarks = "; ".join(filter(None, [ended, remarks]))
    leave = {code: summary.leave.get(code, {"occasions": 0, "days": 0}) for code in LEAVE_TYPES}
    return {
        "seq": seq, "employee_code": employee.code, "title_th": employee.title_th,
        "name_th": f"{employee.first_name_th} {employee.last_name_th}", "position": employee.position,
        "personnel_type": employee.personnel_type, "personnel_type_th": PERSONNEL_TYPES[employee.personnel_type],
        "unit_code": units.code[employee.unit_id], "unit_name_th": units.name[employee.unit_id],
        "hired_on": employee.hired_on, "employment_ended_on": employee.employment_ended_on,
        "employment_end_reason": employee.employment_end_reason,
        "employment_end_reason_th": END_REASONS.get(employee.employment_end_reason),
        "service_months": summary.service.months, "service_days": summary.service.days,
        "service_th": summary.service.th,
        "working_days": summary.working_days, "days_present": summary.days_present,
        "sick_occasions": leave["sick"]["occasions"], "sick_days": leave["sick"]["days"],
        "personal_occasions": leave["personal"]["occasions"], "personal_days": leave["personal"]["days"],
        "counted_leave_occasions": summary.counted_leave_occasions, "counted_leave_days": summary.counted_leave_days,
        "late_count": summary.late_count, "late_minutes": summary.late_minutes,
        "early_leave_count": summary.early_leave_count, "absent_days": summary.absent_days,
        "absence_candidates": summary.absence_candidates, "missing_checkouts": summary.missing_checkouts,
        "missing_checkins": summary.missing_checkins, "pending_reviews": summary.pending_reviews,
        "leave": leave, "not_counted_leave_days": summary.not_counted_leave_days,
        "limits": {key: getattr(limits, key) for key in ("max_counted_leave_days", "max_leave_occasions",
                                                          "max_late_count", "max_absent_days",
                                                          "min_months_of_service", "at_risk_fraction")},
        "limits_th": limits_th(limits), "status": summary.status, "status_th": STATUS_TH[summary.status],
        "reasons": summary.reasons, "remarks_th": remarks,
    }


def unit_totals(units: Units, rows: list[dict], top: int | None = None) -> list[dict]:
    """A row per unit that has people in the report or below it, in tree order; each count
    includes the units below it (a district office's total includes its sections). A report of
    one unit (`top`) has no rows for the units above it."""
    by_code = {code: unit_id for unit_id, code in units.code.items()}
    totals: dict[int, dict] = {}
    for row in rows:
        chain = units.chain(by_code[row["unit_code"]])
        for unit_id in chain[chain.index(top):] if top in chain else chain:
            total = totals.setdefault(unit_id, {"employees": 0, **{status: 0 for status in STATUSES}})
            total["employees"] += 1
            total[row["status"]] += 1
    ordered = sorted(totals, key=units.codes)
    return [{"unit_code": units.code[unit_id], "unit_name_th": units.name[unit_id],
             "parent_code": units.code.get(units.parent[unit_id]) if units.parent[unit_id] else None,
             "depth": len(units.chain(unit_id)) - 1, **totals[unit_id]} for unit_id in ordered]
