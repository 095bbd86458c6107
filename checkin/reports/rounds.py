"""Salary-step rounds, named as Thai HR names them. Pure.

FY 2568 (พ.ศ.) = 1 Oct 2024 - 30 Sep 2025. Round 1: 1 Oct - 31 Mar (salary from 1 Apr);
round 2: 1 Apr - 30 Sep (salary from 1 Oct). พ.ศ. = ค.ศ. + 543.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BE_OFFSET = 543
THAI_MONTHS = ["", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]


@dataclass(frozen=True)
class Round:
    fiscal_year: int  # Buddhist Era
    number: int  # 1 or 2
    start: date
    end: date  # inclusive

    @property
    def name_th(self) -> str:
        return f"ปีงบประมาณ พ.ศ. {self.fiscal_year} ครั้งที่ {self.number} ({thai_date(self.start)} - {thai_date(self.end)})"


def salary_round(fiscal_year_be: int, number: int) -> Round:
    if number not in (1, 2):
        raise ValueError("round must be 1 or 2")
    ending_ce = fiscal_year_be - BE_OFFSET
    if number == 1:
        return Round(fiscal_year_be, 1, date(ending_ce - 1, 10, 1), date(ending_ce, 3, 31))
    return Round(fiscal_year_be, 2, date(ending_ce, 4, 1), date(ending_ce, 9, 30))


def fiscal_year_of(day: date) -> int:
    """The Buddhist-Era fiscal year a date belongs to."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def thai_date(day: date) -> str:
    """1 เม.ย. 2568: how a Thai reader writes a date."""
    return f"{day.day} {THAI_MONTHS[day.month]} {day.year + BE_OFFSET}"
