# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models

from ..tools.contact_window import HORIZON_DAYS, next_contact_time
from .omnichannel_data import CONSENT_CHANNELS

_logger = logging.getLogger(__name__)

# Notifications of one call to `notify` beyond this many go to the background job.
BACKGROUND_THRESHOLD = 200
# A contact window that opens within this delay is considered open.
WINDOW_TOLERANCE = timedelta(minutes=1)
DEFAULT_TZ = "Asia/Shanghai"


class OmnichannelNotification(models.Model):
    """One customer notified in one scenario, and what came of it: sent on the chosen channel, sent
    on a fallback channel, deferred to the customer's next contact window, or skipped with the reason.

    `notify()` is the one entry point: it picks each recipient's channel (the scenario's policy, the
    customer's preferences, their consents and opt-outs, what can reach them), renders the channel's
    template, hands the message to the channel's Odoo mechanism (mail queue, SMS queue, WeChat,
    call activity) and logs it on the timeline. Queued messages are created in the same transaction
    as the notification's result, so a crash loses or repeats nothing."""

    _name = "omnichannel.notification"
    _description = "Customer Notification"
    _order = "id desc"
    _rec_name = "partner_id"

    batch_id = fields.Many2one(
        "omnichannel.notification.batch", ondelete="cascade", index="btree_not_null"
    )
    scenario_id = fields.Many2one(
        "omnichannel.scenario", required=True, ondelete="restrict", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    res_model = fields.Char(string="Document model", required=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [
            ("pending", "To send"),
            ("deferred", "Deferred"),
            ("sent", "Sent"),
            ("fallback", "Sent on a fallback channel"),
            ("skipped", "Skipped"),
            ("failed", "Failed"),
        ],
        required=True,
        default="pending",
        index=True,
    )
    channel = fields.Selection(CONSENT_CHANNELS, readonly=True)
    tried_channels = fields.Char(
        readonly=True, help="Channels already tried for this notification, comma-separated."
    )
    reason = fields.Char(
        readonly=True, help="Why the notification was skipped, deferred or failed."
    )
    scheduled_date = fields.Datetime(string="Deferred until", readonly=True, index="btree_not_null")
    date_sent = fields.Datetime(string="Sent on", readonly=True)
    interaction_id = fields.Many2one(
        "omnichannel.interaction",
        string="Timeline entry",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )

    def init(self):
        # A recipient has one notification per bulk send, however often the job restarts.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS omnichannel_notification_batch_partner_uniq
                ON omnichannel_notification (batch_id, partner_id) WHERE batch_id IS NOT NULL
            """
        )

    # ----------------------------------------------------------------------------------------------
    # Entry point
    # ----------------------------------------------------------------------------------------------

    @api.model
    def notify(self, partners, scenario, record=None):
        """Notify each of `partners` once about `record` (each customer themselves when None) in
        `scenario`. Up to BACKGROUND_THRESHOLD recipients are handled at once and their
        notifications returned; more go to a background batch, whose notifications are returned
        still to send."""
        partners = partners.exists()
        if record is not None and record._name != scenario._document_model():
            record = None  # the scenario's templates are for the customer, not this document
        if len(partners) > BACKGROUND_THRESHOLD:
            batch = (
                self.env["omnichannel.notification.batch"]
                .sudo()
                .create(
                    {
                        "scenario_id": scenario.id,
                        "res_model": record and record._name,
                        "res_id": record and record.id,
                    }
                )
            )
            batch._add_recipients(partners.ids)
            batch.action_start()
            return batch.notification_ids
        notifications = self.sudo().create(
            [
                {
                    "scenario_id": scenario.id,
                    "partner_id": partner.id,
                    "res_model": record._name if record else "res.partner",
                    "res_id": record.id if record else partner.id,
                    "company_id": (
                        record.company_id.id
                        if record and "company_id" in record._fields and record.company_id
                        else self.env.company.id
                    ),
                }
                for partner in partners
            ]
        )
        # Each notification is decided with its company's consents, addresses and senders.
        for company, group in notifications.grouped("company_id").items():
            group.with_company(company)._dispatch()
        return notifications

    # ----------------------------------------------------------------------------------------------
    # Dispatch
    # ----------------------------------------------------------------------------------------------

    def _dispatch(self):
        """Send, defer or skip these notifications; set-wise, with one write per distinct result."""
        now = fields.Datetime.now()
        channels = set(self.scenario_id.channel_ids.mapped("channel"))
        Consent = self.env["omnichannel.consent"]
        addresses = {channel: Consent._addresses(channel, self.partner_id) for channel in channels}
        plans, reasons = self._plan(addresses)
        outcomes = defaultdict(list)  # result values -> notification ids
        tried = {notification: notification._tried() for notification in self}
        to_send = self.browse()
        windows_cache = {}
        for notification in self:
            if not plans[notification]:
                state = "failed" if tried[notification] else "skipped"
                outcomes[_result(state, reasons[notification])].append(notification.id)
                continue
            when = notification._next_contact_time(now, windows_cache)
            if when is None:
                reason = self.env._(
                    "No contact window in the next %(days)s days.", days=HORIZON_DAYS
                )
                outcomes[_result("skipped", [reason])].append(notification.id)
            elif when > now + WINDOW_TOLERANCE:
                reason = self.env._("Outside the customer's contact window.")
                outcomes[_result("deferred", [reason], scheduled_date=when)].append(notification.id)
                self.env.ref("omnichannel_crm.ir_cron_omnichannel_notifications").sudo()._trigger(
                    at=when
                )
            else:
                to_send |= notification
        to_send._send_along(plans, reasons, addresses, tried, outcomes, now)
        for values, ids in outcomes.items():
            self.browse(ids).write(dict(values))

    def _send_along(self, plans, reasons, addresses, tried, outcomes, now):
        """Try each notification's channels in order until one takes it; the results go to
        `outcomes`."""
        remaining = {notification: list(plans[notification]) for notification in self}
        while remaining:
            by_step = defaultdict(self.browse)
            for notification, steps in remaining.items():
                by_step[steps[0]] |= notification
            remaining_next = {}
            for step, notifications in by_step.items():
                failures = notifications._send_on(step, addresses[step.channel])
                for notification in notifications:
                    error = failures.get(notification)
                    tried[notification].append(step.channel)
                    channels = ",".join(tried[notification])
                    if not error:
                        # The reasons the channels before this one were left out stay readable.
                        state = "fallback" if len(tried[notification]) > 1 else "sent"
                        result = _result(
                            state,
                            reasons[notification],
                            channel=step.channel,
                            date_sent=now,
                            tried_channels=channels,
                        )
                        outcomes[result].append(notification.id)
                        continue
                    reasons[notification].append(f"{step._channel_label()}: {error}")
                    steps = remaining[notification][1:]
                    if steps:
                        remaining_next[notification] = steps
                    else:
                        result = _result("failed", reasons[notification], tried_channels=channels)
                        outcomes[result].append(notification.id)
            remaining = remaining_next

    def _send_on(self, step, addresses):
        """Hand these notifications to `step`'s channel, with the customers' `addresses` on it;
        {notification: error} for those it refused."""
        sender = step._sender(step.channel)
        if not sender:
            return dict.fromkeys(self, self.env._("not installed"))
        return sender(self, addresses)

    def _channel_label(self):
        return dict(self._fields["channel"]._description_selection(self.env))[self.channel]

    def _tried(self):
        return [channel for channel in (self.tried_channels or "").split(",") if channel]

    # ----------------------------------------------------------------------------------------------
    # Contact windows
    # ----------------------------------------------------------------------------------------------

    def _next_contact_time(self, now, windows_cache):
        """When this customer may be contacted, from `now`: at once for urgent scenarios. The
        customers sharing a contact window and a timezone share its intervals (`windows_cache`)."""
        if self.scenario_id.urgent:
            return now
        partner = self.partner_id
        company = self.company_id
        tz = partner.tz or company.partner_id.tz or DEFAULT_TZ
        windows = None
        calendar = partner.omnichannel_contact_calendar_id
        if calendar:
            if (calendar, tz) not in windows_cache:
                start = pytz.utc.localize(now)
                intervals = calendar._work_intervals_batch(
                    start, start + timedelta(days=HORIZON_DAYS), tz=pytz.timezone(tz)
                )[False]
                windows_cache[calendar, tz] = [
                    (
                        low.astimezone(pytz.utc).replace(tzinfo=None),
                        high.astimezone(pytz.utc).replace(tzinfo=None),
                    )
                    for low, high, _records in intervals
                ]
            windows = windows_cache[calendar, tz]
        quiet = partner._omnichannel_quiet_hours()
        return next_contact_time(now, tz, windows=windows, quiet=quiet)

    # ----------------------------------------------------------------------------------------------
    # Background
    # ----------------------------------------------------------------------------------------------

    def _fall_back(self):
        """The message these notifications sent could not be delivered: they are due again at once
        on their next channel, which the notifications job tries. Whoever learnt of the failure (a
        delivery receipt, a bounce, an outbox) never calls the next provider itself."""
        retry = self.filtered(lambda notification: notification.state in ("sent", "fallback"))
        if not retry:
            return
        _logger.info("notifications %s fall back to their next channel", retry.ids)
        now = fields.Datetime.now()
        for notification in retry:
            interaction = notification.interaction_id
            failure = f"{notification._channel_label()}: {interaction.failure_reason or '-'}"
            notification.write(
                {
                    "state": "deferred",
                    "scheduled_date": now,
                    "reason": "; ".join(filter(None, [notification.reason, failure])),
                }
            )
        self.env.ref("omnichannel_crm.ir_cron_omnichannel_notifications").sudo()._trigger()

    @api.model
    def _cron_process(self, batch_size=500, max_batches=None):
        """Send what is due: notifications of running bulk sends and deferred ones whose contact
        window opened. Each chunk commits on its own, so a restart resumes where a crash stopped;
        rows are locked so that two workers never take the same one."""
        testing = getattr(threading.current_thread(), "testing", False)
        done = 0
        for _chunk in range(max_batches or 10**6):
            now = fields.Datetime.now()
            self.env.flush_all()
            self.env.cr.execute(
                """
                SELECT notification.id
                  FROM omnichannel_notification notification
                  LEFT JOIN omnichannel_notification_batch batch
                         ON batch.id = notification.batch_id
                 WHERE (notification.state = 'pending' AND batch.state = 'running')
                    OR (notification.state = 'deferred' AND notification.scheduled_date <= %s)
                 ORDER BY notification.id
                 LIMIT %s
                   FOR UPDATE OF notification SKIP LOCKED
                """,
                (now, batch_size),
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                break
            notifications = self.sudo().browse(ids)
            for company, group in notifications.grouped("company_id").items():
                group.with_company(company)._dispatch()
            notifications.batch_id._check_done()
            done += len(ids)
            if not testing:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            # Each chunk starts from a clean cache: memory stays flat over any number of chunks.
            self.env.invalidate_all()
            if len(ids) < batch_size:
                break
        return done


def _result(state, reasons, **values):
    """The values a notification's result is written with, hashable to group equal results."""
    return tuple(
        sorted(
            {
                "state": state,
                "reason": "; ".join(reasons) or False,
                "scheduled_date": False,
                **values,
            }.items()
        )
    )
