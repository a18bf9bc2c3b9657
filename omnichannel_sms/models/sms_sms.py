# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import functools
import logging
import threading
import traceback
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tools import split_every

from odoo.addons.omnichannel_crm.tools.identity import InvalidIdentifier, normalize_phone

from ..tools.gateways import GATEWAYS
from ..tools.gateways.base import PERMANENT, OutgoingSms, SendResult
from ..tools.outbox import RateLimiter

_logger = logging.getLogger(__name__)

# Odoo's default batch size, or the most numbers one provider call takes if larger.
LARGEST_CALL = max(500, *(gateway.batch_size for gateway in GATEWAYS.values()))

INTERACTION_STATE = {
    "outgoing": "queued",
    "pending": "sent",
    "sent": "delivered",
    "error": "failed",
}


def _call_gateway(gateway, messages):
    """One provider call, in a worker thread (no database there): a result for each of its
    messages, whatever happens."""
    try:
        return gateway.send_batch(messages)
    except Exception as error:  # one call's defect must not stop the batch
        # The traceback as text, scrubbed: the error may quote the request and its credentials.
        _logger.error(
            "SMS %s: the provider call failed unexpectedly:\n%s",
            messages[0].reference,
            gateway.scrub(traceback.format_exc(), limit=None),
        )
        result = SendResult(PERMANENT, error_code="error", error_message=gateway.scrub(error))
        return [result] * len(messages)


def _refused_for_a_number(results):
    """A call of several numbers refused as a whole for a reason about one number (Aliyun refuses
    a whole call for one number it cannot reach): nothing of it was sent."""
    return len(results) > 1 and all(
        result.outcome == PERMANENT and result.reason in ("number", "opted_out")
        for result in results
    )


class SmsRefused(Exception):
    """This SMS cannot be sent: (failure type, error code, message for the user)."""


