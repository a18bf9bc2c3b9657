# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class OmnichannelInboundEvent(models.Model):
    _inherit = "omnichannel.inbound.event"

    def _process_contact(self, contact):
        """An answer the platform's request could not carry (a survey score, known only once the
        customer is; any FAQ answer on WeCom) goes to the customer through the channel's outbox. A
        WeCom contact remembers the customer-service account it came through: agents answer there."""
        interaction = super()._process_contact(contact)
        reply = interaction.reply_id
        source = self._source_record(contact)
        if not source or not contact.identifiers:
            return interaction
        sender = contact.identifiers[0][1]
        if source._name == "omnichannel.wecom.kf":
            interaction.write({"wecom_kf_id": source.id, "wecom_external_userid": sender})
            if reply.state == "queued":
                reply._wecom_queue(source, sender)
        elif reply.state == "queued" and source._name == "omnichannel.wechat.account":
            reply._wechat_queue(source, sender)
        return interaction
