"""CSV uploads (leave, punches): UTF-8 with or without Excel's BOM, a fixed header, every bad
line reported by number. All or nothing: one bad line and nothing of the file is kept."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from ..database import db
from ..errors import InvalidInput
from ..org.models import Employee

MAX_CSV_BYTES = 5 * 1024 * 1024


class CsvRejected(InvalidInput):
    """A CSV file with bad lines: every problem, by line number; nothing was imported."""

    def __init__(self, problems: list[str]):
        problems = sorted(problems, key=lambda problem: int(problem.split(":")[0].removeprefix("line ")))
        super().__init__(f"{len(problems)} line(s) of the file are invalid; nothing was imported.",
                         errors={"file": problems}, reason="CSV_INVALID")


def employee_by_code(code: str) -> Employee | None:
    return db.session.scalar(select(Employee).where(Employee.code == code))


def csv_rows(data: bytes, columns: list[str]) -> list[tuple[int, dict]]:
    if len(data) > MAX_CSV_BYTES:
        raise InvalidInput("The file is larger than 5 MB.", reason="CSV_TOO_LARGE")
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
