# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.safe_eval import safe_eval


class OmnichannelNpsSurvey(models.Model):
    """A Net Promoter Score survey run on a schedule for a segment of customers: "how likely are
    you to recommend us, from 0 to 10?", sent through a notification scenario whose templates
    link to the customer's answer page (or take a number in reply by SMS or WeChat)."""

    _name = "omnichannel.nps.survey"
    _description = "NPS Survey"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    scenario_id = fields.Many2one(
        "omnichannel.scenario",
        required=True,
        domain="['|', ('model_id', '=', False), ('model_id.model', '=', 'res.partner')]",
        help="How the survey reaches each customer; its templates use "
        "{{ object._omnichannel_nps_url() }} for the answer page.",
    )
    segment_domain = fields.Char(
        string="Segment",
        default="[('omnichannel_lifecycle_stage', '!=', False)]",
        help="The customers surveyed.",
    )
    interval_days = fields.Integer(
        string="Every (days)",
        default=90,
        help="How often the survey runs; a customer is asked at most once per interval.",
    )
    next_date = fields.Datetime(
        string="Next run", default=fields.Datetime.now, required=True, index=True
    )
    response_ids = fields.One2many("omnichannel.nps.response", "survey_id", string="Responses")
    nps = fields.Float(
        string="NPS", compute="_compute_nps", help="% promoters minus % detractors, -100 to 100."
    )

    _sql_constraints = [
        ("interval_positive", "CHECK(interval_days > 0)", "The interval is at least one day."),
    ]

    def _compute_nps(self):
        scores = dict(
            self.env["omnichannel.nps.response"]._read_group(
                [("survey_id", "in", self.ids), ("score", ">=", 0), ("answered", "=", True)],
                ["survey_id"],
                ["nps_value:avg"],
            )
        )
        for survey in self:
            survey.nps = scores.get(survey, 0.0)

    def _segment(self):
        """The segment's customers not asked within the interval."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(days=self.interval_days)
        recent = (
            self.env["omnichannel.nps.response"]
            .search([("survey_id", "=", self.id), ("create_date", ">=", since)])
            .partner_id
        )
        partners = self.env["res.partner"].search(safe_eval(self.segment_domain or "[]"))
        return partners - recent

    def action_run(self):
        """Ask the segment now: one response slot (its token is the link) per customer."""
        for survey in self:
            partners = survey._segment()
            self.env["omnichannel.nps.response"].create(
                [{"survey_id": survey.id, "partner_id": partner.id} for partner in partners]
            )
            self.env["omnichannel.notification"].with_company(survey.company_id).notify(
                partners, survey.scenario_id
            )
            survey.next_date = fields.Datetime.now() + timedelta(days=survey.interval_days)
        return True

    @api.model
    def _cron_run(self):
        self.search([("next_date", "<=", fields.Datetime.now())]).action_run()

    def action_view_responses(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omnichannel_crm.action_omnichannel_nps_response"
        )
        action["domain"] = [("survey_id", "=", self.id)]
        return action
