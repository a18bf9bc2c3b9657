# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestLoyaltyTiers(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Tier = cls.env["omnichannel.loyalty.tier"]
        cls.program = cls._program("Island Club", cls.env.company)
        cls.bronze, cls.silver, cls.gold = cls._ladder(cls.program)
        cls.traveller = cls.env["res.partner"].create({"name": "Wang Fang"})
        cls.card = cls.env["loyalty.card"].create(
            {"program_id": cls.program.id, "partner_id": cls.traveller.id, "points": 0}
        )

    @classmethod
    def _program(cls, name, company):
        return cls.env["loyalty.program"].create(
            {"name": name, "program_type": "loyalty", "company_id": company.id}
        )

    @classmethod
    def _ladder(cls, program):
        return cls.Tier.create(
            [
                {"name": "Bronze", "sequence": 10, "program_id": program.id, "min_points": 100},
                {
                    "name": "Silver",
                    "sequence": 20,
                    "program_id": program.id,
                    "min_points": 1000,
                    "points_multiplier": 1.5,
                },
                {
                    "name": "Gold",
                    "sequence": 30,
                    "program_id": program.id,
                    "min_points": 3000,
                    "points_multiplier": 2,
                    "grace_days": 30,
                },
            ]
        )

    def _earn(self, card, points, description="Island tour"):
        self.env["loyalty.history"].create(
            {"card_id": card.id, "description": description, "issued": points}
        )
        card.points += points

    def _run(self, today=None):
        return self.Tier._recompute_program(self.program, today=today)

    def test_each_tier_counts_its_own_window_in_the_job_and_on_the_card(self):
        # Gold asks for 3000 points within 3 months; Silver for 1000 within 12.
        self.gold.window_months = 3
        self._earn(self.card, 2500)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE loyalty_history SET create_date = create_date - interval '6 months'"
            " WHERE card_id = %s",
            (self.card.id,),
        )
        self.env.invalidate_all()
        self._earn(self.card, 600)
        self._run()
        self.assertEqual(self.card.omnichannel_tier_id, self.silver, "3100 in 12 months, 600 in 3")
        self.assertEqual(self.card.omnichannel_next_tier_id, self.gold)
        self.assertEqual(self.card.omnichannel_tier_gap, 2400, "Gold's own window: 3000 - 600")
        self._earn(self.card, 2400)
        self._run()
        self.assertEqual(self.card.omnichannel_tier_id, self.gold)

    def test_crossing_a_threshold_promotes_on_the_next_run(self):
        self._earn(self.card, 1200)
        self.assertFalse(self.card.omnichannel_tier_id, "nothing changes before the job runs")
        self._run()
        self.assertEqual(self.card.omnichannel_tier_id, self.silver)
        self.assertEqual(self.traveller.omnichannel_loyalty_tier_id, self.silver)
        self.assertEqual(self.card.omnichannel_next_tier_id, self.gold)
        self.assertEqual(self.card.omnichannel_tier_gap, 1800)
        change = self.traveller.omnichannel_loyalty_tier_history_ids
        self.assertEqual((change.old_tier_id, change.new_tier_id), (self.Tier, self.silver))

    def test_falling_below_demotes_only_after_the_grace_period(self):
        self._earn(self.card, 3500)
        self._run()
        self.assertEqual(self.card.omnichannel_tier_id, self.gold)
        # The points age out of the 12-month window.
        self.env.cr.execute(
            "UPDATE loyalty_history SET create_date = create_date - interval '13 months'"
            " WHERE card_id = %s",
            (self.card.id,),
        )
        self._earn(self.card, 1000)  # 2000 with the gold bonus: silver level
        today = fields.Date.today()
        self._run(today)
        self.assertEqual(self.card.omnichannel_tier_id, self.gold, "grace period starts")
        self.assertEqual(self.card.omnichannel_tier_below_since, today)
        self._run(today + timedelta(days=29))
        self.assertEqual(self.card.omnichannel_tier_id, self.gold, "still within the grace period")
        self._run(today + timedelta(days=30))
        self.assertEqual(self.card.omnichannel_tier_id, self.silver, "demoted one level, to silver")
        self.assertFalse(self.card.omnichannel_tier_below_since)

    def test_back_above_the_threshold_cancels_the_grace_period(self):
        self._earn(self.card, 3500)
        self._run()
        self.env.cr.execute(
            "UPDATE loyalty_history SET create_date = create_date - interval '13 months'"
            " WHERE card_id = %s",
            (self.card.id,),
        )
        self._run()
        self.assertTrue(self.card.omnichannel_tier_below_since)
        self._earn(self.card, 3000)  # 6000 with the gold bonus
        self._run()
        self.assertEqual(self.card.omnichannel_tier_id, self.gold)
        self.assertFalse(self.card.omnichannel_tier_below_since)

    def test_gold_earns_double_as_its_own_history_line(self):
        self._earn(self.card, 3000)
        self._run()
        self.assertEqual(self.card.omnichannel_tier_id, self.gold)
        lines_before = self.card.history_ids
        points_before = self.card.points
        self._earn(self.card, 100, "Airport transfer")
        new_lines = self.card.history_ids - lines_before
        self.assertEqual(len(new_lines), 2)
        bonus = new_lines.filtered(lambda line: "bonus" in line.description)
        self.assertEqual(bonus.issued, 100)
        self.assertIn("Gold", bonus.description)
        self.assertEqual(self.card.points, points_before + 200)
        original = new_lines - bonus
        self.assertEqual(original.issued, 100, "the earned line is left as it was")

    def test_tier_changes_are_on_the_customer_timeline(self):
        self._earn(self.card, 150)
        self._run()
        events = self.env["omnichannel.interaction"].search(
            [("partner_id", "=", self.traveller.id), ("interaction_type", "=", "event")]
        )
        self.assertEqual(events.mapped("summary"), ["Promoted to Bronze"])
        self.assertEqual(events.source_ref, self.card)

    def test_a_new_gold_member_is_congratulated_by_a_time_based_automated_action(self):
        """The set-up the readme describes: a time-based automated action on "Tier since" that
        notifies new gold members, run by Odoo's scheduler after the tier job."""
        scenario = self.env["omnichannel.scenario"].create({"name": "Congratulations"})
        automation = self.env["base.automation"].create(
            {
                "name": "Congratulate new gold members",
                "model_id": self.env.ref("base.model_res_partner").id,
                "trigger": "on_time",
                "trg_date_id": self.env.ref(
                    "omnichannel_crm.field_res_partner__omnichannel_loyalty_tier_since"
                ).id,
                "trg_date_range": 0,
                "trg_date_range_type": "minutes",
                "filter_domain": repr([("omnichannel_loyalty_tier_id", "=", self.gold.id)]),
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Congratulations",
                "model_id": automation.model_id.id,
                "base_automation_id": automation.id,
                "usage": "base_automation",
                "state": "omnichannel_notify",
                "omnichannel_scenario_id": scenario.id,
            }
        )
        silver_member = self.env["res.partner"].create({"name": "Sun Li"})
        silver_card = self.env["loyalty.card"].create(
            {"program_id": self.program.id, "partner_id": silver_member.id, "points": 0}
        )
        self._earn(self.card, 3200)
        self._earn(silver_card, 1500)
        # The promotion is stamped a second ago, as a job that ran before the scheduler's check.
        with freeze_time(fields.Datetime.now() - timedelta(seconds=1)):
            self._run()
        self.assertEqual(self.traveller.omnichannel_loyalty_tier_id, self.gold)
        Notification = self.env["omnichannel.notification"]
        self.env["base.automation"]._check()
        congratulated = Notification.search([("scenario_id", "=", scenario.id)]).partner_id
        self.assertEqual(congratulated, self.traveller, "the new gold member, not the silver one")
        self.env["base.automation"]._check()
        self.assertEqual(
            Notification.search_count([("scenario_id", "=", scenario.id)]), 1, "once per promotion"
        )

    def test_programs_of_different_companies_stay_separate(self):
        company_b = self.env["res.company"].create({"name": "Island Tours Hainan"})
        program_b = self._program("Hainan Club", company_b)
        bronze_b, _silver_b, _gold_b = self._ladder(program_b)
        card_b = self.env["loyalty.card"].create(
            {"program_id": program_b.id, "partner_id": self.traveller.id, "points": 0}
        )
        self._earn(self.card, 5000)
        self._earn(card_b, 150)
        self.Tier._cron_recompute()
        self.assertEqual(self.card.omnichannel_tier_id, self.gold)
        self.assertEqual(card_b.omnichannel_tier_id, bronze_b, "company A's points do not count")
        self.assertEqual(self.card.omnichannel_tier_id.company_id, self.env.company)
        self.assertEqual(card_b.omnichannel_tier_id.company_id, company_b)

    def test_a_ladder_needs_rising_thresholds(self):
        with self.assertRaisesRegex(ValidationError, "more points as their rank rises"):
            self.Tier.create(
                {
                    "name": "Platinum",
                    "sequence": 40,
                    "program_id": self.program.id,
                    "min_points": 500,
                }
            )
