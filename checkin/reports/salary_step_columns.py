"""The columns of the salary-step report's files: one list that the CSV and the XLSX share, so
they cannot drift apart. Each column has the Thai heading of docs/SALARY_STEP_REPORT.md, where its
value comes from in a person's row, and its kind, which lets a spreadsheet type the cell (a real
date, a whole number, days with a half) and a CSV write what a person reads. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from .rounds import thai_date

TEXT, COUNT, DAYS, DATE, TIME = "text", "count", "days", "date", "time"

# Sick and personal leave have columns of their own (occasions and days, then their total);
# every other type of `leave_types` gets one column of days.
OWN_COLUMNS = ("sick", "personal")


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[[dict], object]
    kind: str = TEXT


def _field(key: str) -> Callable[[dict], object]:
    return lambda row: row.get(key)


def _leave_days(code: str) -> Callable[[dict], object]:
    return lambda row: row["leave"][code]["days"]


FIXED_BEFORE_LEAVE = [
    Column("ลำดับที่", _field("seq"), COUNT),
    Column("เลขประจำตัว", _field("employee_code")),
    Column("คำนำหน้า", _field("title_th")),
    Column("ชื่อ-สกุล", _field("name_th")),
    Column("ตำแหน่ง/ระดับ", _field("position")),
    Column("ประเภทบุคลากร", _field("personnel_type_th")),
    Column("รหัสหน่วยงาน", _field("unit_code")),
    Column("หน่วยงาน", _field("unit_name_th")),
    Column("วันเริ่มปฏิบัติราชการ", _field("hired_on"), DATE),
    Column("วันพ้นจากราชการ", _field("employment_ended_on"), DATE),
    Column("เหตุ", _field("employment_end_reason_th")),
    Column("ระยะเวลาปฏิบัติราชการในรอบ", _field("service_th")),
    Column("วันทำการ", _field("working_days"), COUNT),
    Column("วันมาปฏิบัติราชการ", _field("days_present"), COUNT),
    Column("ลาป่วย (ครั้ง)", _field("sick_occasions"), COUNT),
    Column("ลาป่วย (วัน)", _field("sick_days"), DAYS),
    Column("ลากิจส่วนตัว (ครั้ง)", _field("personal_occasions"), COUNT),
    Column("ลากิจส่วนตัว (วัน)", _field("personal_days"), DAYS),
    Column("รวมลาป่วยและลากิจส่วนตัว (ครั้ง)", _field("counted_leave_occasions"), COUNT),
    Column("รวมวันลาป่วยและลากิจส่วนตัว (วัน)", _field("counted_leave_days"), DAYS),
    Column("มาสาย (ครั้ง)", _field("late_count"), COUNT),
    Column("มาสาย (นาที)", _field("late_minutes"), COUNT),
    Column("กลับก่อน (ครั้ง)", _field("early_leave_count"), COUNT),
    Column("ขาดราชการ (วัน)", _field("absent_days"), COUNT),
    Column("ไม่มีบันทึกเวลา รอยืนยัน (วัน)", _field("absence_candidates"), COUNT),
    Column("ไม่มีบันทึกเวลาออก (วัน)", _field("missing_checkouts"), COUNT),
    Column("ไม่มีบันทึกเวลาเข้า (วัน)", _field("missing_checkins"), COUNT),
    Column("รอผู้บังคับบัญชาตรวจสอบ (วัน)", _field("pending_reviews"), COUNT),
]
FIXED_AFTER_LEAVE = [
    Column("วันลาที่ไม่นับรวม (วัน)", _field("not_counted_leave_days"), DAYS),
    Column("เกณฑ์ที่ใช้", _field("limits_th")),
    Column("ผลการตรวจสอบ", _field("status_th")),
    Column("หมายเหตุ", _field("remarks_th")),
]
# How many columns from the left name a person: they stay in view when a sheet scrolls sideways.
NAME_COLUMNS = 4


def person_columns(leave_types: list[dict]) -> list[Column]:
    """Every column of the one-row-per-person table, the leave types in the report's order."""
    leave = [Column(f"{kind['name_th']} (วัน)", _leave_days(kind["code"]), DAYS)
             for kind in leave_types if kind["code"] not in OWN_COLUMNS]
    return FIXED_BEFORE_LEAVE + leave + FIXED_AFTER_LEAVE


DETAIL_COLUMNS = [
    Column("เลขประจำตัว", _field("employee_code")),
    Column("ชื่อ-สกุล", _field("name_th")),
    Column("รหัสหน่วยงาน", _field("unit_code")),
    Column("วันที่", _field("date"), DATE),
    Column("รายการ", _field("kind_th")),
    Column("เวลาเข้า", _field("first_in"), TIME),
    Column("เวลาออก", _field("last_out"), TIME),
    Column("มาสาย (นาที)", _field("late_minutes"), COUNT),
]


def number_text(value: float | int) -> str:
    """2 for 2.0, 0.5 for 0.5: days as HR writes them."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def as_text(value: object) -> str:
    """A value as a person reads it: Buddhist-Era dates, HH:MM times, numbers without a stray .0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return thai_date(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value)
    return str(value)
