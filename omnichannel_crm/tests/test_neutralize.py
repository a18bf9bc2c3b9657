# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.modules.neutralize import neutralize_database
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestNeutralize(TransactionCase):
    """A neutralized copy of the database (odoo-bin neutralize, for testing or staging) reaches no
    real customer: every connector of the installed addons is switched off."""

    def test_neutralized_database_has_no_live_connector(self):
        connectors = {
            model: self.env[model].search([])
            for model in (
                "omnichannel.phone.integration",
                "omnichannel.sms.provider",
                "omnichannel.wechat.account",
                "omnichannel.wecom.account",
            )
            if model in self.env
        }
        connectors["omnichannel.phone.integration"] |= self.env[
            "omnichannel.phone.integration"
        ].create({"name": "Shanghai PBX"})
        self.assertTrue(any(records for records in connectors.values()))
        neutralize_database(self.env.cr)
        self.env.invalidate_all()
        for model, records in connectors.items():
            with self.subTest(model=model):
                self.assertFalse(records.filtered("active"), f"{model} still active")
        for model in ("omnichannel.wechat.account", "omnichannel.wecom.account"):
            if model in self.env:
                accounts = self.env[model].with_context(active_test=False)
                self.assertFalse(accounts.search([]).filtered("access_token"), model)
