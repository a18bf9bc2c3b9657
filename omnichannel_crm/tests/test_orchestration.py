# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import OmnichannelUsersMixin, create_mail_template, create_scenario, create_staff

# Wednesday 15 July 2026 in Shanghai (UTC+8).
WEDNESDAY_1000 = datetime(2026, 7, 15, 2, 0)
WEDNESDAY_2230 = datetime(2026, 7, 15, 14, 30)
THURSDAY_0800 = datetime(2026, 7, 16, 0, 0)


@tagged("post_install", "-at_install")
class TestOrchestration(OmnichannelUsersMixin, TransactionCase):
    """Channel choice by policy, preference, consent and opt-out; contact windows; fallbacks; the
    "Omnichannel notification" server action; bulk sends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.env.company.write(
            {
                "omnichannel_quiet_hours": True,
                "omnichannel_quiet_start": 21.0,
                "omnichannel_quiet_end": 8.0,
            }
        )
        cls._create_omnichannel_users()
        cls.account_manager = create_staff(cls.env, "orchestration_am", "Account Manager")
        cls.template = create_mail_template(
            cls.env,
            "Island tour departure",
            "Your island tour, {{ object.name }}",
            "<p>Dear {{ object.name }}, your tour leaves on Saturday.</p>",
        )
        cls.scenario = create_scenario(
            cls.env,
            "Departure reminder",
            [
                {"channel": "phone", "call_note": "Confirm the pickup."},
                {"channel": "email", "mail_template_id": cls.template.id},
            ],
        )
        cls.customer = cls._customer("Zhou Min", "zhou.min@example.com", "+8613655550001")

    @classmethod
    def _customer(cls, name, email=None, mobile=None, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "email": email,
                "mobile": mobile,
                "tz": "Asia/Shanghai",
                "omnichannel_account_manager_id": cls.account_manager.id,
                **values,
            }
        )

    def _notify(self, partners, scenario=None, record=None):
        with freeze_time(WEDNESDAY_1000):
            return self.env["omnichannel.notification"].notify(
                partners, scenario or self.scenario, record=record
            )

    def _prefer(self, partner, *channels):
        partner.omnichannel_channel_preference_ids = [Command.clear()] + [
            Command.create({"sequence": rank, "channel": channel})
            for rank, channel in enumerate(channels)
        ]

    # ----------------------------------------------------------------------------------------------
    # Channel choice
    # ----------------------------------------------------------------------------------------------

    def test_channel_matrix(self):
        """policy x preference x consent x availability, one customer per case."""
        marketing = self.scenario.copy({"name": "Summer offers", "purpose": "marketing"})
        cases = [
            # (name, values, preferences, consents, scenario, expected state, expected channel)
            ("policy order", {}, (), (), self.scenario, "sent", "phone"),
            ("prefers email", {}, ("email", "phone"), (), self.scenario, "sent", "email"),
            ("prefers an unlisted channel", {}, ("wechat",), (), self.scenario, "sent", "phone"),
            ("no phone", {"mobile": False}, (), (), self.scenario, "sent", "email"),
            (
                "withdrew phone",
                {},
                (),
                (("phone", "service", False),),
                self.scenario,
                "sent",
                "email",
            ),
            (
                "withdrew both",
                {},
                (),
                (("phone", "service", False), ("email", "service", False)),
                self.scenario,
                "skipped",
                False,
            ),
            ("marketing without consent", {}, (), (), marketing, "skipped", False),
            (
                "marketing consent on email",
                {},
                (),
                (("email", "marketing", True),),
                marketing,
                "sent",
                "email",
            ),
            (
                "no address at all",
                {"mobile": False, "email": False},
                (),
                (),
                self.scenario,
                "skipped",
                False,
            ),
        ]
        for name, values, preferences, consents, scenario, state, channel in cases:
            with self.subTest(name):
                partner = self._customer(
                    name,
                    values.get("email", f"{len(name)}.{name[:4]}@example.com".replace(" ", "")),
                    values.get("mobile", "+8613655559" + str(abs(hash(name)) % 1000).zfill(3)),
                )
                self._prefer(partner, *preferences)
                for consent_channel, purpose, granted in consents:
                    self.env["omnichannel.consent"].create(
                        {
                            "partner_id": partner.id,
                            "channel": consent_channel,
                            "purpose": purpose,
                            "granted": granted,
                            "source": "customer",
                        }
                    )
                notification = self._notify(partner, scenario)
                self.assertEqual((notification.state, notification.channel), (state, channel))
                if state == "skipped":
                    self.assertTrue(notification.reason)
                    self.assertFalse(notification.interaction_id)
                else:
                    self.assertEqual(notification.interaction_id.channel, channel)
                    self.assertEqual(notification.interaction_id.direction, "outbound")

    def test_a_companys_consent_applies_to_its_people_unless_they_chose_themselves(self):
        company = self.env["res.partner"].create(
            {
                "name": "Sanya Resorts Ltd",
                "is_company": True,
                "omnichannel_account_manager_id": self.account_manager.id,
            }
        )
        marketing = self.scenario.copy({"name": "Autumn offers", "purpose": "marketing"})
        follows_company = self._customer(
            "Li Na", "li.na@sanya.example.com", "+8613655550101", parent_id=company.id
        )
        chose_herself = self._customer(
            "Wang Fang", "wang.fang@sanya.example.com", "+8613655550102", parent_id=company.id
        )
        Consent = self.env["omnichannel.consent"]
        Consent.create(
            [
                {
                    "partner_id": company.id,
                    "channel": channel,
                    "purpose": "marketing",
                    "granted": True,
                }
                for channel in ("phone", "email")
            ]
        )
        Consent.create(
            {"partner_id": company.id, "channel": "phone", "purpose": "service", "granted": False}
        )
        Consent.create(
            {
                "partner_id": chose_herself.id,
                "channel": "phone",
                "purpose": "service",
                "granted": True,
            }
        )
        Consent.create(
            [
                {
                    "partner_id": chose_herself.id,
                    "channel": channel,
                    "purpose": "marketing",
                    "granted": False,
                }
                for channel in ("phone", "email")
            ]
        )
        # The company agreed to offers: its people get them; the one who said no does not.
        offers = self._notify(follows_company | chose_herself, marketing)
        reached = {n.partner_id: bool(n.interaction_id) for n in offers}
        self.assertEqual(reached, {follows_company: True, chose_herself: False})
        # The company withdrew calls: not for the person who agreed to them herself.
        reminders = self._notify(follows_company | chose_herself)
        channels = {n.partner_id: n.channel for n in reminders}
        self.assertEqual(channels[follows_company], "email")
        self.assertEqual(channels[chose_herself], "phone")

    def test_a_consent_given_to_another_company_stays_that_companys(self):
        resort = self.env["res.company"].create({"name": "Resort Sanya"})
        customer = self._customer("Chen Jing", "chen.jing@example.com", "+8613655550401")
        self.env["omnichannel.consent"].with_company(resort).create(
            {"partner_id": customer.id, "channel": "email", "purpose": "marketing"}
        )
        marketing = self.scenario.copy({"name": "Spring offers", "purpose": "marketing"})
        ours = self._notify(customer, marketing)
        self.assertEqual(ours.state, "skipped", "she agreed to the resort's offers, not ours")
        self.assertFalse(ours.interaction_id)
        with freeze_time(WEDNESDAY_1000):
            theirs = (
                self.env["omnichannel.notification"]
                .with_company(resort)
                .notify(customer, marketing)
            )
        self.assertEqual((theirs.state, theirs.channel), ("sent", "email"))
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": "Ferry",
                    "description": "<p>Times?</p>",
                    "partner_id": customer.id,
                    "company_id": company.id,
                }
                for company in (self.env.company, resort)
            ]
        )
        self.assertEqual(
            tickets.mapped("omnichannel_consent_summary"), [False, "Email marketing: given"]
        )

    def test_the_ticket_shows_how_to_reach_the_customer(self):
        customer = self._customer(
            "Sun Li",
            "sun.li@example.com",
            "+8613655550301",
            lang="en_US",
            omnichannel_churn_score=72,
        )
        self._prefer(customer, "wechat", "email")
        self.env["omnichannel.consent"].create(
            [
                {"partner_id": customer.id, "channel": "sms", "granted": False},
                {"partner_id": customer.id, "channel": "email", "purpose": "marketing"},
            ]
        )
        with freeze_time(WEDNESDAY_2230):
            waiting = self.env["omnichannel.notification"].notify(customer, self.scenario)
        self.assertEqual(waiting.state, "deferred")
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Ferry times", "description": "<p>?</p>", "partner_id": customer.id}
        )
        self.assertEqual(ticket.omnichannel_preferred_channels, "WeChat › Email")
        self.assertEqual(ticket.omnichannel_quiet_hours, "21:00–08:00")
        self.assertEqual(
            ticket.omnichannel_consent_summary,
            "SMS service: withdrawn; Email marketing: given",
        )
        self.assertEqual(ticket.omnichannel_pending_notification_ids, waiting)
        self.assertEqual(
            (ticket.omnichannel_contact_tz, ticket.omnichannel_churn_score), ("Asia/Shanghai", 72)
        )

    def test_service_level_upgrade_comes_first(self):
        """A VIP gets the step reserved to VIPs first, whatever their preference."""
        vip = self.env.ref("omnichannel_crm.service_level_vip")
        self.scenario.channel_ids.filtered(
            lambda s: s.channel == "phone"
        ).min_service_level_id = vip
        regular = self._customer("Li Lei", "li.lei@example.com", "+8613655550002")
        important = self._customer(
            "Wang Fang",
            "wang.fang@example.com",
            "+8613655550003",
            omnichannel_service_level_override_id=vip.id,
        )
        self._prefer(important, "email")
        notifications = self._notify(regular | important)
        by_partner = {n.partner_id: n for n in notifications}
        self.assertEqual(by_partner[regular].channel, "email")
        self.assertEqual(by_partner[important].channel, "phone")
        activity = important.activity_ids
        self.assertEqual(activity.user_id, self.account_manager)
        self.assertIn("Confirm the pickup.", str(activity.note))

    def test_blacklisted_channels_are_never_used(self):
        """Odoo's own opt-outs (mail.blacklist, phone.blacklist) hold for every scenario, urgent
        ones included."""
        urgent = self.scenario.copy({"name": "Flight delay", "urgent": True})
        self.env["mail.blacklist"]._add(self.customer.email)
        self.env["phone.blacklist"]._add(["+8613655550001"])
        for scenario in (self.scenario, urgent):
            notification = self._notify(self.customer, scenario)
            self.assertEqual(notification.state, "skipped")
            self.assertIn("opted out", notification.reason)
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)]))

    def test_consent_log_feeds_the_blacklists(self):
        consent = self.env["omnichannel.consent"].create(
            {
                "partner_id": self.customer.id,
                "channel": "email",
                "granted": False,
                "source": "email",
                "note": "Replied unsubscribe",
            }
        )
        self.assertTrue(self.customer.is_blacklisted)
        self.env["omnichannel.consent"].create(
            {
                "partner_id": self.customer.id,
                "channel": "email",
                "granted": True,
                "source": "customer",
            }
        )
        self.customer.invalidate_recordset(["is_blacklisted"])
        self.assertFalse(self.customer.is_blacklisted)
        self.assertEqual(len(self.customer.omnichannel_consent_ids), 2)
        with self.assertRaises(UserError):
            consent.with_user(self.agent).write({"granted": True})

    def test_email_rendered_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.template.with_context(lang="zh_CN").subject = "您的海岛之旅，{{ object.name }}"
        self._prefer(self.customer, "email")
        self.customer.lang = "zh_CN"
        notification = self._notify(self.customer)
        self.assertEqual(notification.channel, "email")
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)])
        self.assertEqual(mail.subject, "您的海岛之旅，Zhou Min")
        self.assertEqual(notification.interaction_id.summary, "您的海岛之旅，Zhou Min")
        self.assertEqual(notification.interaction_id.state, "queued")

    # ----------------------------------------------------------------------------------------------
    # Contact windows
    # ----------------------------------------------------------------------------------------------

    def test_quiet_hours_defer_to_the_morning(self):
        with freeze_time(WEDNESDAY_2230):
            notification = self.env["omnichannel.notification"].notify(self.customer, self.scenario)
        self.assertEqual(notification.state, "deferred")
        self.assertEqual(notification.scheduled_date, THURSDAY_0800)
        self.assertFalse(notification.interaction_id)
        with freeze_time(datetime(2026, 7, 15, 23, 59)):
            self.env["omnichannel.notification"]._cron_process()
        self.assertEqual(notification.state, "deferred")
        with freeze_time(THURSDAY_0800):
            self.env["omnichannel.notification"]._cron_process()
        self.assertEqual((notification.state, notification.channel), ("sent", "phone"))

    def test_contact_window_defers_to_its_opening(self):
        """A customer reachable only on weekday afternoons, asked at 10:00, is notified at 14:00."""
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Weekday afternoons",
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 14,
                            "hour_to": 18,
                            "day_period": "afternoon",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        self.customer.omnichannel_contact_calendar_id = calendar
        notification = self._notify(self.customer)
        self.assertEqual(notification.state, "deferred")
        self.assertEqual(notification.scheduled_date, datetime(2026, 7, 15, 6, 0))
        # The customer travels: their own timezone moves the window.
        self.customer.tz = "Europe/Paris"
        notification = self._notify(self.customer)
        self.assertEqual(notification.scheduled_date, datetime(2026, 7, 15, 12, 0))
        # Notified together, customers sharing the window keep their own timezones.
        at_home = self._customer("Li Lei", "li.lei@example.com", "+8613655550002")
        at_home.omnichannel_contact_calendar_id = calendar
        together = self._notify(self.customer | at_home)
        self.assertEqual(
            {n.partner_id: n.scheduled_date for n in together},
            {self.customer: datetime(2026, 7, 15, 12, 0), at_home: datetime(2026, 7, 15, 6, 0)},
        )

    def test_urgent_scenarios_break_quiet_hours(self):
        urgent = self.scenario.copy({"name": "Flight delay", "urgent": True})
        with freeze_time(WEDNESDAY_2230):
            notification = self.env["omnichannel.notification"].notify(self.customer, urgent)
        self.assertEqual(notification.state, "sent")

    # ----------------------------------------------------------------------------------------------
    # Fallbacks
    # ----------------------------------------------------------------------------------------------

    def test_failing_channel_falls_back(self):
        """No account manager to call: the email goes instead; when that email bounces at sending,
        nothing is left and the notification fails with both reasons."""
        self.customer.omnichannel_account_manager_id = False
        notification = self._notify(self.customer)
        self.assertEqual((notification.state, notification.channel), ("fallback", "email"))
        self.assertEqual(notification.tried_channels, "phone,email")
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)])
        mail._postprocess_sent_message(
            success_pids=[], failure_reason="550 mailbox unavailable", failure_type="mail_smtp"
        )
        self.assertEqual(notification.interaction_id.state, "failed")
        # Marked for its next channel, which the notifications job tries.
        self.assertEqual(notification.state, "deferred")
        self.env["omnichannel.notification"]._cron_process()
        self.assertEqual(notification.state, "failed")
        self.assertEqual(
            notification.reason,
            "Phone: no account manager to call; Email: 550 mailbox unavailable",
        )

    def test_only_the_recipients_an_email_missed_fall_back(self):
        by_email = self.scenario.copy({"name": "Itinerary"})
        by_email.channel_ids.filtered(lambda step: step.channel == "phone").unlink()
        by_email.channel_ids.create(
            {"scenario_id": by_email.id, "sequence": 30, "channel": "phone", "call_note": "-"}
        )
        reached = self._customer("Chen Jing", "chen.jing@example.com", "+8613655550201")
        missed = self._customer("Liu Yang", "liu.yang@invalid", "+8613655550202")
        notifications = self._notify(reached | missed, by_email)
        self.assertEqual(set(notifications.mapped("channel")), {"email"})
        mails = self.env["mail.mail"].search([("recipient_ids", "in", (reached | missed).ids)])
        # Odoo reached one recipient and not the other.
        mails._postprocess_sent_message(
            success_pids=reached.ids,
            failure_reason="invalid address",
            failure_type="mail_email_invalid",
        )
        by_partner = {n.partner_id: n for n in notifications}
        self.assertEqual(by_partner[reached].interaction_id.state, "sent")
        self.assertEqual(
            by_partner[reached].state, "sent", "a customer reached is not contacted again"
        )
        self.assertEqual(by_partner[missed].interaction_id.state, "failed")
        self.assertEqual(by_partner[missed].state, "deferred", "due on its next channel")

    @freeze_time(WEDNESDAY_1000)  # outside the quiet hours
    def test_undelivered_message_falls_back_to_the_next_channel(self):
        self._prefer(self.customer, "email", "phone")
        notification = self._notify(self.customer)
        self.assertEqual(notification.channel, "email")
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)])
        mail._postprocess_sent_message(
            success_pids=[], failure_reason="550 mailbox unavailable", failure_type="mail_smtp"
        )
        self.assertEqual(len(self.customer.activity_ids), 0, "the bounce itself plans nothing")
        self.env["omnichannel.notification"]._cron_process()
        self.assertEqual((notification.state, notification.channel), ("fallback", "phone"))
        self.assertEqual(len(self.customer.activity_ids), 1)

    # ----------------------------------------------------------------------------------------------
    # Automated actions
    # ----------------------------------------------------------------------------------------------

    @freeze_time(WEDNESDAY_1000)  # outside the quiet hours
    def test_automated_action_from_the_ui(self):
        """Ticket solved → survey to its customer: configured in the Automated Actions form."""
        ticket_model = self.env.ref("helpdesk_mgmt.model_helpdesk_ticket")
        survey_template = self.env["mail.template"].create(
            {
                "name": "How did we do?",
                "model_id": ticket_model.id,
                "subject": "How did we do on {{ object.number }}?",
                "body_html": "<p>Tell us in one click.</p>",
            }
        )
        survey = self.env["omnichannel.scenario"].create(
            {
                "name": "Ticket survey",
                "model_id": ticket_model.id,
                "channel_ids": [
                    Command.create({"channel": "email", "mail_template_id": survey_template.id})
                ],
            }
        )
        done = self.env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
        automation_form = Form(self.env["base.automation"])
        automation_form.name = "Survey when solved"
        automation_form.model_id = ticket_model
        automation_form.trigger = "on_stage_set"
        automation_form.trg_field_ref = done.id
        automation = automation_form.save()
        action_form = Form(
            self.env["ir.actions.server"].with_context(
                default_model_id=ticket_model.id,
                default_base_automation_id=automation.id,
                default_usage="base_automation",
            ),
            view="base.view_server_action_form",
        )
        action_form.name = "Send the survey"
        action_form.state = "omnichannel_notify"
        action_form.omnichannel_scenario_id = survey
        action_form.omnichannel_recipients_path = "partner_id"
        action_form.save()
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Lost luggage",
                "description": "<p>Blue suitcase</p>",
                "partner_id": self.customer.id,
            }
        )
        self.assertFalse(
            self.env["omnichannel.notification"].search([("scenario_id", "=", survey.id)])
        )
        ticket.stage_id = done
        notification = self.env["omnichannel.notification"].search(
            [("scenario_id", "=", survey.id)]
        )
        self.assertEqual(notification.partner_id, self.customer)
        self.assertEqual(
            (notification.res_model, notification.res_id), ("helpdesk.ticket", ticket.id)
        )
        self.assertEqual(notification.interaction_id.ticket_id, ticket)
        # The company's own satisfaction survey goes out on solving too: this one is the action's.
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("body_html", "ilike", "Tell us in one click"),
            ]
        )
        self.assertEqual(mail.subject, f"How did we do on {ticket.number}?")

    def test_server_action_rejects_a_path_to_something_else(self):
        with self.assertRaises(ValidationError):
            self.env["ir.actions.server"].create(
                {
                    "name": "Wrong",
                    "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                    "state": "omnichannel_notify",
                    "omnichannel_scenario_id": self.scenario.id,
                    "omnichannel_recipients_path": "team_id",
                }
            )

    # ----------------------------------------------------------------------------------------------
    # Bulk
    # ----------------------------------------------------------------------------------------------

    def test_bulk_wizard_notifies_each_customer_once(self):
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Traveller {n}",
                    "email": f"traveller{n}@example.com",
                    "tz": "Asia/Shanghai",
                }
                for n in range(30)
            ]
        )
        wizard = Form(
            self.env["omnichannel.notify.wizard"]
            .with_user(self.agent)
            .with_context(active_model="res.partner", active_ids=partners.ids)
        )
        wizard.scenario_id = self.scenario
        self.assertEqual(wizard.recipient_count, 30)
        action = wizard.save().action_send()
        batch = self.env["omnichannel.notification.batch"].browse(action["res_id"])
        self.assertEqual((batch.state, batch.recipient_count, batch.progress), ("running", 30, 0))
        with self.assertRaises(UserError):
            batch._add_recipients(self.customer.ids)
        with freeze_time(WEDNESDAY_1000):
            self.env["omnichannel.notification"]._cron_process(batch_size=7, max_batches=2)
            batch.invalidate_recordset()
            self.assertEqual(batch.processed_count, 14)
            self.env["omnichannel.notification"]._cron_process(batch_size=7)
        batch.invalidate_recordset()
        self.assertEqual((batch.state, batch.sent_count, batch.progress), ("done", 30, 100))
        self.assertEqual(len(batch.notification_ids.partner_id), 30)
        self.assertEqual(
            self.env["mail.mail"].search_count([("recipient_ids", "in", partners.ids)]), 30
        )
        self.assertIn("30 of 30", batch.message_ids[0].body)
