# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from .common import OmnichannelUsersMixin


@tagged("post_install", "-at_install")
class TestOmnichannelSecurity(OmnichannelUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_omnichannel_users()
        cls.root_menu = cls.env.ref("omnichannel_crm.menu_omnichannel_root")

    def test_user_group_implies_helpdesk_user(self):
        self.assertTrue(self.agent.has_group("helpdesk_mgmt.group_helpdesk_user"))
        self.assertFalse(self.agent.has_group("omnichannel_crm.group_omnichannel_manager"))
        self.assertFalse(self.agent.has_group("helpdesk_mgmt.group_helpdesk_manager"))

    def test_manager_group_implies_user_and_helpdesk_manager(self):
        self.assertTrue(self.manager.has_group("omnichannel_crm.group_omnichannel_user"))
        self.assertTrue(self.manager.has_group("helpdesk_mgmt.group_helpdesk_manager"))
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("omnichannel_crm.group_omnichannel_manager")
        )

    def _visible_menu_ids(self, user):
        return set(self.env["ir.ui.menu"].with_user(user)._visible_menu_ids())

    def test_app_menu_visible_to_agents_only(self):
        self.assertIn(self.root_menu.id, self._visible_menu_ids(self.agent))
        self.assertNotIn(self.root_menu.id, self._visible_menu_ids(self.employee))

    def test_configuration_menu_for_managers_only(self):
        config = self.env.ref("omnichannel_crm.menu_omnichannel_config")
        settings = self.env.ref("omnichannel_crm.menu_omnichannel_settings")
        self.assertNotIn(config.id, self._visible_menu_ids(self.agent))
        manager_menus = self._visible_menu_ids(self.manager)
        self.assertIn(config.id, manager_menus)
        self.assertNotIn(settings.id, manager_menus, "Settings are for Settings admins")
        self.assertIn(settings.id, self._visible_menu_ids(self.settings_admin))

    def test_agent_reads_tickets_and_customers_of_the_app(self):
        ticket = self.env.ref("omnichannel_crm.demo_ticket_island_tour", raise_if_not_found=False)
        if not ticket:
            ticket = self.env["helpdesk.ticket"].create(
                {"name": "Lost luggage", "description": "<p>Bag missing at Sanya.</p>"}
            )
        ticket.user_id = self.agent
        self.assertEqual(
            self.env["helpdesk.ticket"].with_user(self.agent).search([("id", "=", ticket.id)]),
            ticket,
        )
        self.assertTrue(ticket.with_user(self.agent).partner_id.check_access("read") is None)
