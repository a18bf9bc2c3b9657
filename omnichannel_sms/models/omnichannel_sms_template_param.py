# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class OmnichannelSmsTemplateParam(models.Model):
    _name = "omnichannel.sms.template.param"
    _description = "Parameter of an Approved SMS Template"
    _order = "sequence, id"

    template_code_id = fields.Many2one(
        "omnichannel.sms.template.code", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(
        required=True,
        help="Parameter name in the approved template, e.g. customer for ${customer}.",
    )
    value = fields.Char(
        required=True,
        help="What fills it, rendered on the document: e.g. {{ object.partner_id.name }}.",
    )
