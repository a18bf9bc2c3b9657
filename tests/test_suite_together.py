"""The three addons installed together: the connectors hang their configuration under the core's
Channels menu, and each channel's configuration is visible to managers only."""

from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.omnichannel_crm.tests.common import create_staff


@tagged("post_install", "-at_install")
class TestSuiteTogether(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = create_staff(cls.env, "suite_agent")
        cls.manager = new_test_user(
            cls.env,
            login="suite_manager",
            groups="base.group_user,omnichannel_crm.group_omnichannel_manager",
        )

    def _visible(self, user):
        return set(self.env["ir.ui.menu"].with_user(user)._visible_menu_ids())

    def test_connector_menus_live_under_channels(self):
        channels = self.env.ref("omnichannel_crm.menu_omnichannel_channels")
        connector_menus = self.env.ref(
            "omnichannel_sms.menu_omnichannel_sms_providers"
        ) | self.env.ref("omnichannel_wechat.menu_omnichannel_wechat_accounts")
        self.assertEqual(connector_menus.parent_id, channels)
        manager_menus = self._visible(self.manager)
        self.assertLessEqual(set(connector_menus.ids) | {channels.id}, manager_menus)
        self.assertFalse(set(connector_menus.ids) & self._visible(self.agent))

    def test_every_connector_model_has_access_rules_for_the_suite_groups(self):
        for model in ("omnichannel.sms.provider", "omnichannel.wechat.account"):
            with self.subTest(model=model):
                self.assertTrue(self.env[model].with_user(self.agent).has_access("read"))
                self.assertFalse(self.env[model].with_user(self.agent).has_access("create"))
                self.assertTrue(self.env[model].with_user(self.manager).has_access("create"))
