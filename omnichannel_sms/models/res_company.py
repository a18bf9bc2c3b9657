# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..tools.keywords import DEFAULT_OPT_IN, DEFAULT_OPT_OUT


class ResCompany(models.Model):
    _inherit = "res.company"

    omnichannel_sms_opt_out_keywords = fields.Char(
        string="SMS opt-out keywords",
        default=DEFAULT_OPT_OUT,
        help="Comma-separated. An inbound SMS that is one of these words unsubscribes its number.",
    )
    omnichannel_sms_opt_in_keywords = fields.Char(
        string="SMS opt-in keywords",
        default=DEFAULT_OPT_IN,
        help="Comma-separated. An inbound SMS that is one of these words subscribes its number again.",
    )
    omnichannel_sms_opt_out_reply = fields.Char(
        string="SMS opt-out confirmation",
        translate=True,
        default=lambda self: self.env._(
            "You are unsubscribed and will receive no more messages. Reply START to subscribe again."
        ),
    )
