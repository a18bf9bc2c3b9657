# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.omnichannel_kpi_target import TARGET_FIELDS


class OmnichannelKpiTargets(models.TransientModel):
    """The KPI targets of a company, for the Omnichannel managers who set them: Settings are for
    administrators only, and managers may not write the company itself."""

    _name = "omnichannel.kpi.targets"
    _description = "KPI Targets"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    sla_met_pct = fields.Float(string="SLA met at least (%)")
    fcr_pct = fields.Float(string="First-contact resolution at least (%)")
    csat = fields.Float(string="CSAT at least (1-5)")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        values.update(company._omnichannel_kpi_targets())
        return values

    @api.onchange("company_id")
    def _onchange_company_id(self):
        self.update(self.company_id._omnichannel_kpi_targets())

    def action_save(self):
        self.ensure_one()
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("You can only set the KPI targets of your own companies."))
        self.company_id.sudo().write(
            {field: self[measure] for measure, field in TARGET_FIELDS.items()}
        )
        return {"type": "ir.actions.act_window_close"}
