# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import models
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.mail.tests.common import MockEmail

from ..report.omnichannel_kpi_report import MEASURES
from .common import OmnichannelUsersMixin

MONDAY = datetime(2025, 7, 14)


def at(hour, minute=0, days=0):
    return MONDAY + timedelta(days=days, hours=hour, minutes=minute)


@tagged("post_install", "-at_install")
class TestKpiReport(OmnichannelUsersMixin, MockEmail, TransactionCase):
    """Every KPI of a small, fixed week, against the values worked out by hand below.

    Phone: Zhang calls at 09:00 (ticket T3, never answered, still open) and at 10:00 (T1), the agent
    answers T1 at 10:12 and solves it at 12:00; Zhang rates it 5 and does not come back.
    SMS: Li writes at 11:00 (T2), the agent answers at 11:30 and solves it at 15:00; Li rates it 3
    and writes again two days later. SLA targets: T1 first response and resolution met; T2 first
    response breached, resolution met."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_omnichannel_users()
        env = cls.env
        cls.team = env["helpdesk.ticket.team"].create({"name": "KPI team"})
        cls.zhang = env["res.partner"].create({"name": "Zhang KPI"})
        cls.li = env["res.partner"].create({"name": "Li KPI"})
        closed = env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
        phone = env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        sms = env.ref("omnichannel_crm.helpdesk_ticket_channel_sms")

        def ticket(name, partner, channel, created, solved=None):
            record = env["helpdesk.ticket"].create(
                {
                    "name": name,
                    "description": name,
                    "partner_id": partner.id,
                    "team_id": cls.team.id,
                    "channel_id": channel.id,
                    "user_id": cls.agent.id,
                }
            )
            if solved:
                record.stage_id = closed
            env.flush_all()
            env.cr.execute(
                "UPDATE helpdesk_ticket SET create_date = %s, closed_date = %s WHERE id = %s",
                (created, solved, record.id),
            )
            record.invalidate_recordset()
            return record

        cls.t1 = ticket("T1", cls.zhang, phone, at(10), solved=at(12))
        cls.t2 = ticket("T2", cls.li, sms, at(11), solved=at(15))
        cls.t3 = ticket("T3", cls.zhang, phone, at(9))
        Interaction = env["omnichannel.interaction"]
        for partner, channel, direction, date, ticket_, user in (
            (cls.zhang, "phone", "inbound", at(9), cls.t3, None),
            (cls.zhang, "phone", "inbound", at(10), cls.t1, None),
            (cls.zhang, "phone", "outbound", at(10, 12), cls.t1, cls.agent),
            (cls.li, "sms", "inbound", at(11), cls.t2, None),
            (cls.li, "sms", "outbound", at(11, 30), cls.t2, cls.agent),
            (cls.li, "sms", "inbound", at(15, days=2), None, None),
        ):
            Interaction.create(
                {
                    "partner_id": partner.id,
                    "channel": channel,
                    "direction": direction,
                    "date": date,
                    "summary": "KPI",
                    "ticket_id": ticket_ and ticket_.id,
                    "user_id": user and user.id,
                }
            )
        model = env["ir.model"]._get_id("helpdesk.ticket")
        for ticket_, value, rated in ((cls.t1, 5, at(12, 30)), (cls.t2, 3, at(16))):
            rating = env["rating.rating"].create(
                {
                    "res_model_id": model,
                    "res_id": ticket_.id,
                    "rating": value,
                    "consumed": True,
                    "partner_id": ticket_.partner_id.id,
                }
            )
            env.flush_all()
            env.cr.execute(
                "UPDATE rating_rating SET write_date = %s WHERE id = %s", (rated, rating.id)
            )
        first = env.ref("omnichannel_crm.sla_first_response_core")
        resolution = env["helpdesk.sla"].create(
            {"name": "Resolution: 4 hours", "hours": 4, "stage_id": closed.id}
        )
        for ticket_, policy, status in (
            (cls.t1, first, "met"),
            (cls.t1, resolution, "met"),
            (cls.t2, first, "breached"),
            (cls.t2, resolution, "met"),
        ):
            line = env["helpdesk.ticket.sla"].create({"ticket_id": ticket_.id, "sla_id": policy.id})
            line.write(
                {"omnichannel_status": status, "omnichannel_start_date": ticket_.create_date}
            )
        env.flush_all()
        cls.Report = env["omnichannel.kpi.report"]
        cls.Report._refresh(full=True)
        cls.domain = [("team_id", "=", cls.team.id)]
        cls.closed = closed
        cls.ticket = staticmethod(ticket)

    def _by_channel(self, fields):
        groups = self.Report.read_group(self.domain, fields, ["channel"])
        return {group["channel"]: group for group in groups}

    def test_kpis_per_channel(self):
        rows = self._by_channel(MEASURES)
        expected = {
            "phone": {
                "contacts_in": 2,
                "contacts_out": 1,
                "tickets_created": 2,
                "tickets_solved": 1,
                "backlog": 1,
                "first_response_minutes": 12.0,
                "resolution_hours": 2.0,
                "sla_met_pct": 100.0,
                "csat": 5.0,
                "csat_count": 1,
                "fcr_pct": 100.0,
            },
            "sms": {
                "contacts_in": 1,
                "contacts_out": 1,
                "tickets_created": 1,
                "tickets_solved": 1,
                "backlog": 0,
                "first_response_minutes": 30.0,
                "resolution_hours": 4.0,
                "sla_met_pct": 50.0,
                "csat": 3.0,
                "csat_count": 1,
                "fcr_pct": 0.0,
            },
        }
        for channel, values in expected.items():
            for measure, value in values.items():
                with self.subTest(channel=channel, measure=measure):
                    self.assertAlmostEqual(rows[channel][measure], value, places=6)

    def test_whole_team(self):
        (total,) = self.Report.read_group(
            self.domain,
            ["sla_met_pct:avg", "first_response_minutes:avg", "fcr_pct:avg", "csat:avg"],
            [],
        )
        self.assertAlmostEqual(total["sla_met_pct"], 75.0)  # 3 of 4 targets met
        self.assertAlmostEqual(total["first_response_minutes"], 21.0)  # (12 + 30) / 2
        self.assertAlmostEqual(total["fcr_pct"], 50.0)  # T1 yes, T2 no
        self.assertAlmostEqual(total["csat"], 4.0)  # (5 + 3) / 2

    def test_response_time_distribution(self):
        stats = self.Report._time_distribution("first_response_minutes", self.domain)
        self.assertEqual(stats["count"], 2)
        self.assertAlmostEqual(stats["mean"], 21.0)
        self.assertAlmostEqual(stats["median"], 21.0)
        self.assertAlmostEqual(stats["p90"], 28.2)  # 12 + 0.9 * (30 - 12)
        resolution = self.Report._time_distribution("resolution_hours", self.domain)
        self.assertAlmostEqual(resolution["median"], 3.0)

    def test_managers_only(self):
        self.assertTrue(self.Report.with_user(self.manager).search_count(self.domain))
        with self.assertRaises(AccessError):
            self.Report.with_user(self.agent).search_count(self.domain)

    def test_weekly_digest(self):
        digest = self.env.ref("omnichannel_crm.digest_customer_service_weekly").with_context(
            start_datetime=MONDAY, end_datetime=MONDAY + timedelta(days=7)
        )
        self.assertEqual(digest.kpi_omnichannel_contacts_value, 4)  # 3 calls or SMS + Li again
        self.assertEqual(digest.kpi_omnichannel_tickets_solved_value, 2)
        self.assertAlmostEqual(digest.kpi_omnichannel_first_response_value, 21.0)
        self.assertAlmostEqual(digest.kpi_omnichannel_sla_met_value, 75.0)
        self.assertAlmostEqual(digest.kpi_omnichannel_csat_value, 4.0)
        self.assertAlmostEqual(digest.kpi_omnichannel_fcr_value, 50.0)
        self.assertAlmostEqual(digest.kpi_omnichannel_first_response_median_value, 21.0)
        self.assertAlmostEqual(digest.kpi_omnichannel_first_response_p90_value, 28.2)
        self.assertAlmostEqual(digest.kpi_omnichannel_resolution_median_value, 3.0)
        self.assertAlmostEqual(digest.kpi_omnichannel_resolution_p90_value, 3.8)

    def _digest_solved(self, start):
        digest = self.env.ref("omnichannel_crm.digest_customer_service_weekly").with_context(
            start_datetime=start, end_datetime=start + timedelta(days=7)
        )
        digest.invalidate_recordset()
        return digest.kpi_omnichannel_tickets_solved_value

    def test_each_measure_is_dated_by_its_event(self):
        """T4 is created Tuesday 09:00, answered 09:20 and solved Thursday 17:00; T5 is created
        Friday and solved the Monday after: last week's digest does not change when it is."""
        t4 = self.ticket(
            "T4",
            self.zhang,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone"),
            at(9, days=1),
            solved=at(17, days=3),
        )
        self.env["omnichannel.interaction"].create(
            {
                "partner_id": self.zhang.id,
                "channel": "phone",
                "direction": "outbound",
                "date": at(9, 20, days=1),
                "summary": "KPI",
                "ticket_id": t4.id,
                "user_id": self.agent.id,
            }
        )
        t5 = self.ticket(
            "T5",
            self.li,
            self.env.ref("omnichannel_crm.helpdesk_ticket_channel_sms"),
            at(10, days=4),
        )
        self.Report._refresh()
        solved_this_week = self._digest_solved(MONDAY)
        self.assertEqual(solved_this_week, 3, "T1, T2 and T4")
        by_day = {
            day.date(): (created, solved, resolution, response)
            for day, created, solved, resolution, response in self.Report._read_group(
                [("ticket_id", "=", t4.id)],
                ["date:day"],
                [
                    "tickets_created:sum",
                    "tickets_solved:sum",
                    "resolution_hours:avg",
                    "first_response_minutes:avg",
                ],
            )
        }
        tuesday, thursday = by_day[at(0, days=1).date()], by_day[at(0, days=3).date()]
        self.assertEqual(tuesday[:2], (1, 0), "created on Tuesday, not solved then")
        self.assertAlmostEqual(tuesday[3], 20.0, msg="answered on Tuesday")
        self.assertEqual(thursday[:2], (0, 1), "solved on Thursday")
        self.assertAlmostEqual(thursday[2], 56.0, msg="Tuesday 09:00 to Thursday 17:00")

        t5.stage_id = self.closed
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET closed_date = %s WHERE id = %s", (at(10, days=7), t5.id)
        )
        self.Report._refresh()
        self.assertEqual(self._digest_solved(MONDAY), solved_this_week, "last week stays")
        self.assertEqual(self._digest_solved(MONDAY + timedelta(days=7)), 1, "solved next week")

    def test_refresh_follows_new_and_deleted_records(self):
        count = self.Report.search_count([("kind", "=", "contact"), *self.domain])
        self.env["omnichannel.interaction"].create(
            {
                "partner_id": self.li.id,
                "channel": "sms",
                "direction": "inbound",
                "date": at(9, days=3),
                "summary": "KPI",
                "ticket_id": self.t2.id,
            }
        )
        self.assertGreater(self.Report._refresh(), 0)
        self.assertEqual(
            self.Report.search_count([("kind", "=", "contact"), *self.domain]), count + 1
        )
        self.t3.unlink()
        self.assertFalse(self.Report.search([("ticket_id", "=", self.t3.id)]))

    def test_digest_email_is_sent_in_the_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "in", ("digest", "omnichannel_crm"))]
        )._update_translations(["zh_CN"])
        self.manager.write({"lang": "zh_CN", "email": "manager@island.example.com"})
        digest = self.env.ref("omnichannel_crm.digest_customer_service_daily")
        digest.user_ids = self.manager
        with self.mock_mail_gateway():
            digest.action_send()
        mail = self._new_mails.filtered(lambda m: "manager@island.example.com" in m.email_to)
        self.assertEqual(len(mail), 1)
        body = mail.body_html
        self.assertTrue("最近7天" in body, "Odoo's own words in Chinese (Last 7 Days)")
        self.assertTrue("客户联系次数" in body, "our KPIs' names in Chinese (Customer contacts)")

    def test_response_times_per_week_by_channel_team_and_agent(self):
        rows = self.env["omnichannel.kpi.response.time"].search(
            [("week", "=", MONDAY.date()), ("team_id", "in", [self.team.id, False])]
        )
        by_channel = {row.channel: row for row in rows if row.dimension == "channel"}
        self.assertEqual(by_channel["phone"].response_count, 1)
        self.assertAlmostEqual(by_channel["sms"].response_median, 30.0)
        (team,) = rows.filtered(lambda row: row.dimension == "team" and row.team_id == self.team)
        self.assertAlmostEqual(team.response_median, 21.0)
        self.assertAlmostEqual(team.response_p90, 28.2)
        self.assertAlmostEqual(team.resolution_median, 3.0)
        agent = rows.filtered(lambda row: row.dimension == "agent" and row.user_id == self.agent)
        self.assertEqual(agent.resolution_count, 2)

    def test_weekly_digest_lists_the_top_issue_categories_with_their_share(self):
        Category = self.env["helpdesk.ticket.category"]
        transfer, luggage = Category.create([{"name": "Airport transfer"}, {"name": "Luggage"}])
        (self.t1 | self.t3).category_id = transfer
        self.t2.category_id = luggage
        self.Report._refresh()
        digest = self.env.ref("omnichannel_crm.digest_customer_service_weekly").with_context(
            start_datetime=MONDAY, end_datetime=MONDAY + timedelta(days=7)
        )
        digest.omnichannel_top_categories = True  # on in the shipped weekly digest
        top = [
            (category.name, count, round(share))
            for category, count, share in digest._omnichannel_top_categories(self.env.company)
        ]
        self.assertEqual(top, [("Airport transfer", 2, 67), ("Luggage", 1, 33)])
        self.manager.email = "manager@island.example.com"
        digest.user_ids = self.manager
        with self.mock_mail_gateway():
            digest.action_send()
        mail = self._new_mails.filtered(lambda m: "manager@island.example.com" in m.email_to)
        self.assertIn("Airport transfer", mail.body_html)
        self.assertIn("67%", mail.body_html)

    def _from_rows(self, domain, groupby, tz=None):
        """`_read_group` of the KPI rows themselves, bypassing their totals."""
        return models.BaseModel._read_group(
            self.Report.with_context(tz=tz), domain, groupby, ["__count", *MEASURES]
        )

    def _from_totals(self, domain, groupby, tz=None):
        Report = self.Report.with_context(tz=tz)
        self.assertTrue(
            self.env["omnichannel.kpi.total"]
            .with_context(tz=tz)
            ._answers(domain, groupby, ["__count", *MEASURES], (), None),
            f"the totals answer {groupby} over {domain}",
        )
        return Report._read_group(domain, groupby, ["__count", *MEASURES])

    def _assert_totals_match_rows(self):
        # Monday in Shanghai, as the date filter of a user there sends it.
        monday = [
            *self.domain,
            ("date", ">=", "2025-07-13 16:00:00"),
            ("date", "<=", "2025-07-14 15:59:59"),
        ]
        for domain, groupby, tz in (
            (self.domain, ["channel"], None),
            (self.domain, ["kind", "user_id"], None),
            (self.domain, ["category_id"], None),
            (self.domain, ["date:day", "channel"], "Asia/Shanghai"),
            (self.domain, ["team_id", "date:week"], "Europe/Paris"),
            (monday, ["channel", "date:hour"], "Asia/Shanghai"),
            (monday, [], "Asia/Shanghai"),
        ):
            with self.subTest(domain=domain, groupby=groupby):
                totals = self._from_totals(domain, groupby, tz)
                rows = self._from_rows(domain, groupby, tz)
                self.assertTrue(rows)
                self.assertEqual(len(totals), len(rows))
                for total, row in zip(totals, rows, strict=True):
                    for value_total, value_row in zip(total, row, strict=True):
                        if isinstance(value_row, float):
                            self.assertAlmostEqual(value_total, value_row, places=6)
                        else:
                            self.assertEqual(value_total, value_row)

    def test_totals_per_hour_give_what_the_rows_give(self):
        """The pivot reads totals per hour kept by the database: equal to the rows' own answer
        after rows are written, rewritten by a refresh, emptied by a deleted category, or go with a
        deleted ticket."""
        self._assert_totals_match_rows()
        Category = self.env["helpdesk.ticket.category"]
        transfer, luggage = Category.create([{"name": "Airport transfer"}, {"name": "Luggage"}])
        (self.t1 | self.t3).category_id = transfer
        self.t2.category_id = luggage
        self.env["omnichannel.interaction"].create(
            {
                "partner_id": self.li.id,
                "channel": "sms",
                "direction": "inbound",
                "date": at(9, 45, days=1),
                "summary": "KPI",
                "ticket_id": self.t2.id,
            }
        )
        self.Report._refresh()
        self._assert_totals_match_rows()
        luggage.unlink()
        self.t3.unlink()
        self.env.flush_all()
        self._assert_totals_match_rows()
        (no_category,) = self.Report._read_group(
            [*self.domain, ("category_id", "=", False)], [], ["tickets_created:sum"]
        )
        self.assertEqual(no_category, (1,), "T2 once its category is deleted")

    def test_what_the_totals_cannot_answer_is_read_from_the_rows(self):
        Total = self.env["omnichannel.kpi.total"]
        measures = ["__count", *MEASURES]
        for domain, groupby, tz in (
            (self.domain, ["partner_id"], None),
            ([("ticket_id", "=", self.t1.id)], ["channel"], None),
            ([("date", ">=", "2025-07-14 10:30:00")], ["channel"], None),
            ([("date", "=", "2025-07-14 10:00:00")], ["channel"], None),
            ([], ["date:day"], "Asia/Kolkata"),
            ([], ["date:minute_number"], None),
        ):
            with self.subTest(domain=domain, groupby=groupby, tz=tz):
                self.assertFalse(
                    Total.with_context(tz=tz)._answers(domain, groupby, measures, (), None)
                )
        self.assertFalse(Total._answers([], ["channel"], ["csat:max"], (), None))
        self.assertFalse(Total._answers([], ["channel"], measures, (), "partner_id"))
        (from_minute,) = self.Report._read_group(
            [*self.domain, ("date", ">=", "2025-07-14 10:30:00"), ("date", "<", at(12))],
            [],
            ["contacts_out:sum", "first_response_minutes:avg"],
        )
        self.assertEqual(from_minute, (1, 30.0), "Li's answer at 11:30, not Zhang's at 10:12")
