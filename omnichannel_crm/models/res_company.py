# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .omnichannel_kpi_target import TARGET_FIELDS


class ResCompany(models.Model):
    _inherit = "res.company"

    omnichannel_default_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Default Omnichannel Team",
        domain="[('company_id', 'in', [id, False])]",
        help="Helpdesk team that receives tickets from channels that have no team of their own.",
    )
    omnichannel_ticket_window_hours = fields.Integer(
        string="Ticket window (hours)",
        default=72,
        help="A new contact joins the customer's open ticket on the same channel when that ticket had a "
        "contact within this many hours; otherwise it opens a new ticket. 0 always opens a new one.",
    )
    omnichannel_quiet_hours = fields.Boolean(
        string="Quiet hours",
        default=True,
        help="Customers are not notified in these hours (in their timezone), except by urgent "
        "scenarios; a notification waits for the end of the quiet hours.",
    )
    omnichannel_quiet_start = fields.Float(string="Quiet from", default=21.0)
    omnichannel_quiet_end = fields.Float(string="Quiet until", default=8.0)
    omnichannel_faq_enabled = fields.Boolean(
        string="Automatic answers",
        default=True,
        help="Common questions on WeChat, SMS and chat are answered at once from the FAQ.",
    )
    omnichannel_faq_threshold = fields.Float(
        string="Question match",
        default=0.6,
        help="How close (0 to 1) a message must be to a question to get its answer when none of "
        "its keywords appears.",
    )
    omnichannel_faq_human_keywords = fields.Char(
        string="Talk to a person",
        default="人工, 转人工, 人工客服, 真人, agent, human, operator",
        help="A message with one of these hands the customer over to an agent.",
    )
    omnichannel_faq_menu_keywords = fields.Char(
        string="Menu keywords",
        default="菜单, 帮助, menu, help",
        help="A message with one of these (or a number) gets the numbered menu of questions.",
    )
    omnichannel_faq_menu_footer = fields.Char(
        string="Menu footer",
        translate=True,
        help="Empty: the standard footer, in the customer's language.",
    )
    omnichannel_faq_handover_text = fields.Char(
        string="Handover answer",
        translate=True,
        help="Empty: the standard answer, in the customer's language.",
    )
    omnichannel_complaint_keywords = fields.Char(
        string="Complaint keywords",
        # Words of anger, not of requests: asking for a refund is a refund request.
        default="投诉, 差评, 太差, 生气, 愤怒, 骗子, 垃圾, 举报, 不满意, 欺骗, complaint, "
        "angry, terrible, awful, unacceptable, scam, lawyer, disgusted",
        help="A customer's message with one of these raises the ticket's priority and flags it "
        "as a complaint.",
    )
    omnichannel_csat_scenario_id = fields.Many2one(
        "omnichannel.scenario",
        string="Satisfaction survey",
        help="Scenario of the rating request sent when a ticket is solved; empty sends none.",
    )
    omnichannel_escalation_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Escalation team",
        help="Cross-department team that gets a ticket when a customer rates us low twice or "
        "complains on two tickets.",
    )
    omnichannel_escalation_days = fields.Integer(
        string="Escalation window (days)",
        default=90,
        help="Two ratings below 4 from one customer within this many days open an escalation.",
    )
    omnichannel_complaint_escalation_days = fields.Integer(
        string="Complaint escalation window (days)",
        default=30,
        help="One customer's complaints on two tickets within this many days open an escalation.",
    )
    omnichannel_churn_threshold = fields.Integer(
        string="Churn alert threshold",
        default=60,
        help="A customer whose churn risk (0 to 100) reaches this is at risk of churn: their "
        "account manager gets a retention to-do.",
    )
    omnichannel_compensation_user_limit = fields.Monetary(
        string="Compensation limit for agents",
        currency_field="currency_id",
        default=200.0,
        help="The highest value an Omnichannel user may grant a customer at once from a ticket; "
        "0: no limit.",
    )
    omnichannel_compensation_manager_limit = fields.Monetary(
        string="Compensation limit for managers",
        currency_field="currency_id",
        help="The highest value an Omnichannel manager may grant a customer at once from a "
        "ticket; 0: no limit.",
    )

    # The targets the KPIs are shown against, from the customers' own service promises.
    omnichannel_target_sla_met_pct = fields.Float(
        string="SLA met target (%)",
        default=90.0,
        aggregator="avg",
        help="The share of SLA targets met that a channel should reach.",
    )
    omnichannel_target_fcr_pct = fields.Float(
        string="First-contact resolution target (%)",
        default=80.0,
        aggregator="avg",
        help="The share of solved tickets whose customer did not contact us again within 7 days.",
    )
    omnichannel_target_csat = fields.Float(
        string="CSAT target (1-5)",
        default=4.5,
        aggregator="avg",
        help="The average rating, out of 5, that a channel should reach.",
    )

    _sql_constraints = [
        (
            "omnichannel_churn_threshold_range",
            "CHECK(omnichannel_churn_threshold BETWEEN 1 AND 100)",
            "The churn alert threshold is between 1 and 100.",
        ),
        (
            "omnichannel_target_pct_range",
            "CHECK(omnichannel_target_sla_met_pct BETWEEN 0 AND 100"
            " AND omnichannel_target_fcr_pct BETWEEN 0 AND 100)",
            "The SLA met and first-contact resolution targets are percentages, 0 to 100.",
        ),
        (
            "omnichannel_target_csat_range",
            "CHECK(omnichannel_target_csat BETWEEN 1 AND 5)",
            "The CSAT target is a rating, 1 to 5.",
        ),
    ]

    def _omnichannel_kpi_targets(self):
        """{KPI report measure: this company's target}."""
        self.ensure_one()
        return {measure: self[field] for measure, field in TARGET_FIELDS.items()}

    def _omnichannel_lang(self):
        """The language the company's agents work in: what the product writes for them (timeline
        events, ticket notes) is written in it, whatever the language of the job or webhook that
        writes it."""
        company = self[:1] or self.env.company
        # The two columns alone: every webhook asks, and loading the whole company and partner
        # records took more of a callback's time than storing its event.
        company.fetch(["partner_id"])
        company.partner_id.fetch(["lang"])
        return company.partner_id.lang or self.env.lang or "en_US"

    def _omnichannel_agents_env(self):
        """The environment to write in for the company's agents (see _omnichannel_lang)."""
        return self.env(context=dict(self.env.context, lang=self._omnichannel_lang()))

    def write(self, vals):
        # The FAQ answers from an index cached per worker, which includes these settings.
        if set(vals) & set(self.env["omnichannel.faq"].INDEX_COMPANY_FIELDS):
            self.env.registry.clear_cache()
        return super().write(vals)
