# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# Documents whose messages are contacts with the customer, and how to find that customer.
CAPTURED_MODELS = {
    "res.partner": lambda record: record,
    "helpdesk.ticket": lambda record: record.partner_id,
}


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        if not self.env.context.get("omnichannel_skip_capture"):
            messages._omnichannel_captured()._omnichannel_capture()
        return messages

    def _omnichannel_captured(self):
        """Those of these messages that are on a document whose messages are contacts."""
        return self.filtered(lambda message: message.model in CAPTURED_MODELS)

    def _omnichannel_contact(self):
        """(channel, direction) when this message is a contact with the customer, else None. The
        author is read last: most messages (notes, notifications) are no contact whoever wrote them."""
        self.ensure_one()
        message_type = self.message_type
        if message_type == "sms":
            return ("sms", "outbound")
        if message_type in ("comment", "email_outgoing", "auto_comment"):
            if self.subtype_id.internal or not self.subtype_id:
                return None  # internal notes are not contacts
            if message_type != "comment":
                return ("email", "outbound")
        elif message_type != "email":
            return None
        internal_author = bool(self.author_id.user_ids.filtered(lambda user: not user.share))
        if message_type == "email":
            return ("email", "outbound" if internal_author else "inbound")
        # A comment: an agent's answer, or a customer's reply from the portal.
        return ("email", "outbound") if internal_author else ("chat", "inbound")

    def _omnichannel_capture(self):
        Interaction = self.env["omnichannel.interaction"].sudo()
        for message in self.sudo():
            contact = message._omnichannel_contact()
            if not contact or not message.res_id:
                continue
            record = self.env[message.model].sudo().browse(message.res_id)
            partner = CAPTURED_MODELS[message.model](record)
            if not partner:
                continue
            channel, direction = contact
            if (
                direction == "outbound"
                and channel == "email"
                and message.model == "helpdesk.ticket"
            ):
                # An agent's answer goes out on the channel the ticket talks on.
                channel = record._omnichannel_reply_channel()
            company = (
                record.company_id
                if "company_id" in record._fields and record.company_id
                else message.record_company_id or self.env.company
            )
            author_user = message.author_id.user_ids[:1]
            Interaction._create_deduplicated(
                {
                    "partner_id": partner.id,
                    "channel": channel,
                    "direction": direction,
                    "date": message.date,
                    "summary": message.subject or message.preview,
                    "body": message.body,
                    "ticket_id": record.id if message.model == "helpdesk.ticket" else False,
                    "user_id": author_user.id if direction == "outbound" else False,
                    "company_id": company.id,
                    "external_ref": message.message_id,
                    "source_ref": f"mail.message,{message.id}",
                    "state": "sent" if direction == "outbound" else False,
                }
            )
