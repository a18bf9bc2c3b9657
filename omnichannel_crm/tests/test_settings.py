# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestOmnichannelSettings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Island Tours Hainan"})
        cls.team_a = cls.env["helpdesk.ticket.team"].create(
            {"name": "Shanghai Care", "company_id": cls.company_a.id}
        )
        cls.team_b = cls.env["helpdesk.ticket.team"].create(
            {"name": "Hainan Care", "company_id": cls.company_b.id}
        )

    def test_default_team_is_set_per_company(self):
        settings = self.env["res.config.settings"].create({})
        settings.omnichannel_default_team_id = self.team_a
        settings.execute()
        self.assertEqual(self.company_a.omnichannel_default_team_id, self.team_a)

        settings_b = (
            self.env["res.config.settings"]
            .with_company(self.company_b)
            .create({"omnichannel_default_team_id": self.team_b.id})
        )
        settings_b.execute()
        self.assertEqual(self.company_b.omnichannel_default_team_id, self.team_b)
        self.assertEqual(self.company_a.omnichannel_default_team_id, self.team_a)
