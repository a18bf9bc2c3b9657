# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext

from ..tools.contact_window import HORIZON_DAYS, next_contact_time
from ..tools.identity import InvalidIdentifier, normalize_phone
from .omnichannel_consent import CONSENT_CHANNELS

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
        notifications._dispatch()
        return notifications

    # ----------------------------------------------------------------------------------------------
    # Dispatch
    # ----------------------------------------------------------------------------------------------

    def _dispatch(self):
        """Send, defer or skip these notifications; set-wise, with one write per distinct result."""
        now = fields.Datetime.now()
        channels = set(self.scenario_id.channel_ids.mapped("channel"))
        addresses = {channel: self._addresses(channel, self.partner_id) for channel in channels}
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
        {notification: error} for those it refused. Each channel is a `_send_<channel>` method,
        connector addons add theirs."""
        sender = getattr(self, f"_send_{step.channel}", None)
        if not sender:
            return dict.fromkeys(self, self.env._("not installed"))
        return sender(step, addresses)

    def _channel_label(self):
        return dict(self._fields["channel"]._description_selection(self.env))[self.channel]

    def _tried(self):
        return [channel for channel in (self.tried_channels or "").split(",") if channel]

    # ----------------------------------------------------------------------------------------------
    # Channel choice
    # ----------------------------------------------------------------------------------------------

    def _plan(self, addresses):
        """The steps of the scenario to try for each notification, in order, and for each one the
        reasons its other channels were left out: ({notification: [steps]}, {notification: [text]})."""
        partners = self.partner_id
        consents = {
            purpose: self.env["omnichannel.consent"]._current(partners, purpose)
            for purpose in set(self.scenario_id.mapped("purpose"))
        }
        preferences = self._preferences(partners)
        plans, reasons = {}, {}
        for notification in self:
            partner = notification.partner_id
            scenario = notification.scenario_id
            tried = notification._tried()
            level = partner.service_level_id
            plan = []
            # What happened on the channels already tried comes first.
            left_out = [notification.reason] if tried and notification.reason else []
            for step in scenario.channel_ids:
                if step.channel in tried or step in plan:
                    continue
                if (
                    step.min_service_level_id
                    and level.sequence < step.min_service_level_id.sequence
                ):
                    continue
                refusal = self._refusal(
                    step,
                    scenario.purpose,
                    consents[scenario.purpose].get((partner.id, step.channel)),
                    addresses[step.channel].get(partner.id),
                )
                if refusal:
                    left_out.append(f"{step._channel_label()}: {refusal}")
                else:
                    plan.append(step)
            ranks = preferences.get(partner.id, {})
            if scenario.respect_preferences:
                # Upgrades for the customer's level first, then the channels they prefer.
                plan.sort(
                    key=lambda step, ranks=ranks: (
                        not step.min_service_level_id,
                        ranks.get(step.channel, len(ranks)),
                    )
                )
            if not scenario.channel_ids:
                left_out.append(self.env._("The scenario has no channel."))
            plans[notification] = plan
            reasons[notification] = left_out
        return plans, reasons

    @api.model
    def _refusal(self, step, purpose, consent, address):
        """Why `step` cannot reach a customer with this `consent` (True, False or None when never
        asked) and `address` (None: none, False: opted out); None when it can."""
        if consent is False:
            return self.env._("consent withdrawn")
        if purpose == "marketing" and not consent:
            return self.env._("no marketing consent")
        if address is None:
            return self.env._("no address")
        if address is False:
            return self.env._("opted out")
        if not hasattr(self, f"_send_{step.channel}"):
            return self.env._("not installed")
        return None

    @api.model
    def _preferences(self, partners):
        """{partner id: {channel: rank}} from each customer's own or their company's list."""
        rows = (
            self.env["omnichannel.channel.preference"]
            .sudo()
            .search_read(
                [("partner_id", "in", (partners | partners.commercial_partner_id).ids)],
                ["partner_id", "channel"],
                order="partner_id, sequence, id",
            )
        )
        ranked = defaultdict(dict)
        for row in rows:
            ranks = ranked[row["partner_id"][0]]
            ranks.setdefault(row["channel"], len(ranks))
        return {
            partner.id: ranked.get(partner.id) or ranked.get(partner.commercial_partner_id.id, {})
            for partner in partners
        }

    @api.model
    def _addresses(self, channel, partners):
        """{partner id: address} on `channel`: the address, False when it opted out (blacklisted),
        None (absent) when there is none. Connector addons add their channels."""
        if channel == "email":
            emails = {partner.id: partner.email_normalized for partner in partners}
            blacklisted = self._blacklisted("mail_blacklist", "email", list(emails.values()))
            return {
                partner_id: email not in blacklisted and email
                for partner_id, email in emails.items()
                if email
            }
        if channel in ("sms", "phone"):
            numbers = {}
            for partner in partners:
                number = self._partner_number(partner, mobile_first=channel == "sms")
                if number:
                    numbers[partner.id] = number
            blacklisted = self._blacklisted("phone_blacklist", "number", list(numbers.values()))
            return {
                partner_id: number not in blacklisted and number
                for partner_id, number in numbers.items()
            }
        return {}

    @api.model
    def _blacklisted(self, table, column, addresses):
        """The normalized `addresses` on an active entry of Odoo's blacklist `table`. In SQL: the
        blacklists' search normalizes every value it is given again, one by one."""
        self.env[table.replace("_", ".")].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE active AND %s = ANY(%s)",
                SQL.identifier(column),
                SQL.identifier(table),
                SQL.identifier(column),
                [address for address in addresses if address],
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _partner_number(self, partner, mobile_first=True):
        """The partner's number in E.164, mobile first for text messages; None if none is valid."""
        fields_order = ("mobile", "phone") if mobile_first else ("phone", "mobile")
        region = partner.country_id.code or self.env.company.country_id.code
        for field_name in fields_order:
            if partner[field_name]:
                try:
                    return normalize_phone(partner[field_name], region)
                except InvalidIdentifier:
                    continue
        return None

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
    # Channels
    # ----------------------------------------------------------------------------------------------

    def _documents(self):
        """{notification: the document it is about}, read in batch."""
        records = {}
        by_model = defaultdict(list)
        for notification in self:
            by_model[notification.res_model].append(notification)
        for model, notifications in by_model.items():
            documents = self.env[model].sudo().browse([n.res_id for n in notifications])
            for notification, document in zip(notifications, documents, strict=True):
                records[notification] = document
        return records

    def _group_for_rendering(self):
        """{(lang, model): {res_id: notifications}}: a template is rendered once per document and
        language."""
        groups = defaultdict(lambda: defaultdict(self.browse))
        for notification in self:
            lang = notification.partner_id.lang or self.env.lang
            groups[(lang, notification.res_model)][notification.res_id] |= notification
        return groups

    def _log_interactions(self, channel, summaries, extra=None):
        """One outbound entry on each customer's timeline; `summaries` and `extra` per
        notification."""
        Interaction = self.env["omnichannel.interaction"].sudo()
        vals_list = []
        for notification in self:
            document = (notification.res_model, notification.res_id)
            vals_list.append(
                {
                    "partner_id": notification.partner_id.id,
                    "channel": channel,
                    "direction": "outbound",
                    # A phone step plans a call (a to-do), it does not make one: an event, which
                    # meets no response target until the call happens and is logged.
                    "interaction_type": "event" if channel == "phone" else "message",
                    "summary": Interaction._summary_from(summaries.get(notification), None),
                    "ticket_id": document[1] if document[0] == "helpdesk.ticket" else False,
                    "company_id": notification.company_id.id,
                    "state": "queued",
                    **((extra or {}).get(notification) or {}),
                }
            )
        interactions = Interaction.create(vals_list)
        for notification, interaction in zip(self, interactions, strict=True):
            notification.interaction_id = interaction
        return interactions

    def _send_email(self, step, addresses):
        """Queue the email in Odoo's mail queue, rendered in the customer's language."""
        template = step.mail_template_id
        if not template:
            return dict.fromkeys(self, self.env._("no template"))
        Mail = self.env["mail.mail"].sudo().with_context(omnichannel_skip_capture=True)
        render_fields = (
            "attachment_ids",
            "auto_delete",
            "body_html",
            "email_from",
            "mail_server_id",
            "reply_to",
            "report_template_ids",
            "subject",
        )
        summaries, extra = {}, {}
        for (lang, model), by_document in self._group_for_rendering().items():
            rendered = template.with_context(lang=lang)._generate_template(
                list(by_document), render_fields
            )
            vals_list, groups, attachments_list = [], [], []
            for res_id, notifications in by_document.items():
                values = rendered[res_id]
                attachments_list.append(values.get("attachments") or [])
                groups.append(notifications)
                vals_list.append(
                    {
                        "subject": values.get("subject"),
                        "body_html": values.get("body_html"),
                        "body": values.get("body_html"),
                        "email_from": values.get("email_from") or self.env.company.email_formatted,
                        "reply_to": values.get("reply_to"),
                        "mail_server_id": values.get("mail_server_id"),
                        "auto_delete": values.get("auto_delete", True),
                        "model": model,
                        "res_id": res_id,
                        "recipient_ids": [
                            (4, notification.partner_id.id)
                            for notification in notifications
                            if addresses.get(notification.partner_id.id)
                        ],
                        "attachment_ids": [(4, aid) for aid in values.get("attachment_ids") or []],
                    }
                )
            mails = Mail.create(vals_list)
            for mail, notifications, attachments in zip(
                mails, groups, attachments_list, strict=True
            ):
                if attachments:
                    mail.with_context(default_type=None).write(
                        {
                            "attachment_ids": [
                                (
                                    0,
                                    0,
                                    {
                                        "name": name,
                                        "datas": datas,
                                        "type": "binary",
                                        "res_model": "mail.message",
                                        "res_id": mail.mail_message_id.id,
                                    },
                                )
                                for name, datas in attachments
                            ]
                        }
                    )
                for notification in notifications:
                    summaries[notification] = mail.subject or html2plaintext(mail.body_html or "")
                    extra[notification] = {
                        "body": mail.body_html,
                        "source_ref": f"mail.message,{mail.mail_message_id.id}",
                    }
        self._log_interactions("email", summaries, extra)
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        return {}

    def _send_phone(self, step, numbers):
        """A phone call is an activity for the customer's account manager, on the document when it
        has activities, else on the customer."""
        failures, summaries, extra = {}, {}, {}
        documents = self._documents()
        today = fields.Date.context_today(self)
        for notification in self:
            partner = notification.partner_id
            user = partner._omnichannel_account_manager()
            if not user:
                failures[notification] = self.env._("no account manager to call")
                continue
            document = documents[notification]
            record = document if "activity_ids" in document._fields else partner
            summary = self.env._(
                "Call %(customer)s: %(scenario)s",
                customer=partner.display_name,
                scenario=notification.scenario_id.name,
            )
            record.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=today,
                summary=summary,
                note=self.env._(
                    "Number: %(number)s. %(brief)s",
                    number=numbers.get(partner.id) or "-",
                    brief=step.call_note or "",
                ),
                user_id=user.id,
            )
            summaries[notification] = summary
            extra[notification] = {"user_id": user.id}
        (self - self.browse([n.id for n in failures]))._log_interactions("phone", summaries, extra)
        return failures

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
