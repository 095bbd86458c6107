"""Time-clock files as offices have them, read into punches; the format is told from the content.
Pure: no database, every problem by line number in English and in Thai.

- CSV with a header naming `employee_code`, `timestamp` and optionally `kind` (in|out) and
  `device_id`, in any order. Without `kind`, the first and last punch of a day decide
  (first_and_last.py).
- The ZKTeco attendance log (`attlog.dat`, `1_attlog.dat` from the clock's USB download): no
  header; each line the user id (right-aligned with spaces), a tab, `YYYY-MM-DD HH:MM:SS` in the
  clock's local time, then status columns. Only the first two columns are read: the status
  columns differ by firmware (the USB download writes device, state, verify mode, work code; the
  push protocol state, verify mode, work code), and the state is whatever key the person pressed,
  or the clock's default (0, check-in) for every punch when nobody presses one. ZKTeco's own
  software offers the same choice ("only consider first and last records of a day").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime

from .clock_times import ClockTimeError, parse_clock_time

CSV_WITH_KIND, CSV_WITHOUT_KIND, ZKTECO_ATTLOG = "csv_with_kind", "csv_without_kind", "zkteco_attlog"
COLUMNS = ("employee_code", "timestamp", "kind", "device_id")
REQUIRED_COLUMNS = ("employee_code", "timestamp")
MAX_DEVICE_ID = 128  # checkins.device_id
ATTLOG_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
# Only these end a line: str.splitlines would also split at form feeds and other separators a
# cell may hold, and the line numbers would no longer be the editor's.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
HEADER_HELP = ("The first line must be a header: employee_code,timestamp[,kind][,device_id]; "
               "or send the clock's attendance log (attlog.dat) as it is.")
HEADER_HELP_TH = ("บรรทัดแรกต้องเป็นหัวตาราง employee_code,timestamp[,kind][,device_id] "
                  "หรือส่งไฟล์บันทึกเวลา (attlog.dat) จากเครื่องสแกนตามที่ได้มา")


@dataclass(frozen=True)
class LineProblem:
    line: int
    english: str
    thai: str

    def texts(self) -> tuple[str, str]:
        return f"line {self.line}: {self.english}", f"บรรทัดที่ {self.line}: {self.thai}"


@dataclass(frozen=True)
class ClockRow:
    line: int
    employee_code: str
    at: datetime
    kind: str | None  # None: the first and last punch of the day decide
    device_id: str


@dataclass(frozen=True)
class ClockFile:
    format: str
    rows: list[ClockRow]
    problems: list[LineProblem]


class ClockFileUnreadable(ValueError):
    """A file that is no clock file of ours at all, in English and in Thai."""

    def __init__(self, english: str, thai: str):
        super().__init__(english)
        self.english = english
        self.thai = thai


def read_clock_file(data: bytes) -> ClockFile:
    lines = LINE_BREAK.split(_text(data))
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise ClockFileUnreadable("The file is empty.", "ไฟล์ว่างเปล่า")
    first_line = numbered[0][1]
    if _attlog_fields(first_line) is not None:
        return _read_attlog(numbered)
    columns = _header(first_line)
    return _read_csv(columns, numbered[1:])


def _text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError:
        raise ClockFileUnreadable(
            "The file must be text in UTF-8: save a spreadsheet as \"CSV UTF-8\", or send attlog.dat as it is.",
            "ไฟล์ต้องเป็นข้อความ UTF-8: บันทึกจาก Excel เป็น \"CSV UTF-8\" "
            "หรือส่งไฟล์ attlog.dat ตามที่ได้มา") from None
    if "\x00" in text:  # a binary file that happens to decode; PostgreSQL cannot store NUL either
        raise ClockFileUnreadable("The file holds NUL characters: it is not a text file.",
                                  "ไฟล์มีอักขระ NUL: ไม่ใช่ไฟล์ข้อความ")
    return text


def _attlog_fields(line: str) -> list[str] | None:
    fields = [field.strip() for field in line.split("\t")]
    if len(fields) >= 2 and fields[0] and ATTLOG_TIME.fullmatch(fields[1]):
        return fields
    return None


def _read_attlog(numbered: list[tuple[int, str]]) -> ClockFile:
    rows, problems = [], []
    for number, line in numbered:
        fields = _attlog_fields(line)
        if fields is None:
            problems.append(LineProblem(number, "not a line of a ZKTeco attendance log: expected the user id, a tab, "
                                                "then YYYY-MM-DD HH:MM:SS",
                                        "ไม่ใช่บรรทัดของไฟล์บันทึกเวลา ZKTeco: ต้องเป็นรหัสผู้ใช้ แท็บ "
                                        "แล้ววันเวลาแบบ YYYY-MM-DD HH:MM:SS"))
            continue
        try:
            rows.append(ClockRow(number, fields[0], parse_clock_time(fields[1]), None, ""))
        except ClockTimeError as error:
            problems.append(LineProblem(number, error.english, error.thai))
    return ClockFile(ZKTECO_ATTLOG, rows, problems)


def _header(line: str) -> list[str]:
    columns = [name.strip().lower() for name in _cells(line) or []]
    if (not set(columns) <= set(COLUMNS) or len(set(columns)) != len(columns)
            or not set(REQUIRED_COLUMNS) <= set(columns)):
        raise ClockFileUnreadable(HEADER_HELP, HEADER_HELP_TH)
    return columns


def _cells(line: str) -> list[str] | None:
    try:
        return next(csv.reader([line]))
    except csv.Error:
        return None


def _read_csv(columns: list[str], numbered: list[tuple[int, str]]) -> ClockFile:
    rows, problems = [], []
    for number, line in numbered:
        cells = _cells(line)
        if cells is not None and not any(cell.strip() for cell in cells):
            continue  # a row Excel left with only its commas
        if cells is None or len(cells) != len(columns):
            problems.append(_column_count(number, line, cells, len(columns)))
            continue
        row, row_problems = _csv_row(number, dict(zip(columns, (cell.strip() for cell in cells))))
        problems += row_problems
        if row is not None:
            rows.append(row)
    return ClockFile(CSV_WITH_KIND if "kind" in columns else CSV_WITHOUT_KIND, rows, problems)


def _column_count(number: int, line: str, cells: list[str] | None, expected: int) -> LineProblem:
    if "\t" in line and _attlog_fields(line) is not None:
        return LineProblem(number, "a line of a ZKTeco attendance log in a CSV file: one format per file",
                           "บรรทัดของไฟล์บันทึกเวลา ZKTeco ปนอยู่ในไฟล์ CSV: หนึ่งไฟล์ต้องมีรูปแบบเดียว")
    found = len(cells) if cells is not None else 0
    return LineProblem(number, f"expected {expected} columns as in the header, found {found}",
                       f"ต้องมี {expected} คอลัมน์ตามหัวตาราง แต่พบ {found}")


def _csv_row(number: int, cells: dict[str, str]) -> tuple[ClockRow | None, list[LineProblem]]:
    problems, at = [], None
    if not cells["employee_code"]:
        problems.append(LineProblem(number, "employee_code is empty", "ไม่มีรหัสพนักงาน (employee_code)"))
    try:
        at = parse_clock_time(cells["timestamp"])
    except ClockTimeError as error:
        problems.append(LineProblem(number, error.english, error.thai))
    kind = cells["kind"].lower() if "kind" in cells else None
    if kind not in (None, "in", "out"):
        problems.append(LineProblem(number, "kind must be in or out", "kind ต้องเป็น in (เข้า) หรือ out (ออก)"))
    device_id = cells.get("device_id", "")
    if len(device_id) > MAX_DEVICE_ID:
        problems.append(LineProblem(number, f"device_id is longer than {MAX_DEVICE_ID} characters",
                                    f"device_id ยาวเกิน {MAX_DEVICE_ID} ตัวอักษร"))
    if problems:
        return None, problems
    return ClockRow(number, cells["employee_code"], at, kind, device_id), []
