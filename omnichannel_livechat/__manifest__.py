# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Omnichannel Live Chat",
    "summary": "Odoo live chat sessions on the customer timeline and helpdesk tickets",
    "version": "18.0.1.1.0",
    "category": "Services/Helpdesk",
    "website": "https://github.com/omnichannel-odoo/omnichannel",
    "author": "Omnichannel for Odoo contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "maintainers": ["omnichannel-odoo"],
    "depends": ["omnichannel_crm", "im_livechat"],
    "data": [
        "security/ir_rule.xml",
        "data/helpdesk_sla_data.xml",
        "views/discuss_channel_views.xml",
    ],
    "demo": ["demo/omnichannel_livechat_demo.xml"],
    "assets": {
        "web.assets_backend": ["omnichannel_livechat/static/src/**/*"],
        "web.assets_tests": ["omnichannel_livechat/static/tests/tours/**/*"],
    },
    "auto_install": True,
    "installable": True,
}
