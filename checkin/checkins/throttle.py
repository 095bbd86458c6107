"""How many check-ins one employee may send: enough for a phone's offline queue sent at once on
reconnecting, far too few to flood the store with photos (40 uploads of 1.3 MB in ten seconds
were all stored before). Counted in the login limiter's storage (Redis when configured, so every
API process shares the count)."""

from __future__ import annotations

import logging
import math
import time

from flask import current_app
from limits import parse_many

from ..errors import TooManyRequests
from ..extensions import limiter

NAMESPACE = "checkins"
log = logging.getLogger(__name__)


def take_allowance(employee_id: int) -> None:
    """Count one new check-in of the employee; 429 with Retry-After when over a limit. A retry of
    a known client_event_id does not come here: its first answer is returned whatever the count."""
    strategy = limiter.limiter
    for item in parse_many(current_app.config["CHECKIN_RATE_LIMIT"]):
        try:
            within = strategy.hit(item, NAMESPACE, str(employee_id))
        except Exception as error:  # the counter's store (Redis) is down: a check-in is never lost for it
            log.warning("check-in limit not counted (%s); the check-in goes on", error)
            return
        if not within:
            reset_at = strategy.get_window_stats(item, NAMESPACE, str(employee_id)).reset_time
            wait = max(1, math.ceil(reset_at - time.time()))
            raise TooManyRequests(f"Too many check-ins ({item}): try again in {wait} seconds.",
                                  reason="CHECKIN_RATE_LIMITED", headers={"Retry-After": str(wait)})
