# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Omnichannel Customer Communication",
    "summary": "One customer timeline, identities, service levels and loyalty tiers "
    "across phone, WeChat, email, SMS and helpdesk tickets",
    "version": "18.0.1.0.0",
    "category": "Services/Helpdesk",
    "website": "https://github.com/omnichannel-odoo/omnichannel",
    "author": "Omnichannel for Odoo contributors",
    "license": "AGPL-3",
    # contacts/mail: the customer and the timeline; helpdesk_mgmt(_sla): tickets and their SLAs;
    # phone_validation: E.164 identities; base_automation: event-triggered flows; loyalty: tiers;
    # rating: CSAT on tickets; digest: KPI digests by email; spreadsheet_dashboard: the KPI
    # dashboard; resource: customers' contact windows.
    "depends": [
        "contacts",
        "mail",
        "helpdesk_mgmt",
        "helpdesk_mgmt_sla",
        "phone_validation",
        "base_automation",
        "loyalty",
        "rating",
        "digest",
        "spreadsheet_dashboard",
        "resource",
    ],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/omnichannel_security.xml",
        "security/ir.model.access.csv",
        "data/helpdesk_ticket_channel_data.xml",
        "data/ir_cron_data.xml",
        "data/omnichannel_sla_data.xml",
        "data/digest_data.xml",
        "data/omnichannel_scenario_data.xml",
        "data/service_quality_data.xml",
        "wizard/omnichannel_log_call_views.xml",
        "views/omnichannel_interaction_views.xml",
        "views/omnichannel_identity_views.xml",
        "views/omnichannel_phone_integration_views.xml",
        "views/omnichannel_loyalty_tier_views.xml",
        "views/omnichannel_service_level_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_config_settings_views.xml",
        "views/digest_views.xml",
        "views/omnichannel_scenario_views.xml",
        "views/omnichannel_notification_views.xml",
        "views/res_partner_views.xml",
        "views/omnichannel_faq_views.xml",
        "views/service_quality_views.xml",
        "views/omnichannel_nps_views.xml",
        "views/rating_templates.xml",
        "views/omnichannel_menus.xml",
        "report/omnichannel_kpi_report_views.xml",
        "views/service_quality_menus.xml",
        # after the Reporting menu, which it adds to
        "views/omnichannel_churn_views.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "assets": {
        "web.assets_tests": ["omnichannel_crm/static/tests/tours/**/*"],
    },
    "demo": [
        "demo/omnichannel_demo.xml",
        "demo/omnichannel_loyalty_demo.xml",
        "demo/omnichannel_notification_demo.xml",
        "demo/service_quality_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "application": True,
    "installable": True,
}
