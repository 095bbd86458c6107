"""CSV uploads (leave; punches read theirs in clock_files.py): UTF-8 with or without Excel's BOM,
a fixed header, every bad line reported by number. All or nothing: one bad line and nothing of
the file is kept."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from ..database import db
from ..errors import InvalidInput
from ..org.models import Employee

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_PROBLEMS = 200


class CsvRejected(InvalidInput):
    """A file with bad lines: every problem, by line number, in English (`errors.file`) and, where
    the import words them in Thai too, in Thai (`errors.file_th`, the same problems in the same
    order); nothing was imported. At most MAX_PROBLEMS are listed: enough to fix a file by, and a
    5 MB file of nonsense does not come back as a larger answer."""

    def __init__(self, problems: list[str], problems_th: list[str] | None = None):
        order = sorted(range(len(problems)), key=lambda index: _line_number(problems[index]))
        errors = {"file": _listed([problems[index] for index in order], "and {} more problems")}
        if problems_th is not None:
            errors["file_th"] = _listed([problems_th[index] for index in order], "และปัญหาอื่นอีก {} รายการ")
        lines = len({_line_number(problem) for problem in problems})
        super().__init__(f"{lines} line(s) of the file are invalid; nothing was imported.",
                         errors=errors, reason="CSV_INVALID")


def _line_number(problem: str) -> int:
    return int(problem.split(":")[0].removeprefix("line "))


def _listed(problems: list[str], more: str) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return problems[:MAX_PROBLEMS] + [more.format(len(problems) - MAX_PROBLEMS)]


def refuse_too_large(data: bytes) -> None:
    if len(data) > MAX_CSV_BYTES:
        raise InvalidInput("The file is larger than 5 MB.", reason="CSV_TOO_LARGE",
                           errors={"file": ["The file is larger than 5 MB: split it, e.g. by month."],
                                   "file_th": ["ไฟล์ใหญ่เกิน 5 MB: แบ่งเป็นหลายไฟล์ เช่น ไฟล์ละเดือน"]})


def employee_by_code(code: str) -> Employee | None:
    return db.session.scalar(select(Employee).where(Employee.code == code))


def csv_rows(data: bytes, columns: list[str]) -> list[tuple[int, dict]]:
    refuse_too_large(data)
    try:
        text = data.decode("utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError:
        raise InvalidInput("The file must be UTF-8 text (CSV).", reason="CSV_INVALID") from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or [name.strip() for name in reader.fieldnames] != columns:
        raise InvalidInput(f"The first line must be the header: {','.join(columns)}", reason="CSV_INVALID")
    rows = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise CsvRejected([f"line {reader.line_num}: expected {len(columns)} columns"])
        rows.append((reader.line_num, {key.strip(): value for key, value in row.items()}))
    return rows
