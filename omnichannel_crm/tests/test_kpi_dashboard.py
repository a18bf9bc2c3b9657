# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import OmnichannelUsersMixin


@tagged("post_install", "-at_install")
class TestKpiDashboard(OmnichannelUsersMixin, HttpCase):
    """The KPI dashboard in a real browser: it loads, with its cards and charts, without errors
    (a JavaScript error or a failed RPC fails the tour)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_omnichannel_users()

    def test_dashboard_loads_for_a_manager(self):
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "omnichannel_kpi_dashboard",
            login="omni_manager",
        )

    def test_dashboard_is_for_managers(self):
        dashboard = self.env.ref("omnichannel_crm.spreadsheet_dashboard_customer_service")
        self.assertFalse(
            dashboard.with_user(self.agent).search([("id", "=", dashboard.id)]),
            "agents do not see it",
        )
