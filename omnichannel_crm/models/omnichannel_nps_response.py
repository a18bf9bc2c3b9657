# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import uuid

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Answers that are promoters and detractors, the rest being passives.
PROMOTER_MIN = 9
DETRACTOR_MAX = 6


class OmnichannelNpsResponse(models.Model):
    """One customer's answer to an NPS survey (0 to 10), or the slot waiting for it."""

    _name = "omnichannel.nps.response"
    _description = "NPS Response"
    _order = "id desc"
    _rec_name = "partner_id"

    survey_id = fields.Many2one(
        "omnichannel.nps.survey", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="survey_id.company_id", store=True, index=True)
    access_token = fields.Char(
        required=True, copy=False, index=True, default=lambda self: uuid.uuid4().hex, readonly=True
    )
    score = fields.Integer(default=-1, aggregator="avg", readonly=True)
    answered = fields.Boolean(readonly=True, index=True)
    answer_date = fields.Datetime(readonly=True)
    comment = fields.Text(readonly=True)
    channel = fields.Selection(
        [("link", "Answer page"), ("sms", "SMS"), ("wechat", "WeChat")],
        string="Answered on",
        readonly=True,
    )
    category = fields.Selection(
        [("promoter", "Promoter"), ("passive", "Passive"), ("detractor", "Detractor")],
        compute="_compute_category",
        store=True,
    )
    nps_value = fields.Float(
        string="NPS",
        compute="_compute_category",
        store=True,
        aggregator="avg",
        help="100 for a promoter, 0 for a passive, -100 for a detractor: the average of a group "
        "is its Net Promoter Score.",
    )

    _sql_constraints = [
        ("token_unique", "unique(access_token)", "The survey link is already used."),
    ]

    @api.depends("score", "answered")
    def _compute_category(self):
        for response in self:
            if not response.answered:
                response.category, response.nps_value = False, 0.0
            elif response.score >= PROMOTER_MIN:
                response.category, response.nps_value = "promoter", 100.0
            elif response.score <= DETRACTOR_MAX:
                response.category, response.nps_value = "detractor", -100.0
            else:
                response.category, response.nps_value = "passive", 0.0

    def _answer(self, score, channel, comment=None):
        """Record the customer's score (0-10)."""
        self.ensure_one()
        if not 0 <= score <= 10:
            raise ValidationError(self.env._("A recommendation score goes from 0 to 10."))
        self.sudo().write(
            {
                "score": score,
                "answered": True,
                "answer_date": fields.Datetime.now(),
                "channel": channel,
                "comment": comment or False,
            }
        )

    @api.model
    def _pending_for(self, partner, days=7):
        """The contact's own latest unanswered survey of the last days, if any: each person asked
        answers for themselves, never for a colleague of their company asked at the same time."""
        return self.sudo().search(
            [
                ("partner_id", "=", partner.id),
                ("answered", "=", False),
                ("create_date", ">=", fields.Datetime.subtract(fields.Datetime.now(), days=days)),
            ],
            order="id desc",
            limit=1,
        )
