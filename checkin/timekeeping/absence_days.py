"""Which days can be confirmed as an absence (ขาดราชการ). Pure: the caller supplies today and the
holiday that applies to the employee's unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .calendar import is_weekend


@dataclass(frozen=True)
class AbsenceRefusal:
    reason: str
    message: str


def absence_refusal(day: date, today: date, hired_on: date | None, holiday: str | None) -> AbsenceRefusal | None:
    """Why `day` cannot be an absence, or None when it can. `today` is Bangkok's date: a day not
    yet over may still be confirmed once it has begun (a supervisor at 16:30 knows who never
    came); a day to come cannot, since nobody knows yet. `holiday` is the name of the national or
    declared holiday of the employee's unit on that day, if any."""
    if day > today:
        return AbsenceRefusal("ABSENCE_IN_FUTURE",
                              f"{day} has not come yet (today is {today} in Bangkok): an absence is confirmed "
                              "after the fact.")
    if hired_on is not None and day < hired_on:
        return AbsenceRefusal("ABSENCE_BEFORE_HIRE",
                              f"{day} is before the employee was hired ({hired_on}): there was no duty to miss.")
    if is_weekend(day):
        return AbsenceRefusal("ABSENCE_NOT_A_WORKING_DAY", f"{day} is a {day:%A}: not a working day.")
    if holiday is not None:
        return AbsenceRefusal("ABSENCE_NOT_A_WORKING_DAY", f"{day} is a holiday ({holiday}): not a working day.")
    return None
