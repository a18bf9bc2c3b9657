# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omnichannel_default_team_id = fields.Many2one(
        related="company_id.omnichannel_default_team_id",
        readonly=False,
    )
    omnichannel_ticket_window_hours = fields.Integer(
        related="company_id.omnichannel_ticket_window_hours",
        readonly=False,
    )
    omnichannel_quiet_hours = fields.Boolean(
        related="company_id.omnichannel_quiet_hours", readonly=False
    )
    omnichannel_quiet_start = fields.Float(
        related="company_id.omnichannel_quiet_start", readonly=False
    )
    omnichannel_quiet_end = fields.Float(related="company_id.omnichannel_quiet_end", readonly=False)
    omnichannel_inbound_retention_days = fields.Integer(
        string="Keep processed inbound events (days)",
        config_parameter="omnichannel_crm.inbound_retention_days",
        default=30,
        help="Processed webhook deliveries are deleted after this many days; failed ones are kept "
        "until retried.",
    )
    omnichannel_media_max_mb = fields.Integer(
        string="Largest customer file (MB)",
        config_parameter="omnichannel_crm.media_max_mb",
        default=20,
        help="Pictures, voice messages, videos and files that customers send are downloaded from "
        "the platform up to this size; larger ones are noted on the timeline, not downloaded.",
    )
    omnichannel_faq_enabled = fields.Boolean(
        related="company_id.omnichannel_faq_enabled", readonly=False
    )
    omnichannel_faq_threshold = fields.Float(
        related="company_id.omnichannel_faq_threshold", readonly=False
    )
    omnichannel_faq_human_keywords = fields.Char(
        related="company_id.omnichannel_faq_human_keywords", readonly=False
    )
    omnichannel_faq_menu_keywords = fields.Char(
        related="company_id.omnichannel_faq_menu_keywords", readonly=False
    )
    omnichannel_faq_menu_footer = fields.Char(
        related="company_id.omnichannel_faq_menu_footer", readonly=False
    )
    omnichannel_faq_handover_text = fields.Char(
        related="company_id.omnichannel_faq_handover_text", readonly=False
    )
    omnichannel_complaint_keywords = fields.Char(
        related="company_id.omnichannel_complaint_keywords", readonly=False
    )
    omnichannel_csat_scenario_id = fields.Many2one(
        related="company_id.omnichannel_csat_scenario_id", readonly=False
    )
    omnichannel_escalation_team_id = fields.Many2one(
        related="company_id.omnichannel_escalation_team_id", readonly=False
    )
    omnichannel_escalation_days = fields.Integer(
        related="company_id.omnichannel_escalation_days", readonly=False
    )
    omnichannel_complaint_escalation_days = fields.Integer(
        related="company_id.omnichannel_complaint_escalation_days", readonly=False
    )
    # The limits' currency (its own name: accounting defines `currency_id` differently here).
    omnichannel_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Compensation currency"
    )
    omnichannel_compensation_user_limit = fields.Monetary(
        related="company_id.omnichannel_compensation_user_limit",
        currency_field="omnichannel_currency_id",
        readonly=False,
    )
    omnichannel_compensation_manager_limit = fields.Monetary(
        related="company_id.omnichannel_compensation_manager_limit",
        currency_field="omnichannel_currency_id",
        readonly=False,
    )
    omnichannel_churn_threshold = fields.Integer(
        related="company_id.omnichannel_churn_threshold",
        readonly=False,
    )
    omnichannel_target_sla_met_pct = fields.Float(
        related="company_id.omnichannel_target_sla_met_pct", readonly=False
    )
    omnichannel_target_fcr_pct = fields.Float(
        related="company_id.omnichannel_target_fcr_pct", readonly=False
    )
    omnichannel_target_csat = fields.Float(
        related="company_id.omnichannel_target_csat", readonly=False
    )
