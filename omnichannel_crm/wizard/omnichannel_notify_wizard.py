# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.safe_eval import safe_eval


class OmnichannelNotifyWizard(models.TransientModel):
    """Notify the customers selected in a list (or every customer matching its filters) in a
    scenario, in the background."""

    _name = "omnichannel.notify.wizard"
    _description = "Notify Customers"

    scenario_id = fields.Many2one(
        "omnichannel.scenario",
        required=True,
        domain="['|', ('model_id', '=', False), ('model_id.model', '=', 'res.partner')]",
    )
    name = fields.Char(string="Title", required=True, default=lambda self: self._default_name())
    partner_domain = fields.Char(
        string="Segment",
        help="Notify every customer matching this filter instead of the selected ones.",
    )
    partner_ids = fields.Many2many("res.partner", string="Customers")
    recipient_count = fields.Integer(compute="_compute_recipient_count", string="Recipients")

    @api.model
    def _default_name(self):
        return self.env._("Bulk notification of %(date)s", date=fields.Date.context_today(self))

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [Command.set(self.env.context.get("active_ids") or [])]
        return values

    def _recipient_ids(self):
        if self.partner_domain:
            return self.env["res.partner"].search(safe_eval(self.partner_domain)).ids
        return self.partner_ids.ids

    @api.depends("partner_domain", "partner_ids")
    def _compute_recipient_count(self):
        for wizard in self:
            wizard.recipient_count = (
                self.env["res.partner"].search_count(safe_eval(wizard.partner_domain))
                if wizard.partner_domain
                else len(wizard.partner_ids)
            )

    def action_send(self):
        self.ensure_one()
        recipient_ids = self._recipient_ids()
        if not recipient_ids:
            raise UserError(self.env._("Select the customers to notify."))
        batch = self.env["omnichannel.notification.batch"].create(
            {"name": self.name, "scenario_id": self.scenario_id.id}
        )
        batch._add_recipients(recipient_ids)
        batch.action_start()
        return {
            "type": "ir.actions.act_window",
            "res_model": "omnichannel.notification.batch",
            "res_id": batch.id,
            "view_mode": "form",
            "target": "current",
        }
