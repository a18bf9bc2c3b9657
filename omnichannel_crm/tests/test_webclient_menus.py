# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import OmnichannelUsersMixin


@tagged("post_install", "-at_install")
class TestWebclientMenus(OmnichannelUsersMixin, HttpCase):
    """The web client, over real HTTP, shows the Omnichannel app to the right people."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_omnichannel_users()

    def _app_names(self, login):
        self.authenticate(login, login)
        response = self.url_open("/web/webclient/load_menus/1")
        self.assertEqual(response.status_code, 200)
        menus = response.json()
        return {menus[str(app_id)]["name"] for app_id in menus["root"]["children"]}

    def test_agent_sees_the_app(self):
        self.assertIn("Omnichannel", self._app_names("omni_agent"))

    def test_plain_employee_does_not(self):
        self.assertNotIn("Omnichannel", self._app_names("omni_employee"))
