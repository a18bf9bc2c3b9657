# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class OmnichannelWechatTemplateField(models.Model):
    """One keyword of a WeChat template message (first, keyword1, thing2, remark...) and what
    fills it."""

    _name = "omnichannel.wechat.template.field"
    _description = "WeChat Template Keyword"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "omnichannel.wechat.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    key = fields.Char(required=True, help="The keyword's name in the template, e.g. keyword1.")
    value = fields.Char(
        required=True, translate=True, help="e.g. {{ object.name }}; rendered on the document."
    )
