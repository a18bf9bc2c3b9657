# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user


class OmnichannelUsersMixin:
    """Users of each role, built once per test class."""

    @classmethod
    def _create_omnichannel_users(cls):
        cls.agent = new_test_user(
            cls.env,
            login="omni_agent",
            name="Omnichannel Agent",
            groups="base.group_user,omnichannel_crm.group_omnichannel_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="omni_manager",
            name="Omnichannel Manager",
            groups="base.group_user,omnichannel_crm.group_omnichannel_manager",
        )
        cls.employee = new_test_user(
            cls.env, login="omni_employee", name="Plain Employee", groups="base.group_user"
        )
        cls.settings_admin = new_test_user(
            cls.env,
            login="omni_sysadmin",
            name="Settings Administrator",
            groups="base.group_user,base.group_system,omnichannel_crm.group_omnichannel_manager",
        )
