"""CSV and XLSX for people: Thai headers, Buddhist-Era dates, UTF-8 with BOM so Excel reads Thai.
The daily attendance report's CSV and XLSX, and the salary-step report's CSV; its workbook is built
in salary_step_workbook and its PDF in pdf. Pure: no Flask, no SQLAlchemy."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..timekeeping.leave_types import LEAVE_TYPES
from .rounds import thai_date
from .salary_step_columns import as_text, person_columns
from .salary_step_workbook import salary_step_xlsx  # noqa: F401  (the entry point callers use)

ATTENDANCE_COLUMNS = [
    ("employee_code", "รหัสพนักงาน"), ("name_th", "ชื่อ-สกุล"), ("unit_code", "รหัสหน่วยงาน"), ("date", "วันที่"),
    ("status_th", "สถานะ"), ("first_in", "เวลาเข้า"), ("last_out", "เวลาออก"), ("late_minutes", "มาสาย (นาที)"),
    ("early_leave_minutes", "กลับก่อน (นาที)"), ("leave_type", "ประเภทการลา"), ("leave_days", "วันลา"),
    ("pending_reviews", "รอตรวจสอบ"), ("status", "status"),
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(key: str, value):
    """A value as a person reads it: BE dates, HH:MM times, Thai leave names."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%H:%M:%S")
    if isinstance(value, date):
        return thai_date(value)
    if key == "leave_type":
        return LEAVE_TYPES.get(value, value)
    if isinstance(value, str):
        return _text(value)
    return value


def _text(value: str) -> str:
    # Control characters (a name may hold one) are not allowed in XLSX: openpyxl would raise.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_START):
        return "'" + value  # a spreadsheet must show text, never run it
    return value


def to_csv(rows: list[dict], columns: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for _, title in columns])
    for row in rows:
        writer.writerow([_cell(key, row.get(key)) for key, _ in columns])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8 Thai


def salary_step_csv(report: dict) -> bytes:
    """One row per person, every count in its own column, one column per leave type."""
    columns = person_columns(report["leave_types"])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.heading for column in columns])
    for row in report["employees"]:
        writer.writerow([_text(as_text(column.value(row))) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet(workbook: Workbook, title: str, rows: list[dict], columns: list[tuple[str, str]], heading: str | None = None):
    sheet = workbook.create_sheet(title=title[:31])
    start = 1
    if heading:
        sheet.cell(row=1, column=1, value=_text(heading)).font = Font(bold=True, size=13)
        start = 3
    for index, (_, header) in enumerate(columns, start=1):
        cell = sheet.cell(row=start, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D1FADF")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(rows, start=start + 1):
        for index, (key, _) in enumerate(columns, start=1):
            sheet.cell(row=row_number, column=index, value=_cell(key, row.get(key)))
    sheet.freeze_panes = sheet.cell(row=start + 1, column=1)
    for index, (key, header) in enumerate(columns, start=1):
        longest = max([len(str(header))] + [len(str(_cell(key, row.get(key)))) for row in rows[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)
    return sheet


def attendance_xlsx(rows: list[dict], heading: str) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "การลงเวลา", rows, ATTENDANCE_COLUMNS, heading=heading)
    return _bytes(workbook)


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
