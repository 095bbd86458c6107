"""The salary-step report as a PDF an HR office prints and signs: A4 landscape, Sarabun, a table
per unit with its header on every page, "หน้า x/y" and the signature blocks. Pure.

Typst lays it out (salary_step.typ beside this file): it shapes Thai with HarfBuzz's rules (vowels
and tone marks in place), breaks Thai lines between words with a dictionary (Thai has no spaces),
and sets 10,000 people in about 9 s of CPU where fpdf2 took over 3 minutes. This module turns
the report into the strings the template prints; the template holds the layout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import fontpkg_sarabun

from ..timezones import BANGKOK
from .rounds import thai_date
from .salary_step_columns import OWN_COLUMNS, as_text, number_text

TEMPLATE = Path(__file__).with_name("salary_step.typ")
# The Sarabun family (SIL Open Font License) as the fontpkg-sarabun wheel ships it.
FONTS = Path(fontpkg_sarabun.__file__).parent / "files"
TITLE = "ข้อมูลการปฏิบัติราชการประกอบการพิจารณาเลื่อนเงินเดือน"
SIGNATURES = ["ผู้จัดทำ", "ผู้ตรวจสอบ", "หัวหน้าหน่วยงาน"]
STATUSES = ("ELIGIBLE", "AT_RISK", "NOT_ELIGIBLE", "NEEDS_REVIEW")


def salary_step_pdf(report: dict) -> bytes:
    # Typst keeps what it laid out in memory after compiling (1.7 GB for 10,000 people) and the
    # process does not give it back: a child process does, when it ends, so a web or queue worker
    # does not stay at its peak. A plain subprocess: a Celery worker is a daemonic process, which
    # multiprocessing does not let have children.
    child = subprocess.run([sys.executable, "-c", COMPILE, str(TEMPLATE), str(FONTS)],
                           input=json.dumps(_view(report), ensure_ascii=False).encode(), capture_output=True)
    if child.returncode:
        raise RuntimeError(f"Typst could not make the salary-step PDF: {child.stderr.decode(errors='replace')}")
    return child.stdout


# The child: the report's view as JSON on stdin, the PDF on stdout. No system fonts: the same PDF
# on every machine, and no other font standing in for Sarabun.
COMPILE = """
import sys, typst
view = sys.stdin.buffer.read().decode("utf-8")
pdf = typst.compile(sys.argv[1], font_paths=[sys.argv[2]], ignore_system_fonts=True, sys_inputs={"report": view})
sys.stdout.buffer.write(pdf)
"""


def _view(report: dict) -> dict:
    printed = report["printed_at"].astimezone(BANGKOK)
    return {
        "title": TITLE,
        "round": report["round_name_th"],
        "as_of": report["as_of_th"],
        "printed": f"พิมพ์เมื่อ {_moment(printed)}",
        "notice": report["notice_th"],
        "policy": f"เกณฑ์ที่ใช้ตามนโยบายฉบับ {report['policy_version']}",
        "summary": [{"code": unit["unit_code"], "name": unit["unit_name_th"], "depth": unit["depth"],
                     "counts": [str(unit["employees"]), *(str(unit[status]) for status in STATUSES)]}
                    for unit in report["units"]],
        "total": _total(report["units"]),
        "units": _unit_tables(report),
        "signatures": SIGNATURES,
    }


def _moment(moment: datetime) -> str:
    return f"{thai_date(moment.date())} เวลา {moment:%H:%M} น."


def _total(units: list[dict]) -> list[str]:
    # Each unit's counts include the units below it: the total adds up the top units only.
    codes = {unit["unit_code"] for unit in units}
    tops = [unit for unit in units if unit["parent_code"] not in codes]
    return [str(sum(unit[key] for unit in tops)) for key in ("employees", *STATUSES)]


def _unit_tables(report: dict) -> list[dict]:
    """A table for each unit with people of its own, in the report's tree order."""
    other_leave = [kind for kind in report["leave_types"] if kind["code"] not in OWN_COLUMNS]
    by_unit: dict[str, list[dict]] = {}
    for person in report["employees"]:
        by_unit.setdefault(person["unit_code"], []).append(person)
    tables = []
    for unit in report["units"]:
        people = by_unit.pop(unit["unit_code"], [])
        if people:
            tables.append({"heading": f"{unit['unit_name_th']} ({unit['unit_code']}) · {len(people)} คน",
                           "rows": [_row(person, other_leave) for person in people]})
    # People of a unit the units list does not name (it should not happen) still get printed.
    for code, people in by_unit.items():
        tables.append({"heading": f"{people[0]['unit_name_th']} ({code}) · {len(people)} คน",
                       "rows": [_row(person, other_leave) for person in people]})
    return tables


def _row(person: dict, other_leave: list[dict]) -> list[str]:
    name = (person.get("title_th") or "") + person["name_th"]  # นายสมชาย ใจดี: Thai writes no space after a title
    return [
        str(person["seq"]), person["employee_code"], name, person.get("position") or "",
        person["personnel_type_th"],
        *(as_text(person[key]) for key in ("sick_occasions", "sick_days", "personal_occasions", "personal_days",
                                           "counted_leave_days", "late_count", "absent_days",
                                           "missing_checkouts")),
        _other_leave(person, other_leave), person["status_th"], person.get("remarks_th") or "",
    ]


def _other_leave(person: dict, other_leave: list[dict]) -> str:
    """Leave of the other types as one short text: ลาพักผ่อน 5 วัน, ลาคลอดบุตร 90 วัน."""
    taken = [f"{kind['name_th']} {number_text(person['leave'][kind['code']]['days'])} วัน"
             for kind in other_leave if person["leave"][kind["code"]]["days"]]
    return ", ".join(taken)
