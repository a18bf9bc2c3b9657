# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class OmnichannelSmsTemplateCode(models.Model):
    """Aliyun and Tencent send only templates approved in their console: which approved template
    an Odoo SMS template is sent as, and how its parameters are filled."""

    _name = "omnichannel.sms.template.code"
    _description = "Approved SMS Template of a Provider"
    _rec_name = "template_code"

    provider_id = fields.Many2one(
        "omnichannel.sms.provider", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="provider_id.company_id", store=True)
    sms_template_id = fields.Many2one(
        "sms.template", string="Odoo SMS template", required=True, ondelete="cascade"
    )
    template_code = fields.Char(
        string="Approved template",
        required=True,
        help="Aliyun TemplateCode (SMS_123456789) or Tencent TemplateId (1234567).",
    )
    param_ids = fields.One2many(
        "omnichannel.sms.template.param",
        "template_code_id",
        string="Parameters",
        copy=True,
        help="In the order of the approved template (Tencent's parameters are positional).",
    )

    _sql_constraints = [
        (
            "provider_template_uniq",
            "unique(provider_id, sms_template_id)",
            "This Odoo SMS template is already mapped on this provider.",
        ),
    ]

    def _render_params(self, model, res_id):
        """The parameters' values for the record the SMS is about, in order."""
        self.ensure_one()
        if self.param_ids and not (model and res_id):
            raise UserError(
                self.env._(
                    "Template %(code)s needs the document the SMS is about to fill its parameters.",
                    code=self.template_code,
                )
            )
        Render = self.env["mail.render.mixin"]
        return {
            param.name: Render._render_template(param.value or "", model, [res_id])[res_id]
            for param in self.param_ids.sorted("sequence")
        }
