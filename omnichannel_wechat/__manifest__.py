# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Omnichannel WeChat",
    "summary": "WeChat Official Account and WeCom customer service (微信客服) messages on the "
    "customer timeline, agent replies from Odoo",
    "version": "18.0.1.3.0",
    "category": "Services/Helpdesk",
    "website": "https://github.com/omnichannel-odoo/omnichannel",
    "author": "Omnichannel for Odoo contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "maintainers": ["omnichannel-odoo"],
    "depends": ["omnichannel_crm"],
    "external_dependencies": {"python": ["cryptography", "defusedxml", "requests"]},
    "data": [
        "security/omnichannel_wechat_security.xml",
        "security/ir.model.access.csv",
        "data/helpdesk_ticket_channel_data.xml",
        "data/helpdesk_sla_data.xml",
        "data/ir_cron_data.xml",
        "views/omnichannel_wechat_account_views.xml",
        "views/omnichannel_wechat_template_views.xml",
        "views/omnichannel_wecom_account_views.xml",
        "views/omnichannel_interaction_views.xml",
    ],
    "demo": ["demo/omnichannel_wechat_demo.xml"],
    "assets": {"web.assets_tests": ["omnichannel_wechat/static/tests/tours/**/*"]},
    "installable": True,
}
