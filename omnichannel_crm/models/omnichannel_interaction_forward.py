# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, models
from odoo.tools import html2plaintext, plaintext2html

from ..tools import channel_plan

# The channels that take an agent's plain text at any time, in the order tried when the customer
# prefers none of them.
FORWARD_CHANNELS = ("email", "sms")


class OmnichannelInteraction(models.Model):
    """An agent's message its channel cannot deliver (a chat window closed, a quota used up) goes
    out on the customer's next channel instead, so that no answer is lost."""

    _inherit = "omnichannel.interaction"

    def _forward_to_next_channel(self, excluded):
        """Send this outbound message's text on the first channel, outside `excluded`, that the
        customer prefers and can be reached on with their consent and their service level: email,
        or SMS where Odoo's SMS is installed. The new timeline entry, or an empty recordset when no
        channel can take it."""
        self.ensure_one()
        partner = self.partner_id
        # The consents and addresses the customer gave the company of this message.
        Consent = self.env["omnichannel.consent"].sudo().with_company(self.company_id)
        ranks = self.env["omnichannel.notification"]._preferences(partner).get(partner.id, {})
        consents = Consent._current(partner, "service")
        served = partner.omnichannel_service_level_id._served_channels()
        channels = sorted(
            (channel for channel in FORWARD_CHANNELS if channel not in excluded),
            key=lambda channel: ranks.get(channel, len(ranks)),
        )
        for channel in channels:
            address = Consent._addresses(channel, partner).get(partner.id)
            installed = channel == "email" or "sms.sms" in self.env
            if channel_plan.refusal(
                channel,
                "service",
                consents.get((partner.id, channel)),
                address,
                installed,
                served=served is None or channel in served,
            ):
                continue
            return getattr(self, f"_forward_by_{channel}")(address)
        return self.browse()

    def _is_agent_reply(self):
        """An agent's answer from the ticket's chatter (not a notification, not an automatic one)."""
        return bool(self.ticket_id and self.source_ref and self.source_ref._name == "mail.message")

    def _deliver_elsewhere(self, reason):
        """This message's channel cannot take it (`reason`): an agent's reply goes on the customer's
        next channel, the entry says why, and the ticket tells the agent which way it went. (A
        notification falls back by its scenario instead.)"""
        if not self._is_agent_reply():
            return self.write({"state": "failed", "failure_reason": reason})
        forwarded = self._forward_to_next_channel({self.channel})
        if forwarded:
            label = dict(self._fields["channel"]._description_selection(self.env))[
                forwarded.channel
            ]
            reason = self.env._(
                "%(reason)s Sent by %(channel)s instead.", reason=reason, channel=label
            )
        else:
            reason = self.env._("%(reason)s No other channel reaches the customer.", reason=reason)
        self.write({"state": "failed", "failure_reason": reason})
        self._tell_agent(reason)
        return None

    def _tell_agent(self, text):
        """A note on the ticket of an agent's reply: the agent sees how it reached the customer."""
        if self._is_agent_reply():
            self.ticket_id.sudo().message_post(
                body=text, message_type="comment", subtype_xmlid="mail.mt_note"
            )

    def _forward_copy(self, channel, **values):
        """The timeline entry of the same message on `channel`."""
        return self.sudo().create(
            {
                "partner_id": self.partner_id.id,
                "channel": channel,
                "direction": "outbound",
                "interaction_type": "message",
                "summary": self.summary,
                "body": self.body,
                "ticket_id": self.ticket_id.id,
                "user_id": self.user_id.id,
                "company_id": self.company_id.id,
                "state": "queued",
                **values,
            }
        )

    def _forward_by_email(self, _address):
        document = self.ticket_id or self.partner_id
        mail = (
            self.env["mail.mail"]
            .sudo()
            .with_context(omnichannel_skip_capture=True)
            .create(
                {
                    "subject": document.display_name,
                    "body_html": self.body or plaintext2html(self.summary or ""),
                    "email_from": (self.company_id or self.env.company).email_formatted,
                    "model": document._name,
                    "res_id": document.id,
                    "recipient_ids": [Command.link(self.partner_id.id)],
                }
            )
        )
        forwarded = self._forward_copy(
            "email", source_ref=f"mail.message,{mail.mail_message_id.id}"
        )
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        return forwarded

    def _forward_by_sms(self, number):
        forwarded = self._forward_copy("sms")
        self.env["sms.sms"].sudo().create(
            {
                "number": number,
                "partner_id": self.partner_id.id,
                "body": html2plaintext(self.body or "") or self.summary,
                **forwarded._forward_sms_values(),
            }
        )
        self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()
        return forwarded

    def _forward_sms_values(self):
        """Extra values of the SMS that forwards this entry: the SMS connector links it to its
        timeline entry."""
        return {}
