# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import dataclasses
import logging

from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext, plaintext2html

from odoo.addons.omnichannel_crm.tools import media as media_tools
from odoo.addons.omnichannel_crm.tools.inbound import RECEIPT, START, STOP, InboundContact

from ..tools import keywords

_logger = logging.getLogger(__name__)


class OmnichannelSmsProvider(models.Model):
    """What a provider's webhooks bring in: replies and opt-outs as inbound contacts, delivery
    receipts, and the answers (FAQ, opt-out confirmations) that go back by SMS."""

    _inherit = "omnichannel.sms.provider"

    def _inbound_contacts(self, messages):
        """Inbound SMS as inbound contacts; opt-out and opt-in keywords (or the provider's own flag)
        become the contact's consent signal. A sender number that cannot be read is skipped with
        a warning: one bad item must not make the provider redeliver the whole batch."""
        self.ensure_one()
        company = self.company_id
        opt_out_words = keywords.keyword_set(company.omnichannel_sms_opt_out_keywords)
        opt_in_words = keywords.keyword_set(company.omnichannel_sms_opt_in_keywords)
        contacts = []
        for message in messages:
            external_ref = f"{self.id}:{message.external_ref}"
            try:
                number = self.env["omnichannel.identity"].normalize(
                    "phone", message.number, company
                )
            except ValidationError as error:
                _logger.warning(
                    "SMS provider %s: reply %s skipped: %s", self.id, external_ref, error
                )
                continue
            opt_out = message.opt_out or keywords.matches(message.body, opt_out_words)
            opt_in = not opt_out and (
                message.opt_in or keywords.matches(message.body, opt_in_words)
            )
            consent = STOP if opt_out else START if opt_in else None
            text = message.body or self._media_label(message.media)
            contacts.append(
                InboundContact(
                    channel="sms",
                    source=f"{self._name},{self.id}",
                    external_ref=external_ref,
                    company_id=company.id,
                    identifiers=[("phone", number)],
                    text=text,
                    body=plaintext2html(text),
                    media=message.media,
                    consent=consent,
                    team_id=self.team_id.id or None,
                    open_ticket=not consent,
                    auto_reply=not consent,
                    raw=dataclasses.asdict(message),
                )
            )
        return contacts

    def _media_label(self, media):
        """What the timeline reads for a message of files only (an MMS without text)."""
        if not media:
            return ""
        labels = {
            media_tools.IMAGE: self.env._("[Image]"),
            media_tools.VOICE: self.env._("[Voice message]"),
            media_tools.VIDEO: self.env._("[Video]"),
        }
        return labels.get(media[0]["kind"], self.env._("[File]"))

    def _omnichannel_fetch_media(self, media, max_bytes):
        """(bytes, file name) of a queued omnichannel.interaction.media of an inbound message,
        within `max_bytes`, downloaded by the provider's gateway with the provider's credentials
        (Twilio: only from its own API)."""
        self.ensure_one()
        return self._gateway().fetch_media(media.reference, max_bytes)

    def _receipt_contacts(self, receipts):
        """Delivery receipts as inbound events of kind receipt, applied by the pipeline."""
        self.ensure_one()
        return [
            InboundContact(
                channel="sms",
                source=f"{self._name},{self.id}",
                # A call of several numbers has one message id (Aliyun's BizId): the number
                # tells its receipts apart.
                external_ref=":".join(
                    (
                        "receipt",
                        receipt.provider_ref or receipt.reference,
                        receipt.number,
                        receipt.status,
                        receipt.error_code or "",
                    )
                ),
                company_id=self.company_id.id,
                kind=RECEIPT,
                data=dataclasses.asdict(receipt),
            )
            for receipt in receipts
            if receipt.provider_ref or receipt.reference
        ]

    def _after_receive(self, contact, interaction):
        """What goes back to the sender of an inbound SMS, through the SMS queue: the opt-out
        confirmation, or the FAQ's answer."""
        number = contact.identifiers[0][1]
        if contact.consent == STOP:
            self._confirm_opt_out(number, interaction)
        elif interaction.reply_id.state == "queued":
            self._send_answer(number, interaction.reply_id)

    def _send_answer(self, number, answer):
        """The FAQ's answer (or a survey's thanks) by SMS, on its timeline entry."""
        self._queue_reply(
            number,
            answer.partner_id,
            html2plaintext(answer.body or "") or answer.summary,
            omnichannel_interaction_id=answer.id,
        )

    def _confirm_opt_out(self, number, interaction):
        reply = self.company_id.omnichannel_sms_opt_out_reply
        if self.opt_out_confirmation and reply:
            self._queue_reply(
                number, interaction.partner_id, reply, omnichannel_ignore_opt_out=True
            )

    def _queue_reply(self, number, partner, body, **values):
        """An SMS back to the sender, sent by the queue after this request's commit: the webhook
        answers at once."""
        self.env["sms.sms"].sudo().create(
            {
                "number": number,
                "body": body,
                "partner_id": partner.id,
                "omnichannel_company_id": self.company_id.id,
                **values,
            }
        )
        self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()
