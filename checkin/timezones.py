"""Bangkok time, and the range of dates the system takes."""

from datetime import date, timedelta, timezone

# Thailand has kept UTC+7 without daylight saving since 1920; a fixed offset needs no tz database.
BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")

# Dates a request or a file may carry: wide enough for any real record, and far from the ends of
# Python's calendar (years 1 and 9999), where moving to UTC or adding a day overflows (a 500).
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2199, 12, 31)
