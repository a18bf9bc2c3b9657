# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResourceCalendarLeaves(models.Model):
    """A calendar's leaves (public holidays): the working intervals kept for SLA planning
    follow them."""

    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "omnichannel.cached.mixin"]
