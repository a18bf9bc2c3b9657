# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
import traceback
from collections import namedtuple
from datetime import timedelta

from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omnichannel_crm.tools.outbox import retry_delay
from odoo.addons.omnichannel_crm.tools.redact import redact_secrets

from ..tools.client import WechatApiError

_logger = logging.getLogger(__name__)

# Attempts at one message before it goes the way of a refused one (the customer's next channel).
MAX_ATTEMPTS = 5
# How long a claimed message stays claimed: a sending job that stopped (killed, out of memory, past
# its time limit) leaves it "Sending", and it is sent again, with the same idempotency key, once
# this is past (well within the 10 minutes WeChat keeps a template message's client_msg_id).
CLAIM_LEASE = timedelta(minutes=2)

# Per channel: the method that sends one entry, the job that sends them, and the path to the
# account (its credentials, its platform) an entry goes out from.
Outbox = namedtuple("Outbox", ["send_method", "cron", "account_path"])
OUTBOXES = {
    "wechat": Outbox(
        "_send_wechat_notification", "omnichannel_wechat.ir_cron_wechat_outbox", "wechat_account_id"
    ),
    "wecom": Outbox(
        "_send_wecom_message", "omnichannel_wechat.ir_cron_wecom_outbox", "wecom_kf_id.account_id"
    ),
}


