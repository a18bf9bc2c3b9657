# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.omnichannel_crm.tools.inbound import RECEIPT

from ..tools.gateways.base import Receipt

SMS_PROVIDER = "omnichannel.sms.provider"


class OmnichannelInboundEvent(models.Model):
    _inherit = "omnichannel.inbound.event"

    def _process_contact(self, contact):
        """Delivery receipts update the SMS they are about; replies go through the pipeline, then
        get their answer or opt-out confirmation by SMS."""
        provider = self._source_record(contact)
        if provider is None or provider._name != SMS_PROVIDER:
            return super()._process_contact(contact)
        if contact.kind == RECEIPT:
            self.env["sms.sms"].sudo()._apply_receipts(provider, [Receipt(**contact.data)])
            return self.env["omnichannel.interaction"]
        interaction = super()._process_contact(contact)
        provider._after_receive(contact, interaction)
        return interaction
