# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class OmnichannelCompensationWizard(models.TransientModel):
    """Grant a customer a coupon or loyalty points from their ticket, with a reason. The grant
    itself (`omnichannel.compensation`) checks the agent's limit and does the rest."""

    _name = "omnichannel.compensation.wizard"
    _description = "Grant a Compensation"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    partner_id = fields.Many2one(related="ticket_id.commercial_partner_id", string="Customer")
    company_id = fields.Many2one(related="ticket_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    program_id = fields.Many2one(
        "loyalty.program",
        required=True,
        domain="[('program_type', 'in', ['coupons', 'loyalty']), ('omnichannel_point_value', '>', 0),"
        " ('company_id', 'in', [company_id, False])]",
        help="A coupon program gives the customer a new coupon with these points; a loyalty "
        "program adds them to the customer's card.",
    )
    program_type = fields.Selection(related="program_id.program_type")
    points = fields.Float(required=True, default=1.0)
    value = fields.Monetary(compute="_compute_value")
    limit = fields.Monetary(
        string="Your limit",
        compute="_compute_limit",
        help="The most you may grant at once (0: no limit), set in Settings per role.",
    )
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "helpdesk.ticket":
            values.setdefault("ticket_id", self.env.context.get("active_id"))
        return values

    @api.depends("program_id", "points", "company_id")
    def _compute_value(self):
        Compensation = self.env["omnichannel.compensation"]
        for wizard in self:
            wizard.value = (
                wizard.points * Compensation._point_value(wizard.program_id, wizard.company_id)
                if wizard.program_id and wizard.company_id
                else 0.0
            )

    @api.depends("company_id")
    def _compute_limit(self):
        for wizard in self:
            wizard.limit = self.env["omnichannel.compensation"]._grant_limit(wizard.company_id)

    def action_grant(self):
        self.ensure_one()
        self.env["omnichannel.compensation"].create(
            {
                "ticket_id": self.ticket_id.id,
                "program_id": self.program_id.id,
                "points": self.points,
                "reason": self.reason,
            }
        )
        return {"type": "ir.actions.act_window_close"}
