"""Arrival and departure from punches that do not say which they are. Pure.

Of an employee's Bangkok day, the first punch is the arrival and the last the departure; those
between (lunch, errands, a second try at the reader) are ignored. Punches of that day imported
before from other files count too, so a day split over two downloads or two clocks still has one
arrival, and importing a file again gives every punch the kind it was given the first time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from ..timezones import BANGKOK

# A last punch this close to the first is the same visit to the clock (a finger placed twice, when
# the clock's own "duplicate punch period" is off), not a departure: the day then has an arrival
# and no departure, which a person reviews, instead of an early leave nobody questions. Clocks
# offer up to an hour here; a quarter of an hour is their manuals' example.
REPEAT_WINDOW = timedelta(minutes=15)


def bangkok_day(at: datetime) -> date:
    return at.astimezone(BANGKOK).date()


def first_and_last(punches: Sequence[tuple[Hashable, datetime]],
                   earlier: Mapping[tuple[Hashable, date], Iterable[datetime]]) -> list[str | None]:
    """For each (employee, time) punch, in order: "in", "out", or None (ignored). `earlier`: the
    times of punches already stored, by (employee, Bangkok day)."""
    days: dict[tuple[Hashable, date], list[int]] = defaultdict(list)
    for index, (employee, at) in enumerate(punches):
        days[(employee, bangkok_day(at))].append(index)
    kinds: list[str | None] = [None] * len(punches)
    for day, indexes in days.items():
        times = [punches[index][1] for index in indexes] + list(earlier.get(day, ()))
        first, last = min(times), max(times)
        arrival = next((index for index in indexes if punches[index][1] == first), None)
        if arrival is not None:
            kinds[arrival] = "in"
        if last > first and last - first >= REPEAT_WINDOW:
            departure = next((index for index in indexes if punches[index][1] == last), None)
            if departure is not None:
                kinds[departure] = "out"
    return kinds
