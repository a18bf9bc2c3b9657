# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, TransactionCase, tagged

from .common import create_staff


@tagged("post_install", "-at_install")
class TestLogCall(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Numbers without a country code are read in the company's country.
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.agent = create_staff(cls.env, "call_agent")
        cls.account_manager = create_staff(cls.env, "account_manager")
        cls.chen = cls.env["res.partner"].create(
            {"name": "Chen Jing", "mobile": "13512345678", "user_id": cls.account_manager.id}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Flight delay", "description": "<p>HU7281</p>", "partner_id": cls.chen.id}
        )

    def _log_call(self, active_model, active_id, **values):
        wizard_form = Form(
            self.env["omnichannel.log.call"]
            .with_user(self.agent)
            .with_context(active_model=active_model, active_id=active_id)
        )
        for name, value in values.items():
            setattr(wizard_form, name, value)
        wizard_form.save().action_log_call()
        return self.env["omnichannel.interaction"].search(
            [("partner_id", "=", self.chen.id), ("interaction_type", "=", "call")], limit=1
        )

    def test_log_call_from_a_ticket(self):
        call = self._log_call(
            "helpdesk.ticket",
            self.ticket.id,
            direction="outbound",
            duration=4.5,
            outcome="answered",
            notes="<p>Transfer rebooked for 18:00.</p>",
        )
        self.assertEqual(call.ticket_id, self.ticket)
        self.assertEqual(call.channel, "phone")
        self.assertEqual(call.user_id, self.agent)
        self.assertEqual(call.call_duration, 4.5)
        self.assertIn("Call to Chen Jing", call.summary)
        self.assertFalse(self.ticket.activity_ids)

    def test_a_missed_call_becomes_a_call_back_for_the_account_manager(self):
        self._log_call("res.partner", self.chen.id, direction="inbound", outcome="missed")
        activity = self.chen.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.account_manager)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertIn("+8613512345678", activity.note)
