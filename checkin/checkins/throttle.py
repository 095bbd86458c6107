"""How many check-ins one employee may send: enough for a phone's offline queue sent at once on
reconnecting, far too few to flood the store with photos (40 uploads of 1.3 MB in ten seconds
were all stored before). Counted in the login limiter's storage (Redis when configured, so every
API process shares the count)."""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse_many

from ..errors import TooManyRequests
from ..extensions import limiter

NAMESPACE = "checkins"


def take_allowance(employee_id: int) -> None:
    """Count one new check-in of the employee; 429 with Retry-After when over a limit. A retry of
    a known client_event_id does not come here: its first answer is returned whatever the count."""
    strategy = limiter.limiter
    for item in parse_many(current_app.config["CHECKIN_RATE_LIMIT"]):
        if not strategy.hit(item, NAMESPACE, str(employee_id)):
            reset_at = strategy.get_window_stats(item, NAMESPACE, str(employee_id)).reset_time
            wait = max(1, math.ceil(reset_at - time.time()))
            raise TooManyRequests(f"Too many check-ins ({item}): try again in {wait} seconds.",
                                  reason="CHECKIN_RATE_LIMITED", headers={"Retry-After": str(wait)})
