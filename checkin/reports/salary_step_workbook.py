"""The salary-step report as an XLSX workbook that an HR officer sorts, filters and prints. Pure.

Sheets: สรุป (the units, indented by depth, with their rolled-up counts and a grand total),
รายบุคคล (everyone in one table with their unit: one filter and one sort across the whole body, and
a pivot table away from per-unit counts), รายละเอียด (the dates behind each late arrival, absence
and missing check-out), เกณฑ์ที่ใช้ and ประเภทการลา (the policy applied, in Thai).

Cells are typed: dates are real dates shown in the Buddhist era, counts and days are numbers,
times are times, so sorting and sums work. Every table has an autofilter, prints on A4 landscape
one page wide with its header row on every page, and keeps the name columns in view.
"""

from __future__ import annotations

import io
import math
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..timezones import BANGKOK
from .rounds import thai_date
from .salary_step_columns import (COUNT, DATE, DAYS, DETAIL_COLUMNS, NAME_COLUMNS, TEXT, TIME, Column,
                                  as_text, person_columns)

# TH Sarabun New is the Thai government's standard typeface for official documents (Cabinet
# resolution of 2553); it is on the PCs of Thai public bodies, where "Sarabun" (its Google Fonts
# twin, which the PDF embeds) often is not. Its small x-height needs 14 pt to read like 11 pt.
THAI_FONT = "TH Sarabun New"
FONT_SIZE = 14
# LCID form of a date format: 1 = Western digits, 07 = Thai Buddhist calendar, 041E = Thai.
# Excel and LibreOffice both show 1 เม.ย. 2568 for 2025-04-01 with it; the "[$-th-TH,107]" form
# and the "bbbb" year code are not understood by LibreOffice (it shows the serial number or the
# letters), so they are not used.
BE_DATE_FORMAT = "[$-107041E]d mmm yyyy"
NUMBER_FORMATS = {TEXT: "General", COUNT: "#,##0", DAYS: "#,##0.0", DATE: BE_DATE_FORMAT, TIME: "hh:mm"}
WIDTHS = {COUNT: 8, DAYS: 8, DATE: 15, TIME: 7}
# Excel measures widths in characters of its default font; a Thai character of TH Sarabun New
# 14 pt (marks included, which take no room) is about this many of them.
CHARACTER_WIDTH = 0.9
LINE_HEIGHT = 21  # points, one line of 14 pt text
HEADER_FILL = "D9E2F3"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
STATUSES = [("ELIGIBLE", "ผ่านเกณฑ์"), ("AT_RISK", "ใกล้เกณฑ์"), ("NOT_ELIGIBLE", "ไม่ผ่านเกณฑ์"),
            ("NEEDS_REVIEW", "ต้องตรวจสอบ")]