class SmsSms(models.Model):
    _inherit = "sms.sms"

    omnichannel_company_id = fields.Many2one(
        "res.company",
        string="Company",
        index="btree_not_null",
        ondelete="set null",
        help="Company of the document the SMS is about: its default provider sends it.",
    )
    omnichannel_provider_id = fields.Many2one(
        "omnichannel.sms.provider",
        string="Provider",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    omnichannel_provider_ref = fields.Char(
        string="Provider message id", index="btree_not_null", readonly=True, copy=False
    )
    omnichannel_number = fields.Char(
        string="Number sent to",
        readonly=True,
        copy=False,
        help="The recipient's number as the provider got it: the receipts of a call that carried "
        "several numbers tell them apart by it.",
    )
    omnichannel_call_ref = fields.Char(
        string="Provider call",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="Reference of the provider call that carried this SMS (its first SMS's), which the "
        "provider's receipts echo.",
    )
    omnichannel_attempts = fields.Integer(string="Attempts", readonly=True, copy=False)
    omnichannel_next_try = fields.Datetime(
        string="Next attempt", index="btree_not_null", readonly=True, copy=False
    )
    omnichannel_error_code = fields.Char(string="Provider error", readonly=True, copy=False)
    omnichannel_error_message = fields.Char(string="Error message", readonly=True, copy=False)
    omnichannel_template_id = fields.Many2one(
        "sms.template", string="Template", ondelete="set null"
    )
    omnichannel_res_model = fields.Char(string="Document model")
    omnichannel_res_id = fields.Many2oneReference(
        string="Document", model_field="omnichannel_res_model"
    )
    omnichannel_interaction_id = fields.Many2one(
        "omnichannel.interaction", string="Timeline entry", ondelete="set null", readonly=True
    )
    omnichannel_ignore_opt_out = fields.Boolean(
        string="Sent despite opt-out",
        help="Sent even to an opted-out number: the confirmation of the opt-out itself, or a test.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        template_id = self.env.context.get("omnichannel_sms_template_id")
        messages = self.env["mail.message"].browse(
            {vals["mail_message_id"] for vals in vals_list if vals.get("mail_message_id")}
        )
        by_id = {message.id: message for message in messages}
        for vals in vals_list:
            if template_id:
                vals.setdefault("omnichannel_template_id", template_id)
            # The document the SMS is about: the chatter message it notifies, if any.
            message = by_id.get(vals.get("mail_message_id"))
            if message:
                vals.setdefault("omnichannel_res_model", message.model)
                vals.setdefault("omnichannel_res_id", message.res_id)
                vals.setdefault("omnichannel_company_id", message.record_company_id.id)
        records = super().create(vals_list)
        records._omni_link_captured_interactions()
        return records

    def _omni_company(self):
        self.ensure_one()
        return self.omnichannel_company_id or self.partner_id.company_id or self.env.company

    # ----------------------------------------------------------------------------------------------
    # Sending
    # ----------------------------------------------------------------------------------------------

    def send(self, unlink_failed=False, unlink_sent=True, auto_commit=False, raise_exception=False):
        # Sending in auto-commit mode (the queue) commits each message's state around the provider
        # call, so that a crash never leaves a message the provider took looking unsent.
        testing = getattr(threading.current_thread(), "testing", False)
        commit = auto_commit is True and not testing
        return super(SmsSms, self.with_context(omnichannel_sms_commit=commit)).send(
            unlink_failed=unlink_failed,
            unlink_sent=unlink_sent,
            auto_commit=auto_commit,
            raise_exception=raise_exception,
        )

    def _split_batch(self):
        # Odoo's sending transactions take 500 SMS by default, which would cut a provider call of
        # up to 1,000 numbers (Aliyun SendSms) in two. A configured batch size still rules.
        size = self.env["ir.config_parameter"].sudo().get_param("sms.session.batch.size")
        yield from split_every(int(size) if size else LARGEST_CALL, self.ids)

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):  # pylint: disable=missing-return
        Provider = self.env["omnichannel.sms.provider"]
        defaults = {}  # company -> its default provider
        by_provider = {}
        via_iap = self.browse()
        for sms in self:
            company = sms._omni_company()
            if company not in defaults:
                defaults[company] = Provider._default_for(company)
            # A retry goes through the provider of the first attempt while it is active.
            provider = sms.omnichannel_provider_id.filtered("active") or defaults[company]
            if not provider or (provider.provider_type == "iap" and provider.active):
                via_iap |= sms
            else:
                by_provider[provider] = by_provider.get(provider, self.browse()) | sms
        if via_iap:
            super(SmsSms, via_iap)._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        for provider, messages in by_provider.items():
            messages._send_through(provider)

    def _send_through(self, provider):
        """Send these SMS through `provider`, at the provider's pace (counted in numbers), in the
        calls its gateway plans (several numbers a call where its API takes a batch), as many in
        flight at once as the gateway says (`parallel_calls`). Each group of calls is on record as
        processing before it goes out. An archived provider (every provider of a neutralized
        database) sends nothing: its messages fail, saying why, without a call."""
        if not provider.active:
            self._omni_refuse_archived(provider)
            return
        gateway = provider._gateway()
        limiter = RateLimiter(provider.rate_limit)
        numbers = self._omni_numbers(provider.company_id)
        blacklisted = self._omni_blacklisted(
            [number for number in numbers.values() if isinstance(number, str)]
        )
        ready = {}  # reference -> sms
        outgoing = []
        for sms in self.with_context(sms_skip_msg_notification=True):
            try:
                outgoing.append(sms._omni_outgoing(provider, gateway, numbers, blacklisted))
                ready[sms.uuid] = sms
            except SmsRefused as refusal:
                sms.omnichannel_provider_id = provider
                sms._omni_fail(*refusal.args)
        if outgoing:
            calls = deque(gateway.calls(outgoing))
            # One gateway (one HTTP session) per call in flight.
            gateways = [gateway] + [
                provider._gateway() for _call in range(min(gateway.parallel_calls, len(calls)) - 1)
            ]
            with ThreadPoolExecutor(len(gateways), thread_name_prefix="omnichannel-sms") as pool:
                while calls:
                    group = [calls.popleft() for _gateway in gateways if calls]
                    calls.extend(
                        self._omni_send_group(provider, ready, group, gateways, pool, limiter)
                    )
        self.mail_message_id._notify_message_notification_update()

    def _omni_send_group(self, provider, ready, group, gateways, pool, limiter):  # pylint: disable=too-many-arguments
        """Send a group of calls at once (each a list of OutgoingSms of `ready`'s SMS) and apply
        the answers. Returns the calls to make again, one message each: those refused as a whole
        for one of their numbers."""
        commit = self.env.context.get("omnichannel_sms_commit")
        for call in group:
            for message in call:
                sms = ready[message.reference]
                sms.write(
                    {
                        "state": "process",
                        "omnichannel_provider_id": provider.id,
                        "omnichannel_attempts": sms.omnichannel_attempts + 1,
                        "omnichannel_next_try": False,
                        "omnichannel_number": gateways[0].wire_number(message.number),
                        "omnichannel_call_ref": call[0].reference,
                    }
                )
        # Written before the calls go out (and committed, from the queue): a receipt the provider
        # sends before its answer reaches us is applied to this state, and the answer, applied
        # after it, finds what the receipt wrote.
        self.env.cr.flush()
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        futures = []
        for call, gateway in zip(group, gateways, strict=False):
            limiter.wait(len(call))
            futures.append(pool.submit(_call_gateway, gateway, call))
        answers, again = [], []
        for call, future in zip(group, futures, strict=True):
            results = future.result()
            if _refused_for_a_number(results):
                again.extend([message] for message in call)
                continue
            answers.extend(
                (ready[message.reference], result)
                for message, result in zip(call, results, strict=True)
            )
        apply = functools.partial(self._omni_apply_results, provider, answers)
        if commit:
            # A receipt committed while the answers are written is a serialization failure:
            # written again, on top of what the receipt wrote.
            retrying(apply, self.env)
            self.env.cr.commit()  # pylint: disable=invalid-commit
        else:
            apply()
        return again

    def _omni_refuse_archived(self, provider):
        reason = self.env._(
            "The SMS provider %(provider)s is archived: the message was not sent. Restore the "
            "provider, or make another one the company's default, then send it again.",
            provider=provider.name,
        )
        for sms in self:
            sms.omnichannel_provider_id = provider
            sms._omni_fail("unknown", "provider_archived", reason)
        self.mail_message_id._notify_message_notification_update()

    def _omni_numbers(self, company):
        """Each number of these SMS in E.164 (read in the company's country), or the
        InvalidIdentifier saying why it is not a phone number: every number parsed once."""
        region = self.env["omnichannel.identity"]._region_for(company)
        numbers = {}
        for number in set(self.mapped("number")):
            try:
                numbers[number] = normalize_phone(number, region)
            except InvalidIdentifier as error:
                numbers[number] = error
        return numbers

    @api.model
    def _omni_blacklisted(self, numbers):
        """The E.164 `numbers` that opted out, in one query."""
        return self.env["omnichannel.consent"]._blacklisted("phone_blacklist", "number", numbers)

    def _omni_outgoing(self, provider, gateway, numbers, blacklisted):
        """The message to hand to the gateway, or SmsRefused saying why it cannot go."""
        self.ensure_one()
        number = numbers.get(self.number) or InvalidIdentifier("empty phone number")
        if not isinstance(number, str):
            raise SmsRefused(
                "sms_number_format" if self.number else "sms_number_missing",
                "invalid_number",
                self.env._(
                    "Invalid phone number %(number)s: %(reason)s",
                    number=self.number or "",
                    reason=number,
                ),
            )
        if number in blacklisted and not self.omnichannel_ignore_opt_out:
            raise SmsRefused(
                "sms_blacklist",
                "opted_out",
                self.env._("The recipient opted out of SMS (%s).", number),
            )
        code, params = "", {}
        if gateway.requires_template:
            code, params = self._omni_template(provider)
        return OutgoingSms(self.uuid, number, self.body or "", code, params)

    def _omni_template(self, provider):
        """(approved template code, parameters) for providers that send approved templates only."""
        mapping = (
            provider.template_code_ids.filtered(
                lambda line: line.sms_template_id == self.omnichannel_template_id
            )[:1]
            if self.omnichannel_template_id
            else None
        )
        if mapping:
            try:
                return mapping.template_code, mapping._render_params(
                    self.omnichannel_res_model, self.omnichannel_res_id
                )
            except UserError as error:
                raise SmsRefused("unknown", "template_params", str(error)) from error
        if provider.default_template_code:
            return provider.default_template_code, {
                provider.default_template_param or "content": self.body or ""
            }
        raise SmsRefused(
            "unknown",
            "no_template",
            self.env._(
                "%(provider)s sends approved templates only: map this SMS template to an approved "
                "one on the provider, or set the provider's default template.",
                provider=provider.name,
            ),
        )
