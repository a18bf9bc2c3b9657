# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from pytz import utc

from odoo import models, tools

from odoo.addons.resource.models.utils import make_aware

# As Odoo's plan_hours: working intervals read two weeks at a time, for at most 100 of them.
PLAN_CHUNK = timedelta(days=14)
PLAN_CHUNKS = 100


class ResourceCalendar(models.Model):
    """Working intervals are kept per calendar and fortnight (omnichannel.cached.mixin drops them
    when the calendar, its hours or its leaves change)."""

    _name = "resource.calendar"
    _inherit = ["resource.calendar", "omnichannel.cached.mixin"]

    def _omnichannel_plan_hours_many(self, amounts, day_dt):
        """{hours: what `plan_hours(hours, day_dt, compute_leaves=True)` gives} for every amount
        of `amounts` (hours ≥ 0), reading the working intervals once instead of once per amount:
        a ticket's SLA targets share their calendar and start."""
        self.ensure_one()
        day_dt, revert = make_aware(day_dt)
        day_dt = day_dt.astimezone(utc)
        pending = sorted(set(amounts))
        planned = {}
        before = 0.0  # working hours before the current interval
        for n in range(PLAN_CHUNKS):
            for begin, stop in self._omnichannel_work_intervals(day_dt.date() + PLAN_CHUNK * n):
                if stop <= day_dt:
                    continue
                start = max(begin, day_dt)
                interval_hours = (stop - start).total_seconds() / 3600
                while pending and pending[0] - before <= interval_hours:
                    hours = pending.pop(0)
                    planned[hours] = revert(start + timedelta(hours=hours - before))
                if not pending:
                    return planned
                before += interval_hours
        return {**planned, **dict.fromkeys(pending, False)}

    @tools.ormcache("self.id", "day")
    def _omnichannel_work_intervals(self, day):
        """The working intervals (start, stop, in UTC) of the fortnight from midnight UTC of `day`,
        leaves off: read once per calendar and fortnight, and kept until the calendar, its hours
        or its leaves change (every new ticket plans its targets in two or three calendars)."""
        start = datetime.combine(day, time.min, tzinfo=utc)
        intervals = self._work_intervals_batch(
            start, start + PLAN_CHUNK, resources=self.env["resource.resource"]
        )[False]
        return tuple(
            (begin.astimezone(utc), end.astimezone(utc)) for begin, end, _meta in intervals
        )
