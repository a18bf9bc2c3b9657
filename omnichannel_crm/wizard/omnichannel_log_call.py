# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class OmnichannelLogCall(models.TransientModel):
    """Log a phone call on the customer's timeline, from the customer or from a ticket."""

    _name = "omnichannel.log.call"
    _description = "Log a Phone Call"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    ticket_id = fields.Many2one(
        "helpdesk.ticket", domain="[('partner_id', 'child_of', partner_id)]"
    )
    direction = fields.Selection(
        [("inbound", "Incoming call"), ("outbound", "Outgoing call")],
        required=True,
        default="outbound",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    duration = fields.Float(string="Duration (minutes)")
    outcome = fields.Selection(
        selection=lambda self: (
            self.env["omnichannel.interaction"]
            ._fields["call_outcome"]
            ._description_selection(self.env)
        ),
        required=True,
        default="answered",
    )
    notes = fields.Html()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, res_id = self.env.context.get("active_model"), self.env.context.get("active_id")
        if model == "res.partner" and res_id:
            values.setdefault("partner_id", res_id)
        elif model == "helpdesk.ticket" and res_id:
            ticket = self.env["helpdesk.ticket"].browse(res_id)
            values.setdefault("ticket_id", ticket.id)
            values.setdefault("partner_id", ticket.partner_id.id)
        return values

    def _summary(self):
        outcome = dict(self._fields["outcome"]._description_selection(self.env))[self.outcome]
        if self.direction == "inbound":
            return self.env._(
                "Call from %(customer)s: %(outcome)s",
                customer=self.partner_id.name,
                outcome=outcome,
            )
        return self.env._(
            "Call to %(customer)s: %(outcome)s", customer=self.partner_id.name, outcome=outcome
        )

    def action_log_call(self):
        self.ensure_one()
        interaction = self.env["omnichannel.interaction"].create(
            {
                "partner_id": self.partner_id.id,
                "ticket_id": self.ticket_id.id,
                "channel": "phone",
                "direction": self.direction,
                "interaction_type": "call",
                "date": self.date,
                "summary": self._summary(),
                "body": self.notes,
                "call_duration": self.duration,
                "call_outcome": self.outcome,
                "user_id": self.env.user.id,
                "company_id": (self.ticket_id.company_id or self.env.company).id,
                "state": "sent" if self.direction == "outbound" else False,
            }
        )
        interaction._schedule_callbacks()
        return {"type": "ir.actions.act_window_close"}
