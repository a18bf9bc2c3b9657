# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import OmnichannelUsersMixin, create_team, sms_through_the_pipeline

# Wednesday 15 July 2026, 10:00 in Shanghai (UTC+8): inside the Mon-Sat 9:00-21:00 service hours.
WEDNESDAY_1000 = datetime(2026, 7, 15, 2, 0)
# The next mornings at 8:30 in Shanghai, when the daily check runs.
THURSDAY_0830 = datetime(2026, 7, 16, 0, 30)
FRIDAY_0830 = THURSDAY_0830 + timedelta(days=1)


@tagged("post_install", "-at_install")
class TestKpiTargets(OmnichannelUsersMixin, MockEmail, TransactionCase):
    """Each measure against the target a manager sets: two customers write by SMS, one is answered
    within the 15-minute first-response target and the other is not, so SMS meets 50 % of its SLA
    targets, below the 90 % target; the managers are told every morning (one to-do each, not one
    per run) and the digest shows the measures against their targets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls._create_omnichannel_users()
        cls.team = create_team(cls.env, "SMS desk", cls.agent)
        cls.Event = cls.env["omnichannel.inbound.event"]
        cls.activity_type = cls.env.ref("omnichannel_crm.mail_activity_type_kpi_below_target")
        cls.sms_channel = cls.env["helpdesk.ticket.channel"]._for_omnichannel(
            "sms", cls.env.company
        )
        with freeze_time(WEDNESDAY_1000):
            answered = cls._sms("+8613655550201", "请问接送几点到？").ticket_id
            cls._sms("+8613655550202", "司机在哪里？")
        with freeze_time(WEDNESDAY_1000 + timedelta(minutes=5)):
            cls.env["omnichannel.interaction"].create(
                {
                    "partner_id": answered.partner_id.id,
                    "ticket_id": answered.id,
                    "channel": "sms",
                    "direction": "outbound",
                    "summary": "The driver waits at gate 3",
                    "user_id": cls.agent.id,
                }
            )
        with freeze_time(WEDNESDAY_1000 + timedelta(minutes=30)):
            cls.env["helpdesk.ticket"]._cron_update_sla_status()
        cls.env["omnichannel.kpi.report"]._refresh(full=True)

    @classmethod
    def _sms(cls, number, text):
        return sms_through_the_pipeline(cls.env, number, text)

    def _to_dos(self, user=None):
        return self.env["mail.activity"].search(
            [
                ("activity_type_id", "=", self.activity_type.id),
                ("user_id", "=", (user or self.manager).id),
            ]
        )

    def test_the_managers_are_told_once_a_day_when_a_channel_is_below_target(self):
        Target = self.env["omnichannel.kpi.target"]
        with freeze_time(THURSDAY_0830):
            Target._cron_check_targets()
            Target._cron_check_targets()  # run again the same morning
        to_do = self._to_dos()
        self.assertEqual(len(to_do), 1, "one to-do, not one per run")
        self.assertEqual(to_do.res_model, "helpdesk.ticket.channel")
        self.assertEqual(to_do.res_id, self.sms_channel.id)
        self.assertEqual(to_do.summary, "SMS below target over the last 7 days")
        self.assertIn("SLA met %: 50.0 % (target 90.0 %)", to_do.note)
        self.assertEqual(str(to_do.date_deadline), "2026-07-16")
        self.assertFalse(self._to_dos(self.agent), "for the managers only")
        with freeze_time(FRIDAY_0830):
            Target._cron_check_targets()
        self.assertEqual(self._to_dos(), to_do, "still below: the same to-do, brought up to date")
        self.assertEqual(str(to_do.date_deadline), "2026-07-17")
        # A manager lowers the target: the channel is back on target and the to-do goes.
        with Form(self.env["omnichannel.kpi.targets"].with_user(self.manager)) as form:
            self.assertEqual(form.sla_met_pct, 90.0, "the default, from the customers' promises")
            form.sla_met_pct = 50.0
        form.record.action_save()
        self.assertEqual(self.env.company.omnichannel_target_sla_met_pct, 50.0)
        with freeze_time(FRIDAY_0830 + timedelta(hours=1)):
            Target._cron_check_targets()
        self.assertFalse(self._to_dos())

    def test_the_kpi_report_is_named_with_the_targets(self):
        self.env.company.omnichannel_target_fcr_pct = 85
        name = self.env["omnichannel.kpi.report"].action_open()["name"]
        self.assertIn("targets: SLA met 90 %, first-contact resolution 85 %, CSAT 4.5 / 5", name)

    def test_the_digest_shows_each_measure_against_its_target(self):
        digest = self.env.ref("omnichannel_crm.digest_customer_service_weekly").with_context(
            start_datetime=WEDNESDAY_1000 - timedelta(days=2),
            end_datetime=WEDNESDAY_1000 + timedelta(days=5),
        )
        self.assertAlmostEqual(digest.kpi_omnichannel_sla_met_value, 50.0)
        self.assertEqual(
            digest._omnichannel_below_targets(self.env.company),
            ["SMS: SLA met %: 50.0 % (target 90.0 %)"],
        )
        self.manager.email = "manager@island.example.com"
        digest.user_ids = self.manager
        with self.mock_mail_gateway():
            digest.action_send()
        mail = self._new_mails.filtered(lambda m: "manager@island.example.com" in m.email_to)
        self.assertIn("SLA met % (target 90.0 %)", mail.body_html)
        self.assertIn("CSAT (1-5) (target 4.50 / 5)", mail.body_html)
        self.assertIn("First-contact resolution % (target 80.0 %)", mail.body_html)

    def test_targets_are_the_managers_to_set(self):
        self.assertEqual(
            self.env.company._omnichannel_kpi_targets(),
            {"sla_met_pct": 90.0, "fcr_pct": 80.0, "csat": 4.5},
        )
        with self.assertRaises(AccessError):
            self.env["omnichannel.kpi.targets"].with_user(self.agent).create({"csat": 3.0})
        with Form(self.env["res.config.settings"].with_user(self.settings_admin)) as settings:
            settings.omnichannel_target_csat = 4.8
        settings.record.execute()
        self.assertEqual(self.env.company.omnichannel_target_csat, 4.8)

    def test_the_dashboard_compares_its_cards_with_the_targets(self):
        dashboard = self.env.ref("omnichannel_crm.spreadsheet_dashboard_customer_service")
        data = json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))
        targets = data["pivots"]["4"]
        self.assertEqual(targets["model"], "res.company")
        company_fields = self.env["res.company"].fields_get(attributes=["aggregator"])
        for measure in targets["measures"]:
            self.assertEqual(company_fields[measure["fieldName"]]["aggregator"], "avg")
        cards = {figure["id"]: figure["data"] for figure in data["sheets"][0]["figures"]}
        cells = next(sheet for sheet in data["sheets"] if sheet["id"] == "data")["cells"]
        for measure in ("sla_met_pct", "fcr_pct", "csat"):
            card = cards[f"omni-kpi-{measure}"]
            self.assertEqual(card["baselineDescr"], "vs target")
            cell = card["baseline"].removeprefix("Data!")
            self.assertEqual(
                cells[cell]["content"], f'=PIVOT.VALUE(4,"omnichannel_target_{measure}")'
            )
