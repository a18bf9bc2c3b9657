# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models

from ..tools.gateways.base import DELIVERED, FAILED, SENT

_logger = logging.getLogger(__name__)

# A message left "Processing" this long was interrupted between the provider call and the commit.
INTERRUPTED_AFTER = timedelta(minutes=15)
RECEIPT_STATE = {SENT: "pending", DELIVERED: "sent", FAILED: "error"}
# How far a message has gone (delivered and failed are both final).
STATE_RANK = {"pending": 1, "sent": 2, "error": 2, "canceled": 3}


class SmsSms(models.Model):
    """What happens to an SMS after the provider took it: delivery receipts, retries from the
    queue, sends a crash interrupted."""

    _inherit = "sms.sms"

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
        refs = [receipt.provider_ref for receipt in receipts if receipt.provider_ref]
        references = [receipt.reference for receipt in receipts if receipt.reference]
        messages = self.sudo().search(
            [
                ("omnichannel_provider_id", "=", provider.id),
                "|",
                ("omnichannel_provider_ref", "in", refs),
                ("uuid", "in", references),
            ]
        )
        by_ref = {
            sms.omnichannel_provider_ref: sms for sms in messages if sms.omnichannel_provider_ref
        }
        by_reference = {sms.uuid: sms for sms in messages}
        changed = 0
        for receipt in receipts:
            sms = by_ref.get(receipt.provider_ref) or by_reference.get(receipt.reference)
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
