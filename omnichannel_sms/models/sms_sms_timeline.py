# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import plaintext2html

from .sms_sms import INTERACTION_STATE


class SmsSms(models.Model):
    """An SMS on the customer's timeline: linked to the entry captured with its chatter message,
    or given one, and showing its delivery state there."""

    _inherit = "sms.sms"

    def _omni_link_captured_interactions(self):
        """SMS posted on a customer's or ticket's chatter are on the timeline already (captured with
        their message): link them, queued until the provider takes them."""
        with_message = self.filtered("mail_message_id")
        if not with_message:
            return
        interactions = self.env["omnichannel.interaction"]._of_messages(
            with_message.mail_message_id
        )
        by_message = {interaction.source_ref.id: interaction for interaction in interactions}
        for sms in with_message:
            interaction = by_message.get(sms.mail_message_id.id)
            if interaction:
                sms.omnichannel_interaction_id = interaction
                interaction.state = "queued"

    def _omni_update_interaction(self):
        """Show these SMS's states on the customers' timelines, adding the entry for SMS sent
        without a chatter message (mass SMS, automated actions) to a known customer. The entries
        that take the same state are written together."""
        for sms in self.filtered(lambda sms: not sms.omnichannel_interaction_id):
            sms._omni_add_interaction()
        by_values = defaultdict(list)  # (state, failure reason) -> timeline entry ids
        for sms in self.filtered("omnichannel_interaction_id"):
            interaction = sms.omnichannel_interaction_id
            values = (
                INTERACTION_STATE.get(sms.state, interaction.state),
                sms.omnichannel_error_message if sms.state == "error" else False,
            )
            by_values[values].append(interaction.id)
        Interaction = self.env["omnichannel.interaction"].sudo()
        for (state, reason), ids in by_values.items():
            Interaction.browse(ids).write({"state": state, "failure_reason": reason})

    def _omni_add_interaction(self):
        """The timeline entry of this SMS, for a known customer, when it has none yet."""
        self.ensure_one()
        company = self._omni_company()
        partner = self.partner_id
        if not partner and self.number:
            try:
                partner = (
                    self.env["omnichannel.identity"]
                    .sudo()
                    .find_partner("phone", self.number, company)
                )
            except ValidationError:  # an unparsable number has no customer
                partner = self.env["res.partner"]
        if not partner:
            return
        interaction, _created = (
            self.env["omnichannel.interaction"]
            .sudo()
            ._create_deduplicated(
                {
                    "partner_id": partner.id,
                    "channel": "sms",
                    "direction": "outbound",
                    "summary": self.body,
                    "body": plaintext2html(self.body or ""),
                    "company_id": company.id,
                    "external_ref": f"sms:{self.uuid}",
                }
            )
        )
        self.omnichannel_interaction_id = interaction