def salary_step_xlsx(report: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_styles(workbook)
    heading = [report["round_name_th"], f"{report['as_of_th']} · พิมพ์เมื่อ {_printed(report['printed_at'])}",
               report["notice_th"], f"เกณฑ์ตามนโยบายฉบับ {report['policy_version']}"]
    _summary_sheet(workbook, report, heading)
    _table_sheet(workbook, "รายบุคคล", heading, person_columns(report["leave_types"]), report["employees"],
                 frozen_columns=NAME_COLUMNS)
    _table_sheet(workbook, "รายละเอียด", heading[:2] + ["วันที่มาสาย ขาดราชการ ไม่มีบันทึกเวลา และรอตรวจสอบ"],
                 DETAIL_COLUMNS, report["details"], frozen_columns=2)
    _table_sheet(workbook, "เกณฑ์ที่ใช้", [f"เกณฑ์ที่ใช้ นโยบายฉบับ {report['policy_version']}"], POLICY_COLUMNS,
                 report["policy"])
    _table_sheet(workbook, "ประเภทการลา", ["ประเภทการลา หน่วยที่นับ และการนับรวมในเกณฑ์วันลาและจำนวนครั้ง"],
                 LEAVE_TYPE_COLUMNS, report["leave_types"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


POLICY_COLUMNS = [Column("ใช้กับ", lambda row: row["scope_th"]), Column("เกณฑ์", lambda row: row["limit_th"]),
                  Column("ค่า", lambda row: row["value"], DAYS)]
LEAVE_TYPE_COLUMNS = [Column("ประเภทการลา", lambda row: row["name_th"]),
                      Column("นับเป็น", lambda row: row["unit_th"]),
                      Column("นับรวมในเกณฑ์วันลาและจำนวนครั้ง", lambda row: "นับ" if row["counted"] else "ไม่นับ")]
SUMMARY_COLUMNS = [Column("รหัสหน่วยงาน", lambda row: row["unit_code"]),
                   Column("หน่วยงาน", lambda row: row["unit_name_th"]),
                   Column("จำนวน (คน)", lambda row: row["employees"], COUNT),
                   *[Column(heading, lambda row, status=status: row[status], COUNT) for status, heading in STATUSES]]


def _printed(moment: datetime) -> str:
    moment = moment.astimezone(BANGKOK)
    return f"{thai_date(moment.date())} เวลา {moment:%H:%M} น."


def _add_styles(workbook: Workbook) -> None:
    # Named styles: one style record per kind instead of a font, fill and format set on each of
    # hundreds of thousands of cells (a 10,000-person report).
    font = Font(name=THAI_FONT, size=FONT_SIZE)
    for kind, number_format in NUMBER_FORMATS.items():
        workbook.add_named_style(NamedStyle(kind, font=font, number_format=number_format,
                                            alignment=Alignment(vertical="top")))
    thin = Side(style="thin", color="8EA9DB")
    workbook.add_named_style(NamedStyle("header", font=Font(name=THAI_FONT, size=FONT_SIZE, bold=True),
                                        fill=PatternFill("solid", fgColor=HEADER_FILL),
                                        border=Border(left=thin, right=thin, top=thin, bottom=thin),
                                        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)))
    workbook.add_named_style(NamedStyle("title", font=Font(name=THAI_FONT, size=FONT_SIZE + 2, bold=True)))
    workbook.add_named_style(NamedStyle("total", font=Font(name=THAI_FONT, size=FONT_SIZE, bold=True),
                                        number_format=NUMBER_FORMATS[COUNT], alignment=Alignment(vertical="top")))


def _heading(sheet: Worksheet, lines: list[str], width: float, last_column: str) -> int:
    """The heading lines at the top of a sheet, each across the table's width (a long notice wraps
    there instead of widening the printed page); the row the table's header goes in."""
    for number, line in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1, value=_text(line))
        cell.style = "title" if number == 1 else TEXT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(f"A{number}:{last_column}{number}")
        sheet.row_dimensions[number].height = LINE_HEIGHT * _lines(line, width) + 4
    return len(lines) + 2


def _lines(text: str, width: float) -> int:
    """About how many lines a text takes in a wrapped cell `width` characters wide (Excel does not
    size rows of merged or wrapped cells by itself)."""
    # Wrapping breaks between words, which wastes part of each line: count a character as more
    # than a unit of width here.
    return max(1, math.ceil(len(text) * 1.6 / max(width, 1)))


def _table(sheet: Worksheet, header_row: int, columns: list[Column], rows: list[dict], widths: list[float]) -> int:
    """The header and one row per item; the last row written."""
    for number, column in enumerate(columns, start=1):
        sheet.cell(row=header_row, column=number, value=column.heading).style = "header"
    row_number = header_row
    for row_number, row in enumerate(rows, start=header_row + 1):
        for number, column in enumerate(columns, start=1):
            _put(sheet.cell(row=row_number, column=number), column.value(row), column.kind)
    last_column = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{max(row_number, header_row + 1)}"
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.row_dimensions[header_row].height = LINE_HEIGHT * max(
        _lines(column.heading, width) for column, width in zip(columns, widths)) + 6
    return row_number


def _put(cell, value, kind: str) -> None:
    cell.style = kind
    if kind == TIME and isinstance(value, datetime):
        value = value.astimezone(BANGKOK).time()  # Excel has no time zones: Bangkok wall-clock time
    if isinstance(value, str):
        cell.value = _text(value)
        if cell.value.startswith(FORMULA_START):
            # Kept as the text it is, never a formula: a string cell, quote-prefixed so that
            # editing it in Excel does not turn it into one either.
            cell.data_type = "s"
            cell.quotePrefix = True
        return
    cell.value = value


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters are not allowed in XLSX


def _width(column: Column, rows: list[dict]) -> float:
    if column.kind in WIDTHS:
        return WIDTHS[column.kind]
    # Thai combining marks take no width; len() counts them, which leaves a little spare room.
    longest = max([len(as_text(column.value(row))) for row in rows[:300]], default=0)
    return min(max(10, longest * CHARACTER_WIDTH + 2), 48)


def _print_setup(sheet: Worksheet, header_row: int, frozen_columns: int) -> None:
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=frozen_columns + 1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.7, footer=0.3)
    sheet.oddFooter.center.text = "หน้า &P/&N"
    sheet.oddFooter.center.font = THAI_FONT


def _table_sheet(workbook: Workbook, title: str, heading: list[str], columns: list[Column], rows: list[dict],
                 frozen_columns: int = 1, extra_rows: int = 0) -> Worksheet:
    sheet = workbook.create_sheet(title)
    # Rows one 14 pt line high: the default height follows Calibri 11, which would clip Thai
    # vowels and tone marks. Data cells do not wrap, so one line is all they need.
    sheet.sheet_format.defaultRowHeight = LINE_HEIGHT
    sheet.sheet_format.customHeight = True
    widths = [_width(column, rows) for column in columns]
    last_column = get_column_letter(len(columns))
    header_row = _heading(sheet, heading, sum(widths), last_column)
    last_row = _table(sheet, header_row, columns, rows, widths) + extra_rows
    sheet.print_area = f"A1:{last_column}{last_row}"
    _print_setup(sheet, header_row, frozen_columns)
    return sheet


def _summary_sheet(workbook: Workbook, report: dict, heading: list[str]) -> None:
    sheet = _table_sheet(workbook, "สรุป", heading, SUMMARY_COLUMNS, report["units"], frozen_columns=2, extra_rows=1)
    header_row = len(heading) + 2
    for offset, unit in enumerate(report["units"], start=1):
        sheet.cell(row=header_row + offset, column=2).alignment = Alignment(horizontal="left", indent=2 * unit["depth"],
                                                                                    vertical="top")
    sheet.column_dimensions["B"].width += 2 * max((unit["depth"] for unit in report["units"]), default=0)
    # Each unit's counts include the units below it: the total adds up the top units only.
    codes = {unit["unit_code"] for unit in report["units"]}
    tops = [unit for unit in report["units"] if unit["parent_code"] not in codes]
    total_row = header_row + len(report["units"]) + 1
    sheet.row_dimensions[total_row].height = LINE_HEIGHT
    sheet.cell(row=total_row, column=2, value="รวมทั้งสิ้น").style = "total"
    for number, column in enumerate(SUMMARY_COLUMNS[2:], start=3):
        sheet.cell(row=total_row, column=number, value=sum(column.value(unit) for unit in tops)).style = "total"
