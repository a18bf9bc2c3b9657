# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pacing of the outbox: the per-provider send rate (retry delays: omnichannel_crm.tools.outbox)."""

import time


class RateLimiter:
    """At most `per_second` messages a second (no limit when it is 0), by sleeping between calls:
    a call that carries N numbers counts N, as the providers count them."""

    def __init__(self, per_second, clock=None, sleep=None):
        self.interval = 1.0 / per_second if per_second and per_second > 0 else 0.0
        self.clock = clock or time.monotonic
        self.sleep = sleep or time.sleep
        self.next_slot = None

    def wait(self, count=1):
        """Wait for the moment a call of `count` messages may go."""
        if not self.interval:
            return
        now = self.clock()
        if self.next_slot is not None and now < self.next_slot:
            self.sleep(self.next_slot - now)
            now = self.next_slot
        self.next_slot = now + self.interval * count
