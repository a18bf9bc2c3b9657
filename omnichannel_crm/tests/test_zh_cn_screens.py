# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import OmnichannelUsersMixin

# Catalogues whose English terms must not show on a Chinese screen: ours and the OCA helpdesk's.
CATALOGUES = (
    "omnichannel_crm",
    "omnichannel_sms",
    "omnichannel_wechat",
    "helpdesk_mgmt",
    "helpdesk_mgmt_sla",
)
# Names and abbreviations that stay as they are in Chinese.
ALLOWED = {"WeChat", "SLA", "KPI", "NPS", "VIP", "RFM", "ID", "CSAT", "SMS", "Odoo", "Email"}
# What a user reads as a label: menus, field labels, column headers, tabs, buttons, badges,
# stage names, breadcrumbs, search filters and facets, settings titles.
LABEL_SELECTORS = ", ".join(
    (
        ".o_main_navbar .o_menu_brand",
        ".o_main_navbar .o_menu_sections .dropdown-toggle",
        ".o_main_navbar .o_menu_sections > a",
        ".o_control_panel .breadcrumb-item",
        ".o_control_panel .o_last_breadcrumb_item",
        ".o_control_panel .o_searchview_facet .o_facet_value",
        ".o_form_label",
        ".o_list_table thead th",
        ".o_notebook .nav-link",
        ".o_statusbar_status button",
        ".o_statusbar_buttons button",
        ".o_field_badge",
        ".o_field_selection",
        ".o_kanban_header_title",
        ".o_setting_box .o_form_label",
        ".o_settings_container h2, .o_setting_container h2, .app_settings_block h2",
        ".o_pivot .o_pivot_header_cell_opened, .o_pivot .o_pivot_header_cell_closed",
        ".o_pivot .o_pivot_measure_row",
        ".alert",
        ".o_search_panel_section_header",
        ".o_search_panel_label_title",
    )
)
# Runs in the page once it is ready: every visible label that is an English source term fails.
CHECK = """
const english = new Set(%(english)s);
const allowed = new Set(%(allowed)s);
const found = new Set();
for (const node of document.querySelectorAll(%(selectors)s)) {
    if (!node.offsetParent) continue;
    for (const text of [node.innerText.trim(), ...node.innerText.split("\\n")]) {
        const label = text.trim().replace(/[:?]$/, "").trim();
        if (label && english.has(label) && !allowed.has(label)) found.add(label);
    }
}
if (found.size) {
    console.error("English on the zh_CN screen %(screen)s: " + [...found].sort().join(" | "));
} else {
    console.log("test successful");
}
"""


