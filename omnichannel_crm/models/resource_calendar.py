# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import models

from odoo.addons.resource.models.utils import make_aware

# As Odoo's plan_hours: working intervals read two weeks at a time, for at most 100 of them.
PLAN_CHUNK = timedelta(days=14)
PLAN_CHUNKS = 100


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _omnichannel_plan_hours_many(self, amounts, day_dt):
        """{hours: what `plan_hours(hours, day_dt, compute_leaves=True)` gives} for every amount
        of `amounts` (hours ≥ 0), reading the working intervals once instead of once per amount:
        a ticket's SLA targets share their calendar and start."""
        self.ensure_one()
        day_dt, revert = make_aware(day_dt)
        pending = sorted(set(amounts))
        planned = {}
        before = 0.0  # working hours before the current interval
        no_resource = self.env["resource.resource"]
        for n in range(PLAN_CHUNKS):
            chunk_start = day_dt + PLAN_CHUNK * n
            intervals = self._work_intervals_batch(
                chunk_start, chunk_start + PLAN_CHUNK, resources=no_resource
            )[False]
            for start, stop, _meta in intervals:
                interval_hours = (stop - start).total_seconds() / 3600
                while pending and pending[0] - before <= interval_hours:
                    hours = pending.pop(0)
                    planned[hours] = revert(start + timedelta(hours=hours - before))
                if not pending:
                    return planned
                before += interval_hours
        return {**planned, **dict.fromkeys(pending, False)}
