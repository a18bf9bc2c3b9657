# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Omnichannel SMS",
    "summary": "Send Odoo's SMS through Twilio, Aliyun, Tencent Cloud or any HTTP gateway",
    "version": "18.0.1.1.0",
    "category": "Services/Helpdesk",
    "website": "https://github.com/omnichannel-odoo/omnichannel",
    "author": "Omnichannel for Odoo contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "maintainers": ["omnichannel-odoo"],
    "depends": ["omnichannel_crm", "sms"],
    "external_dependencies": {"python": ["phonenumbers", "requests"]},
    "data": [
        "security/omnichannel_sms_security.xml",
        "security/ir.model.access.csv",
        "data/omnichannel_sms_data.xml",
        "views/omnichannel_sms_provider_views.xml",
        "views/res_config_settings_views.xml",
        "views/omnichannel_scenario_views.xml",
    ],
    "demo": ["demo/omnichannel_sms_demo.xml"],
    "installable": True,
}
