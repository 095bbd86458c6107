from datetime import timedelta, timezone

# Thailand has kept UTC+7 without daylight saving since 1920; a fixed offset needs no tz database.
BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")