@tagged("post_install", "-at_install")
class TestChineseScreens(OmnichannelUsersMixin, HttpCase):
    """A Chinese agent and manager open the main screens in a browser: no label is left in English
    where a Chinese translation belongs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        modules = cls.env["ir.module.module"].search([("state", "=", "installed")])
        modules._load_module_terms(modules.mapped("name"), ["zh_CN"])
        cls._create_omnichannel_users()
        (cls.agent | cls.manager).write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.admin_zh = new_test_user(
            cls.env,
            login="omni_admin_zh",
            groups="base.group_user,base.group_system,omnichannel_crm.group_omnichannel_manager",
            lang="zh_CN",
        )
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.customer = cls.env["res.partner"].create(
            {"name": "张伟", "mobile": "+8613600136000", "email": "zhang.wei@example.com"}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "三亚机场接送",
                "description": "<p>司机在哪里？</p>",
                "partner_id": cls.customer.id,
                "channel_id": cls.env.ref("omnichannel_crm.helpdesk_ticket_channel_wechat").id,
            }
        )
        english = set()
        for module in CATALOGUES:
            template = Path(get_module_path(module)) / "i18n" / f"{module}.pot"
            english |= {entry.msgid.strip() for entry in polib.pofile(str(template))}
        cls.english = sorted(term for term in english if term and len(term) < 80)

    def _check(self, screen, url, ready, login):
        code = CHECK % {
            "english": json.dumps(self.english),
            "allowed": json.dumps(sorted(ALLOWED)),
            "selectors": json.dumps(LABEL_SELECTORS),
            "screen": screen,
        }
        self.browser_js(url, code, ready=ready, login=login, timeout=120)

    def test_agent_screens_are_in_chinese(self):
        for screen, url, ready in (
            (
                "timeline",
                "/odoo/action-omnichannel_crm.action_omnichannel_interaction",
                "!!document.querySelector('.o_list_view .o_data_row, .o_view_nocontent')",
            ),
            (
                "ticket list",
                "/odoo/action-helpdesk_mgmt.helpdesk_ticket_action?view_type=list",
                "!!document.querySelector('.o_list_view .o_data_row')",
            ),
            (
                "ticket form",
                f"/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/{self.ticket.id}",
                "!!document.querySelector('.o_form_view .o_notebook')",
            ),
            (
                "contact form",
                f"/odoo/contacts/{self.customer.id}",
                "!!document.querySelector('.o_form_view .o_notebook')",
            ),
        ):
            with self.subTest(screen=screen):
                self._check(screen, url, ready, "omni_agent")

    def test_manager_screens_are_in_chinese(self):
        for screen, url, ready, login in (
            (
                "KPI report",
                "/odoo/action-omnichannel_crm.action_omnichannel_kpi_report",
                "!!document.querySelector('.o_pivot, .o_view_nocontent')",
                "omni_manager",
            ),
            (
                "KPI dashboard",
                "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
                "!!document.querySelector('.o_spreadsheet_dashboard_action .o-grid')",
                "omni_manager",
            ),
            (
                "settings",
                "/odoo/settings#omnichannel_crm",
                "!!document.querySelector('.o_setting_box, .o_setting_container')",
                "omni_admin_zh",
            ),
        ):
            with self.subTest(screen=screen):
                self._check(screen, url, ready, login)


@tagged("post_install", "-at_install")
class TestGeneratedTextsLanguage(OmnichannelUsersMixin, TransactionCase):
    """What the product writes for agents is in their company's language, and to-dos in their
    user's, whatever the language of the job or webhook that writes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env.company.partner_id.lang = "zh_CN"
        cls._create_omnichannel_users()
        cls.agent.lang = "zh_CN"
        cls.customer = cls.env["res.partner"].create({"name": "张伟"})
        # The webhook or job writes in English.
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))

    def test_ticket_events_are_in_the_company_language(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "接送", "description": "<p>?</p>", "partner_id": self.customer.id}
        )
        event = self.env["omnichannel.interaction"].search(
            [("ticket_id", "=", ticket.id), ("interaction_type", "=", "event")]
        )
        self.assertEqual(event.summary, f"工单已创建：{ticket.display_name}")

    def test_tier_changes_are_in_the_company_language(self):
        program = self.env["loyalty.program"].create({"name": "Club", "program_type": "loyalty"})
        tier = self.env["omnichannel.loyalty.tier"].create(
            {"name": "Gold", "program_id": program.id, "min_points": 10}
        )
        tier.with_context(lang="zh_CN").name = "金卡"
        card = self.env["loyalty.card"].create(
            {"program_id": program.id, "partner_id": self.customer.id, "points": 20}
        )
        self.env["loyalty.history"].create({"card_id": card.id, "description": "x", "issued": 20})
        self.env["omnichannel.loyalty.tier"]._recompute_program(program)
        event = self.env["omnichannel.interaction"].search(
            [("partner_id", "=", self.customer.id), ("interaction_type", "=", "event")]
        )
        self.assertEqual(event.summary, "升级为 金卡")

    def test_a_to_do_is_in_its_user_language(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "接送",
                "description": "<p>?</p>",
                "partner_id": self.customer.id,
                "user_id": self.agent.id,
            }
        )
        ticket._omnichannel_sla_at_risk()
        self.assertEqual(ticket.activity_ids.summary, "SLA 有风险：请回复客户")
