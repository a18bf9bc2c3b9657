# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pacing of the outbox: retry delays and the per-provider send rate."""

import random
import time

RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 3600


def retry_delay(attempt, rng=random.random):
    """Seconds to wait before attempt `attempt + 1`: exponential (30 s, 60 s, 2 min, ... capped at
    1 h) with full jitter on its upper half, so that messages failed together do not all come back
    at once."""
    ceiling = min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0))
    return ceiling / 2 + rng() * ceiling / 2


class RateLimiter:
    """At most `per_second` calls a second (no limit when it is 0), by sleeping between calls."""

    def __init__(self, per_second, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / per_second if per_second and per_second > 0 else 0.0
        self.clock = clock
        self.sleep = sleep
        self.next_slot = None

    def wait(self):
        if not self.interval:
            return
        now = self.clock()
        if self.next_slot is not None and now < self.next_slot:
            self.sleep(self.next_slot - now)
            now = self.next_slot
        self.next_slot = now + self.interval
