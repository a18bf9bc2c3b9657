# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class OmnichannelInboundEvent(models.Model):
    _inherit = "omnichannel.inbound.event"

    def _process_contact(self, contact):
        """A live chat message also tells its session which ticket the conversation is on (the
        session knows its customer before any message is recorded), and the visitor's files join
        its timeline entry and ticket message; the operator's answers join that ticket as the
        operator's, so that their first answer meets the first-response target."""
        interaction = super()._process_contact(contact)
        session = self._source_record(contact)
        if not session or session._name != "discuss.channel":
            return interaction
        if interaction.direction == "inbound":
            if interaction.ticket_id and not session.omnichannel_ticket_id:
                session.omnichannel_ticket_id = interaction.ticket_id
            # Only files of this session: the ids are linked with every right, so none other.
            files = (
                self.env["ir.attachment"]
                .sudo()
                .browse(contact.data.get("attachment_ids"))
                .exists()
                .filtered(lambda file: (file.res_model, file.res_id) == (session._name, session.id))
            )
            self.env["omnichannel.interaction.media"]._link_stored(
                interaction, contact.source, files
            )
        elif not interaction.ticket_id:
            answer = {"user_id": contact.data.get("author_user_id") or False}
            ticket = session.omnichannel_ticket_id
            if ticket:
                answer["ticket_id"] = ticket.id
            interaction.write(answer)
            if ticket:
                interaction._omnichannel_update_ticket_sla()
        return interaction
