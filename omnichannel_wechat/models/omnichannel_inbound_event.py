# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class OmnichannelInboundEvent(models.Model):
    _inherit = "omnichannel.inbound.event"

    def _process_contact(self, contact):
        """An answer the callback could not give at once (a survey score, known only once the
        customer is) goes to the follower through the outbox, as a customer-service message."""
        interaction = super()._process_contact(contact)
        reply = interaction.reply_id
        account = self._source_record(contact)
        if reply.state == "queued" and account and account._name == "omnichannel.wechat.account":
            reply._wechat_queue(account, contact.identifiers[0][1])
        return interaction
