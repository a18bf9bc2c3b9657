# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import create_staff

NOW = datetime(2026, 7, 15, 2, 0)


@tagged("post_install", "-at_install")
class TestCadence(TransactionCase):
    """Lifecycle stages from the contact history, and the account managers' keep-in-touch to-dos."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = create_staff(cls.env, "cadence_am", "Account Manager")
        cls.keep_in_touch = cls.env.ref("omnichannel_crm.mail_activity_type_keep_in_touch")
        Partner = cls.env["res.partner"]
        cls.newcomer = Partner.create(
            {"name": "New Family", "omnichannel_account_manager_id": cls.manager.id}
        )
        cls.regular = Partner.create(
            {"name": "Regular Family", "omnichannel_account_manager_id": cls.manager.id}
        )
        cls.fading = Partner.create(
            {"name": "Fading Family", "omnichannel_account_manager_id": cls.manager.id}
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id IN %s",
            (NOW - timedelta(days=400), (cls.regular.id, cls.fading.id)),
        )
        cls.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id = %s",
            (NOW - timedelta(days=10), cls.newcomer.id),
        )
        # Inbound contacts: the regular family writes as often as before, the fading one stopped.
        history = {
            cls.newcomer: [5],
            cls.regular: [20, 50, 80, 110, 140, 170],
            cls.fading: [100, 110, 120, 130, 150, 170, 60],
        }
        cls.env["omnichannel.interaction"].create(
            [
                {
                    "partner_id": partner.id,
                    "channel": "phone",
                    "summary": "Question",
                    "date": NOW - timedelta(days=days),
                }
                for partner, days_ago in history.items()
                for days in days_ago
            ]
        )

    def _todos(self, partner):
        return partner.activity_ids.filtered(lambda a: a.activity_type_id == self.keep_in_touch)

    def test_stages_follow_the_contact_history(self):
        with freeze_time(NOW):
            self.env["res.partner"]._update_omnichannel_lifecycle_stage()
        self.assertEqual(
            [
                self.newcomer.omnichannel_lifecycle_stage,
                self.regular.omnichannel_lifecycle_stage,
                self.fading.omnichannel_lifecycle_stage,
            ],
            ["new", "stable", "declining"],
        )

    def test_account_managers_get_a_todo_at_each_stages_pace(self):
        with freeze_time(NOW):
            self.env["omnichannel.cadence.rule"]._cron_apply()
        for partner in (self.newcomer, self.regular, self.fading):
            todo = self._todos(partner)
            self.assertEqual(len(todo), 1, partner.name)
            self.assertEqual(todo.user_id, self.manager)
        self.assertTrue(self._todos(self.fading).summary.startswith("Churn risk"))
        self.assertTrue(self._todos(self.newcomer).summary.startswith("Keep in touch"))
        with freeze_time(NOW + timedelta(hours=1)):
            self.env["omnichannel.cadence.rule"]._cron_apply()
        self.assertEqual(len(self._todos(self.newcomer)), 1, "one open to-do at a time")
        with freeze_time(NOW + timedelta(hours=2)):
            self._todos(self.newcomer).action_feedback(feedback="Called, all good")
        with freeze_time(NOW + timedelta(days=1)):
            self.env["omnichannel.cadence.rule"]._cron_apply()
        self.assertFalse(self._todos(self.newcomer), "contacted yesterday: not due")
        with freeze_time(NOW + timedelta(days=4)):
            self.env["omnichannel.cadence.rule"]._cron_apply()
        self.assertEqual(len(self._todos(self.newcomer)), 1, "new customers: every 3 days")

    def test_an_outbound_contact_counts_as_keeping_in_touch(self):
        self.env["omnichannel.interaction"].create(
            {
                "partner_id": self.regular.id,
                "channel": "wechat",
                "direction": "outbound",
                "summary": "Summer catalogue",
                "date": NOW - timedelta(days=3),
            }
        )
        with freeze_time(NOW):
            self.env["omnichannel.cadence.rule"]._cron_apply()
        self.assertFalse(self._todos(self.regular))
