# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class OmnichannelInteraction(models.Model):
    _inherit = "omnichannel.interaction"

    def _forward_sms_values(self):
        """The forwarded SMS goes through the company's provider and shows its delivery on this
        entry."""
        return {"omnichannel_interaction_id": self.id, "omnichannel_company_id": self.company_id.id}
