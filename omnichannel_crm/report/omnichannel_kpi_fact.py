# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# The measures summed across rows, and those averaged over the rows where they are set.
SUMMED_MEASURES = (
    "contacts_in",
    "contacts_out",
    "tickets_created",
    "tickets_solved",
    "backlog",
    "csat_count",
    "compensations",
    "compensation_value",
)
# Of the summed measures, the amounts (the others are counts).
AMOUNT_MEASURES = ("compensation_value",)
AVERAGED_MEASURES = (
    "first_response_minutes",
    "resolution_hours",
    "sla_met_pct",
    "csat",
    "fcr_pct",
    "speed_of_answer_seconds",
)
# What the KPI rows are grouped by, apart from the channel (a selection the connectors extend on
# the report, kept as plain text in the totals).
DIMENSIONS = (
    "kind",
    "date",
    "company_id",
    "team_id",
    "user_id",
    "service_level_id",
    "loyalty_tier_id",
    "category_id",
)


class OmnichannelKpiFact(models.AbstractModel):
    """What a KPI row is grouped by and what it measures: shared by the KPI rows
    (`omnichannel.kpi.report`, one per contact, ticket event and finished SLA target) and their
    totals per hour (`omnichannel.kpi.total`), which the pivot reads when it can."""

    _name = "omnichannel.kpi.fact"
    _description = "Customer Service KPI Fact"

    kind = fields.Selection(
        [
            ("contact", "Contact"),
            ("ticket", "Ticket created"),
            ("response", "First response"),
            ("solved", "Ticket solved"),
            ("rating", "Rating"),
            ("sla", "SLA target"),
            ("compensation", "Compensation"),
        ],
        readonly=True,
    )
    date = fields.Datetime(readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    service_level_id = fields.Many2one(
        "omnichannel.service.level", string="Service level", readonly=True
    )
    loyalty_tier_id = fields.Many2one(
        "omnichannel.loyalty.tier", string="Loyalty tier", readonly=True
    )
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    contacts_in = fields.Integer(string="Contacts in", readonly=True)
    contacts_out = fields.Integer(string="Contacts out", readonly=True)
    tickets_created = fields.Integer(string="Tickets created", readonly=True)
    tickets_solved = fields.Integer(string="Tickets solved", readonly=True)
    backlog = fields.Integer(string="Open tickets", readonly=True)
    first_response_minutes = fields.Float(
        string="First response (min)", aggregator="avg", readonly=True
    )
    resolution_hours = fields.Float(string="Resolution (h)", aggregator="avg", readonly=True)
    sla_met_pct = fields.Float(string="SLA met %", aggregator="avg", readonly=True)
    csat = fields.Float(string="CSAT", aggregator="avg", readonly=True)
    csat_count = fields.Integer(string="Ratings", readonly=True)
    fcr_pct = fields.Float(string="First-contact resolution %", aggregator="avg", readonly=True)
    speed_of_answer_seconds = fields.Float(
        string="Speed of answer (s)",
        aggregator="avg",
        readonly=True,
        help="How long customers' answered calls rang, on average.",
    )
    compensations = fields.Integer(readonly=True)
    compensation_value = fields.Float(
        string="Compensation value", readonly=True, help="In the company's currency."
    )
