# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class OmnichannelWechatTemplate(models.Model):
    """What a notification says on WeChat: a customer-service text while the customer's 48-hour
    window is open, else the Official Account's approved template message, its keywords filled from
    the document."""

    _name = "omnichannel.wechat.template"
    _description = "WeChat Notification Template"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    account_id = fields.Many2one("omnichannel.wechat.account", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    model_id = fields.Many2one(
        "ir.model",
        string="Applies to",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.ref("base.model_res_partner"),
        domain=[("transient", "=", False)],
    )
    model = fields.Char(related="model_id.model", string="Model name")
    text = fields.Text(
        string="Customer-service message",
        translate=True,
        help="Sent while the customer wrote within 48 hours, e.g. "
        "Dear {{ object.name }}, your flight now leaves at 18:40.",
    )
    wechat_template_id = fields.Char(
        string="Template ID",
        help="ID of the template message approved in the Official Account's back office, used "
        "outside the 48-hour window.",
    )
    url = fields.Char(string="Link", help="Page the template message opens; may use {{ object }}.")
    field_ids = fields.One2many(
        "omnichannel.wechat.template.field", "template_id", string="Keywords", copy=True
    )

    def _render(self, text, res_ids):
        """{res_id: text rendered on the document} (inline template, like Odoo's SMS templates)."""
        return self.env["mail.render.mixin"]._render_template(
            text or "", self.model, res_ids, engine="inline_template"
        )

    def _payloads(self, res_ids):
        """{res_id: (text, template data)} rendered in the current language."""
        texts = self._render(self.text, res_ids) if self.text else {}
        urls = self._render(self.url, res_ids) if self.url else {}
        values = {field: self._render(field.value, res_ids) for field in self.field_ids}
        return {
            res_id: (
                texts.get(res_id),
                {
                    "template_id": self.wechat_template_id,
                    "url": urls.get(res_id) or "",
                    "data": {
                        field.key: {"value": values[field][res_id]} for field in self.field_ids
                    },
                }
                if self.wechat_template_id
                else None,
            )
            for res_id in res_ids
        }