class OmnichannelInteraction(models.Model):
    """The outbox of WeChat and WeCom messages: at least once to the platform, once in effect.

    An entry is claimed ("Sending", committed) before the platform is called, and it is sent once
    the platform accepted it. A platform that is busy, down or too slow to answer is tried again
    after a growing delay, a few times, before the message goes the way of a refused one: failed,
    with the reason, and an agent's reply on the customer's next channel with a note on the
    ticket. A sending job that stopped between the call and its commit leaves its claim: sent again
    once the claim's lease is over, with the same idempotency key (WeCom's msgid, a template
    message's client_msg_id), so that the platform delivers it once."""

    _inherit = "omnichannel.interaction"

    state = fields.Selection(
        selection_add=[("queued",), ("sending", "Sending"), ("sent",)],
        ondelete={"sending": lambda entries: entries.write({"state": "queued"})},
    )
    outbox_attempts = fields.Integer(
        string="Attempts",
        readonly=True,
        copy=False,
        help="How many times the outbox handed this message to the platform.",
    )
    outbox_next_try = fields.Datetime(
        string="Next attempt",
        readonly=True,
        copy=False,
        help="When the outbox tries this message again; while it is Sending, when its sending job "
        "is taken to have stopped and the message goes again.",
    )

    def init(self):  # pylint: disable=missing-return
        super().init()
        # The outbox's look-up: the few entries waiting among a timeline of millions.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS omnichannel_interaction_outbox_idx
                ON omnichannel_interaction (channel, outbox_next_try)
             WHERE state IN ('queued', 'sending')
            """
        )

    @api.model
    def _send_outbox(self, channel, batch_size):
        """Send the due entries of `channel`'s outbox, each claimed and committed before its call,
        its outcome committed after it. The others of an account whose platform did not answer
        wait for its next try: a platform that hangs costs the job one timeout, not one per
        message."""
        outbox = OUTBOXES[channel]
        commit = not getattr(threading.current_thread(), "testing", False)
        now = fields.Datetime.now()
        due = self.sudo().search(
            [
                ("channel", "=", channel),
                (outbox.account_path, "!=", False),
                ("direction", "=", "outbound"),
                ("state", "in", ("queued", "sending")),
                "|",
                ("outbox_next_try", "=", False),
                ("outbox_next_try", "<=", now),
            ],
            order="id",
            limit=batch_size,
        )
        cron = self.env.ref(outbox.cron).sudo()
        if due:
            # For the claims of this run, should it stop before it records their outcome.
            cron._trigger(at=now + CLAIM_LEASE)
        unavailable = {}  # account -> its next try
        for entry in due:
            account = entry.mapped(outbox.account_path)
            if account in unavailable:
                entry.outbox_next_try = unavailable[account]
                continue
            if not entry._outbox_claim():
                continue
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            next_try = entry._outbox_send(outbox.send_method)
            if next_try:
                unavailable[account] = next_try
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if len(due) == batch_size:
            cron._trigger()

    def _outbox_claim(self):
        """Claim this entry for one attempt; False when it was claimed too often already (each
        time by a job that stopped before recording the platform's answer): it fails instead."""
        self.ensure_one()
        if self.state == "sending" and self.outbox_attempts >= MAX_ATTEMPTS:
            self._outbox_fail(
                self.env._(
                    "Sending was interrupted %(attempts)s times before the platform's answer was "
                    "recorded.",
                    attempts=self.outbox_attempts,
                )
            )
            return False
        self.write(
            {
                "state": "sending",
                "outbox_attempts": self.outbox_attempts + 1,
                "outbox_next_try": fields.Datetime.now() + CLAIM_LEASE,
                **self._outbox_claim_values(),
            }
        )
        return True

    def _outbox_claim_values(self):
        """What a channel records with the claim, before the platform is called."""
        return {}

    def _outbox_key(self):
        """The idempotency key of this message, the same at every attempt."""
        self.ensure_one()
        return f"odoo-{self.id}"

    def _outbox_send(self, send_method):
        """One attempt: sent, tried again later, or failed. Returns, when the platform did not
        answer, until when the account's other messages wait."""
        try:
            with self.env.cr.savepoint():
                getattr(self, send_method)()
        except WechatApiError as error:
            if error.transient:
                return self._outbox_retry(str(error))
            self._outbox_fail(str(error))
        except OperationalError as error:
            # Another transaction held what this one needed (a serialization failure, a lock).
            self._outbox_retry(
                self.env._("The database was busy: %(error)s", error=str(error).strip())
            )
        except Exception as error:  # whatever stops this message must not stop the others
            secrets = self.mapped(OUTBOXES[self.channel].account_path)._secrets()
            reason = redact_secrets(str(error), secrets)
            if isinstance(error, UserError):
                _logger.warning("%s message %s not sent: %s", self.channel, self.id, reason)
            else:
                _logger.error(
                    "%s message %s not sent:\n%s",
                    self.channel,
                    self.id,
                    redact_secrets(traceback.format_exc(), secrets),
                )
            self._outbox_fail(self.env._("The message could not be sent: %(error)s", error=reason))
        else:
            if self.state == "sending":
                self.write({"state": "sent", "failure_reason": False, "outbox_next_try": False})
        return None

    def _outbox_retry(self, reason):
        """Back in the queue until its next try, which is returned; failed after the last one
        (the first delay is returned then)."""
        if self.outbox_attempts >= MAX_ATTEMPTS:
            self._outbox_fail(
                self.env._(
                    "%(reason)s (%(attempts)s attempts)",
                    reason=reason,
                    attempts=self.outbox_attempts,
                )
            )
            return fields.Datetime.now() + timedelta(seconds=retry_delay(1))
        next_try = fields.Datetime.now() + timedelta(seconds=retry_delay(self.outbox_attempts))
        self.write(
            {
                "state": "queued",
                "outbox_next_try": next_try,
                "failure_reason": self.env._(
                    "%(reason)s It is tried again shortly (attempt %(attempt)s of %(attempts)s).",
                    reason=reason,
                    attempt=self.outbox_attempts,
                    attempts=MAX_ATTEMPTS,
                ),
            }
        )
        self.env.ref(OUTBOXES[self.channel].cron).sudo()._trigger(at=next_try)
        return next_try

    def _outbox_fail(self, reason):
        """The way of a refused message: failed with `reason`, an agent's reply on the customer's
        next channel, the agent told. Failed in any case: a message whose forwarding breaks must
        not stop every later run of the job on it."""
        self.outbox_next_try = False
        try:
            with self.env.cr.savepoint():
                self._deliver_elsewhere(reason)
        except Exception:  # logged; the message is failed all the same
            _logger.exception(
                "%s message %s could not go on another channel", self.channel, self.id
            )
            self.write({"state": "failed", "failure_reason": reason})
