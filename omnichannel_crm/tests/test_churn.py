# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.omnichannel_churn import RFM_SEGMENT_GRID
from ..models.omnichannel_data import RFM_SEGMENTS
from .common import create_staff

NOW = datetime(2026, 7, 15, 2, 0)


def days_ago(days):
    return NOW - timedelta(days=days)


@tagged("post_install", "-at_install")
class TestChurn(TransactionCase):
    """RFM scores, segments and churn risk of ten customers whose figures are worked out by hand
    below, and the retention to-dos of those who become at risk.

    Quintiles of ten customers are pairs: sorted ascending (ties by id, i.e. creation order), the
    1st and 2nd get 1, the 3rd and 4th 2, ... the 9th and 10th 5. Inbound contacts, in days before
    NOW (contacts over 365 days old do not count for frequency; outbound contacts and events never
    count):

        customer         inbound contacts (days ago)          last  freq  points (365 d)
        c1 Card Only     none (a loyalty card only)           -     0     500
        c2 Fading        100 110 120 130 150 170              100   6     0 (coupons are not points)
        c3 Coral Travel  95 100 120 140 (by its employee)     95    4     50 (employee's card)
        c4 Quiet Couple  300                                  300   1     0
        c5 Steady        10 40 70 100 130 160                 10    6     1200
        c6 Champion      1 5 20 45 80 120 200 250             1     8     3000
        c7 Newcomer      3                                    3     1     100
        c8 Regular       30 60 85 200 300                     30    5     800
        c9 Loyalist      60 150 160 200 220 240 260 280 300   60    9     0 (5000, 400 days ago)
        c10 Old Friend   50 400 500 (outbound 1 2, event 1)   50    1     0

    Recency, oldest first (no contact first): c1 c4 | c2 c3 | c9 c10 | c8 c5 | c7 c6.
    Frequency, lowest first: c1(0) c4(1) | c7(1) c10(1) | c3(4) c8(5) | c2(6) c5(6) | c6(8) c9(9).
    Monetary, lowest first: c2 c4 | c9 c10 (all 0) | c3(50) c7(100) | c1(500) c8(800) |
    c5(1200) c6(3000).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cr = cls.env.cr
        # Quintiles rank the whole population: the demo customers step aside so that the ranks
        # are those of this data set alone.
        cls.env.flush_all()
        cr.execute(
            """
            UPDATE res_partner SET active = FALSE
             WHERE id IN (SELECT commercial_partner_id FROM omnichannel_interaction)
                OR id IN (SELECT holder.commercial_partner_id
                            FROM loyalty_card card
                            JOIN res_partner holder ON holder.id = card.partner_id)
            """
        )
        cls.env["res.partner"].invalidate_model(["active"])
        cls.account_manager = create_staff(cls.env, "churn_am", "Account Manager")
        cls.salesperson = new_test_user(
            cls.env, login="churn_sales", name="Salesperson", groups="base.group_user"
        )
        Partner = cls.env["res.partner"]
        (
            cls.c1,
            cls.c2,
            cls.c3,
            cls.c4,
            cls.c5,
            cls.c6,
            cls.c7,
            cls.c8,
            cls.c9,
            cls.c10,
        ) = cls.customers = Partner.create(
            [
                {"name": "Card Only"},
                {"name": "Fading Family", "omnichannel_account_manager_id": cls.account_manager.id},
                {"name": "Coral Travel", "is_company": True},
                {"name": "Quiet Couple", "user_id": cls.salesperson.id},
                {"name": "Steady Family"},
                {"name": "Champion Club", "omnichannel_account_manager_id": cls.account_manager.id},
                {"name": "Newcomer"},
                {"name": "Regular Guest"},
                {"name": "Loyalist"},
                {"name": "Old Friend"},
            ]
        )
        cls.employee = Partner.create({"name": "Li Lei", "parent_id": cls.c3.id})
        cls.archived = Partner.create({"name": "Gone Away", "active": False})

        inbound = {
            cls.c2: [100, 110, 120, 130, 150, 170],
            cls.employee: [95, 100, 120, 140],
            cls.c4: [300],
            cls.c5: [10, 40, 70, 100, 130, 160],
            cls.c6: [1, 5, 20, 45, 80, 120, 200, 250],
            cls.c7: [3],
            cls.c8: [30, 60, 85, 200, 300],
            cls.c9: [60, 150, 160, 200, 220, 240, 260, 280, 300],
            cls.c10: [50, 400, 500],
            cls.archived: [1],
        }
        contacts = [
            {
                "partner_id": partner.id,
                "channel": "phone",
                "summary": "Question",
                "date": days_ago(d),
            }
            for partner, days in inbound.items()
            for d in days
        ]
        contacts += [
            {
                "partner_id": cls.c10.id,
                "channel": "wechat",
                "direction": "outbound",
                "summary": "Summer catalogue",
                "date": days_ago(d),
            }
            for d in (1, 2)
        ]
        contacts.append(
            {
                "partner_id": cls.c10.id,
                "channel": "other",
                "interaction_type": "event",
                "summary": "Ticket opened",
                "date": days_ago(1),
            }
        )
        cls.env["omnichannel.interaction"].create(contacts)

        club = cls.env["loyalty.program"].create({"name": "Island Club", "program_type": "loyalty"})
        coupons = cls.env["loyalty.program"].create(
            {"name": "Summer coupons", "program_type": "coupons"}
        )
        points = [  # (holder, program, points, days ago)
            (cls.c1, club, 500, 30),
            (cls.employee, club, 50, 30),
            (cls.c5, club, 1200, 30),
            (cls.c6, club, 3000, 30),
            (cls.c7, club, 100, 3),
            (cls.c8, club, 800, 30),
            (cls.c9, club, 5000, 400),
            (cls.c2, coupons, 9000, 30),
        ]
        dated_lines = []
        for holder, program, issued, age in points:
            card = cls.env["loyalty.card"].create(
                {"program_id": program.id, "partner_id": holder.id, "points": issued}
            )
            line = cls.env["loyalty.history"].create(
                {"card_id": card.id, "description": "Island tour", "issued": issued}
            )
            dated_lines.append((line, days_ago(age)))

        Ticket = cls.env["helpdesk.ticket"]
        stages = cls.env["helpdesk.ticket.stage"]
        open_stage = stages.search([("closed", "=", False)], limit=1)
        closed_stage = stages.search([("closed", "=", True)], limit=1)

        def ticket(partner, priority, stage):
            return Ticket.create(
                {
                    "name": "Trip",
                    "description": "<p>Trip</p>",
                    "partner_id": partner.id,
                    "priority": priority,
                    "stage_id": stage.id,
                }
            )

        # Complaints are open Very High tickets: c3's and c6's first; not a closed one, nor an
        # open High one.
        ticket(cls.employee, "3", open_stage)
        ticket(cls.c6, "3", open_stage)
        ticket(cls.employee, "3", closed_stage)
        ticket(cls.employee, "2", open_stage)

        ticket_model = cls.env["ir.model"]._get_id("helpdesk.ticket")
        ratings = [  # (rater, rating, consumed, days ago)
            # c2: (1 + 3) / 2 = 2.0 < 3; the 5 is over 180 days old, the 0 never given.
            (cls.c2, 1, True, 20),
            (cls.c2, 3, True, 40),
            (cls.c2, 5, True, 200),
            (cls.c2, 0, False, 10),
            # c3, by its employee: 3.0, not below 3.
            (cls.employee, 3, True, 10),
            (cls.c4, 2, True, 60),
            (cls.c6, 5, True, 5),
        ]
        dated_ratings = []
        for rater, value, consumed, age in ratings:
            rated = ticket(rater, "1", closed_stage)
            rating = cls.env["rating.rating"].create(
                {
                    "res_model_id": ticket_model,
                    "res_id": rated.id,
                    "partner_id": rater.id,
                    "rating": value,
                    "consumed": consumed,
                }
            )
            dated_ratings.append((rating, days_ago(age)))

        cls.env.flush_all()
        for line, date in dated_lines:
            cr.execute("UPDATE loyalty_history SET create_date = %s WHERE id = %s", (date, line.id))
        for rating, date in dated_ratings:
            cr.execute("UPDATE rating_rating SET write_date = %s WHERE id = %s", (date, rating.id))
        cls.env.invalidate_all()

    def _run(self, when=NOW):
        with freeze_time(when):
            self.env["omnichannel.churn"]._cron_compute()

    def _scores(self, partner):
        return (
            partner.omnichannel_rfm_recency,
            partner.omnichannel_rfm_frequency,
            partner.omnichannel_rfm_monetary,
            partner.omnichannel_rfm_segment,
            partner.omnichannel_churn_score,
            partner.omnichannel_churn_reasons,
        )

    def _retention_todos(self, partner):
        return partner.activity_ids.filtered(
            lambda activity: activity.summary.startswith("Retention")
        )

    def test_scores_segments_and_reasons(self):
        self._run()
        # Segments from (R, F) by the grid; churn points: R <= 2 is 30, contacts halved 25 (c2: 0
        # in the last 90 days against 6 in the 90 before; c3: 0 against 4; c9's 1 against 2 is
        # half, not fewer), satisfaction below 3 is 25 (c2 2.0, c4 2.0; c3's 3.0 is not), an open
        # Very High ticket 20 (c3, c6).
        expected = {
            self.c1: (1, 1, 4, "hibernating", 30, "No contact from the customer yet"),
            self.c2: (
                2,
                4,
                1,
                "at_risk",
                80,  # 30 + 25 + 25
                "No contact for 100 days; contacts halved; low satisfaction (2.0/5)",
            ),
            self.c3: (
                2,
                3,
                3,
                "at_risk",
                75,  # 30 + 25 + 20
                "No contact for 95 days; contacts halved; open complaints: 1",
            ),
            self.c4: (
                1,
                1,
                1,
                "hibernating",
                55,  # 30 + 25
                "No contact for 300 days; low satisfaction (2.0/5)",
            ),
            self.c5: (4, 4, 5, "champions", 0, False),
            self.c6: (5, 5, 5, "champions", 20, "open complaints: 1"),
            self.c7: (5, 2, 3, "promising", 0, False),
            self.c8: (4, 3, 4, "need_attention", 0, False),
            self.c9: (3, 5, 2, "loyal", 0, False),
            self.c10: (3, 2, 2, "need_attention", 0, False),
        }
        for customer, scores in expected.items():
            self.assertEqual(self._scores(customer), scores, customer.name)
        for not_a_customer in (self.employee, self.archived):
            self.assertEqual(
                self._scores(not_a_customer), (0, 0, 0, False, 0, False), not_a_customer.name
            )
        # The threshold is 60 by default: c2 (80) and c3 (75) are at risk, c4 (55) is not.
        self.assertEqual(self.env.company.omnichannel_churn_threshold, 60)
        at_risk = self.env["res.partner"].search([("omnichannel_churn_risk", "=", True)])
        self.assertEqual(at_risk, self.c2 | self.c3)

    def test_crossing_the_threshold_alerts_the_account_manager_once(self):
        tag = self.env["res.partner.category"].create({"name": "Retention offer"})
        automation = self.env["base.automation"].create(
            {
                "name": "Churn alert: retention offer",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "trigger": "on_create_or_write",
                "trigger_field_ids": [
                    Command.set(
                        self.env["ir.model.fields"]
                        ._get("res.partner", "omnichannel_churn_date")
                        .ids
                    )
                ],
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Tag for the retention offer",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "base_automation_id": automation.id,
                "state": "code",
                "code": f"records.write({{'category_id': [Command.link({tag.id})]}})",
            }
        )
        self._run()
        todo = self._retention_todos(self.c2)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.account_manager)
        self.assertEqual(todo.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(todo.summary, "Retention: Fading Family")
        self.assertIn("Churn risk 80/100", todo.note)
        # Coral Travel has neither account manager nor salesperson: no to-do, but the date is set.
        self.assertFalse(self._retention_todos(self.c3))
        self.assertEqual(
            (self.c2 | self.c3).mapped("omnichannel_churn_date"), [NOW, NOW], "set at the crossing"
        )
        self.assertFalse(self.c4.omnichannel_churn_date, "55 is below the threshold")
        self.assertEqual(tag.partner_ids, self.c2 | self.c3, "the automated action ran for them")

        # The next night the scores are the same: no new crossing, no new to-do.
        self._run(NOW + timedelta(days=1))
        self.assertEqual(
            self.c2.omnichannel_churn_reasons,
            "No contact for 101 days; contacts halved; low satisfaction (2.0/5)",
        )
        self.assertEqual(len(self._retention_todos(self.c2)), 1)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("summary", "=like", "Retention%")]
            ),
            1,
        )
        self.assertEqual((self.c2 | self.c3).mapped("omnichannel_churn_date"), [NOW, NOW])

    def test_lowering_the_threshold_makes_more_customers_cross(self):
        self._run()
        self.assertFalse(self.c4.omnichannel_churn_risk)
        settings = self.env["res.config.settings"].create({"omnichannel_churn_threshold": 50})
        settings.execute()
        self.assertEqual(self.env.company.omnichannel_churn_threshold, 50)
        self._run(NOW + timedelta(hours=1))
        self.assertTrue(self.c4.omnichannel_churn_risk, "55 reaches 50")
        todo = self._retention_todos(self.c4)
        self.assertEqual(todo.user_id, self.salesperson, "no account manager: the salesperson")
        self.assertEqual(self.c4.omnichannel_churn_date, NOW + timedelta(hours=1))

    def test_a_partner_no_longer_a_customer_loses_its_scores(self):
        self._run()
        self.assertEqual(self.c10.omnichannel_rfm_segment, "need_attention")
        self.c10.action_archive()
        self._run(NOW + timedelta(hours=1))
        self.assertEqual(self._scores(self.c10), (0, 0, 0, False, 0, False))
        # Nine customers now: the quintiles are 2, 2, 2, 2 and 1 customers.
        self.assertEqual(self.c6.omnichannel_rfm_recency, 5)
        self.assertEqual(self.c7.omnichannel_rfm_recency, 4)

    def test_segment_grid_covers_every_score_once(self):
        segments = {name for name, _label in RFM_SEGMENTS}
        for recency in range(1, 6):
            for frequency in range(1, 6):
                matches = [
                    name
                    for name, (r_low, r_high), (f_low, f_high) in RFM_SEGMENT_GRID
                    if r_low <= recency <= r_high and f_low <= frequency <= f_high
                ]
                self.assertEqual(len(matches), 1, (recency, frequency))
                self.assertIn(matches[0], segments)
