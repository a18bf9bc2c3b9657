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

    def test_plain_employee_opens_contacts_without_access_errors(self):
        """Contacts is Odoo's, used by everyone: what the addons add to it must not stop a user
        without Omnichannel or Helpdesk rights from opening a customer."""
        customer = self.env["res.partner"].create(
            {"name": "Zhou Min", "mobile": "+8613655550099", "email": "zhou.min@example.com"}
        )
        check = (
            "if (document.querySelector('.o_error_dialog, .o_dialog .modal-title')) {"
            " console.error('error dialog: ' + document.querySelector('.modal').innerText); }"
            " else { console.log('test successful'); }"
        )
        for url, ready in (
            (
                f"/odoo/contacts/{customer.id}",
                "!!document.querySelector('.o-mail-Chatter, .o_error_dialog, .modal')",
            ),
            ("/odoo/contacts?view_type=list", "!!document.querySelector('.o_list_view')"),
            ("/odoo/contacts", "!!document.querySelector('.o_kanban_record')"),
        ):
            with self.subTest(url=url):
                self.browser_js(url, check, ready=ready, login="omni_employee")
