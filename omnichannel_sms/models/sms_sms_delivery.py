# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.omnichannel_crm.tools.outbox import retry_delay

from ..tools.gateways.base import ACCEPTED, DELIVERED, FAILED, SENT, TRANSIENT

_logger = logging.getLogger(__name__)

# A message left "Processing" this long was interrupted between the provider call and the commit.
INTERRUPTED_AFTER = timedelta(minutes=15)
RECEIPT_STATE = {SENT: "pending", DELIVERED: "sent", FAILED: "error"}
# How far a message has gone (delivered and failed are both final).
STATE_RANK = {"pending": 1, "sent": 2, "error": 2, "canceled": 3}
REFUSAL_FAILURE_TYPE = {
    "number": "sms_number_format",
    "opted_out": "sms_blacklist",
    "credit": "sms_credit",
}


class SmsSms(models.Model):
    """What happens to an SMS once the provider was called: its answer, delivery receipts,
    retries from the queue, sends a crash interrupted."""

    _inherit = "sms.sms"

    # ----------------------------------------------------------------------------------------------
    # The provider's answer
    # ----------------------------------------------------------------------------------------------

    def _omni_apply_results(self, provider, answers):
        """Apply the provider's answers [(sms, SendResult)] of one group of calls, each to the
        state its SMS has now (a receipt may have come first). The SMS the provider took, most of
        them, are written together: one write per provider reference (Aliyun gives one to a call)."""
        self.browse([sms.id for sms, _result in answers]).invalidate_recordset(
            ["state", "omnichannel_provider_ref"]
        )
        taken = defaultdict(list)  # provider reference -> ids of the SMS it was given to
        for sms, result in answers:
            _logger.info(
                "SMS %s via %s provider %s: %s %s",
                sms.id,
                provider.provider_type,
                provider.id,
                result.outcome,
                result.error_code,
            )
            if sms.state == "process" and result.outcome == ACCEPTED:
                taken[result.provider_ref or sms.uuid].append(sms.id)
            else:
                sms._omni_apply_result(provider, result)
        for provider_ref, ids in taken.items():
            self.browse(ids).write(
                {
                    "state": "pending",
                    "failure_type": False,
                    "omnichannel_provider_ref": provider_ref,
                    "omnichannel_error_code": False,
                    "omnichannel_error_message": False,
                }
            )
        sent = self.browse([sms_id for ids in taken.values() for sms_id in ids])
        sent._omni_update_trackers("pending")
        sent._omni_update_interaction()

    def _omni_apply_result(self, provider, result):
        """What the provider answered to the call that sent this SMS, unless it was taken while
        the SMS was processing (`_omni_apply_results` writes those). States only move forward: a
        delivery receipt the provider sent before its answer reached us (applied meanwhile, from
        this state "Processing") is kept, and the answer only adds the provider's message id."""
        self.ensure_one()
        if self.state != "process":
            if result.outcome == ACCEPTED and not self.omnichannel_provider_ref:
                self.omnichannel_provider_ref = result.provider_ref or self.uuid
            return
        if result.outcome == TRANSIENT and self.omnichannel_attempts < provider.max_attempts:
            next_try = fields.Datetime.now() + timedelta(
                seconds=retry_delay(self.omnichannel_attempts)
            )
            self.write(
                {
                    "state": "outgoing",
                    "omnichannel_next_try": next_try,
                    "omnichannel_error_code": result.error_code,
                    "omnichannel_error_message": result.error_message,
                }
            )
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger(at=next_try)
            return
        if result.reason == "opted_out":
            # The provider knows the recipient unsubscribed (e.g. replied STOP to Twilio).
            self.env["phone.blacklist"].sudo()._add(
                [self.number], message=self.env._("Opted out, as reported by %s.", provider.name)
            )
        failure_type = (
            "sms_server"
            if result.outcome == TRANSIENT
            else REFUSAL_FAILURE_TYPE.get(result.reason, "unknown")
        )
        self._omni_fail(failure_type, result.error_code, result.error_message)

    def _omni_fail(self, failure_type, error_code, message):
        self.write(
            {
                "state": "error",
                "failure_type": failure_type,
                "omnichannel_error_code": error_code,
                "omnichannel_error_message": (message or "")[:250],
                "omnichannel_next_try": False,
            }
        )
        self._omni_update_trackers("error", failure_type, message)
        self._omni_update_interaction()

    # ----------------------------------------------------------------------------------------------
    # Receipts
    # ----------------------------------------------------------------------------------------------

    def _omni_rank(self):
        """How far this SMS has gone: a receipt never takes it back. An interrupted send stays open
        to the receipt that tells what happened."""
        if self.state == "error" and self.omnichannel_error_code == "interrupted":
            return 0
        return STATE_RANK.get(self.state, 0)

    @api.model
    def _apply_receipts(self, provider, receipts):
        """Apply a provider's delivery receipts, in any order and any number of times. Returns the
        number of receipts that changed a message."""
        find = self._omni_receipt_finder(provider, receipts)
        changed = 0
        for receipt in receipts:
            sms = find(receipt)
            if not sms:
                _logger.info(
                    "SMS provider %s: receipt for unknown message %s",
                    provider.id,
                    receipt.provider_ref or receipt.reference,
                )
                continue
            state = RECEIPT_STATE[receipt.status]
            if STATE_RANK[state] <= sms._omni_rank():
                continue
            values = {
                "state": state,
                "omnichannel_provider_ref": sms.omnichannel_provider_ref or receipt.provider_ref,
            }
            if state == "error":
                values.update(
                    failure_type="unknown",
                    omnichannel_error_code=receipt.error_code or "undelivered",
                    omnichannel_error_message=receipt.error_message or self.env._("Not delivered"),
                )
                sms.write(values)
                sms._omni_update_trackers(
                    "error", "sms_not_delivered", sms.omnichannel_error_message
                )
            else:
                values.update(
                    failure_type=False,
                    omnichannel_error_code=False,
                    omnichannel_error_message=False,
                )
                sms.write(values)
                sms._omni_update_trackers(state)
            sms._omni_update_interaction()
            changed += 1
        return changed

    @api.model
    def _omni_receipt_finder(self, provider, receipts):
        """A function that returns the SMS a receipt is about, read in one query: the one of
        the provider's message id or our reference (the SMS's own, or its call's), and of the
        receipt's number when the provider sent several numbers in that call (a call has a
        number once)."""
        keys = [key for receipt in receipts for key in (receipt.provider_ref, receipt.reference)]
        keys = [key for key in keys if key]
        domain = [
            ("omnichannel_provider_id", "=", provider.id),
            "|",
            "|",
            ("omnichannel_provider_ref", "in", keys),
            ("omnichannel_call_ref", "in", keys),
            ("uuid", "in", keys),
        ]
        numbers = {receipt.number for receipt in receipts}
        if all(numbers):
            # Only the receipts' numbers of a call, not the call's thousand; SMS sent before
            # the number was recorded are found by their reference alone.
            domain.append(("omnichannel_number", "in", [*numbers, False]))
        by_key = {}
        for sms in self.sudo().search(domain):
            for key in {sms.omnichannel_provider_ref, sms.omnichannel_call_ref, sms.uuid}:
                if key:
                    by_key.setdefault(key, []).append(sms)

        def find(receipt):
            for key in (receipt.provider_ref, receipt.reference):
                candidates = by_key.get(key) or []
                same = [sms for sms in candidates if sms.omnichannel_number == receipt.number]
                if len(same) == 1:
                    return same[0]
                if len(candidates) == 1 and not (
                    receipt.number and candidates[0].omnichannel_number
                ):
                    return candidates[0]
            return None

        return find

    # ----------------------------------------------------------------------------------------------
    # Queue
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _process_queue(self, ids=None):
        """Odoo's SMS queue, minus the messages waiting for their next attempt."""
        self._omni_close_interrupted()
        domain = [
            ("state", "=", "outgoing"),
            ("to_delete", "!=", True),
            "|",
            ("omnichannel_next_try", "=", False),
            ("omnichannel_next_try", "<=", fields.Datetime.now()),
        ]
        if ids:
            domain.append(("id", "in", ids))
        due = self.search(domain, limit=10000).ids
        if not due:
            return None
        return super()._process_queue(ids=due)

    @api.model
    def _omni_close_interrupted(self):
        """Messages left "Processing" by a crash may have been taken by the provider: they are never
        sent again automatically, but shown as failed with the reason, until a receipt says what
        happened."""
        stale = self.sudo().search(
            [
                ("state", "=", "process"),
                ("omnichannel_provider_id", "!=", False),
                ("write_date", "<", fields.Datetime.now() - INTERRUPTED_AFTER),
            ]
        )
        for sms in stale:
            sms._omni_fail(
                "unknown",
                "interrupted",
                self.env._(
                    "Sending was interrupted after the provider was called: check in the provider's "
                    "console whether it was sent before sending it again."
                ),
            )

    def _omni_update_trackers(self, state, failure_type=False, reason=False):
        notification_types = dict(
            self.env["mail.notification"]._fields["failure_type"]._description_selection(self.env)
        )
        if failure_type and failure_type not in notification_types:
            failure_type = "unknown"
        self.sms_tracker_id._action_update_from_sms_state(
            state, failure_type=failure_type, failure_reason=reason
        )
