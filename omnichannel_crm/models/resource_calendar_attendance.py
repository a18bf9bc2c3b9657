# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResourceCalendarAttendance(models.Model):
    """A calendar's working hours: the working intervals kept for SLA planning follow them."""

    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "omnichannel.cached.mixin"]
