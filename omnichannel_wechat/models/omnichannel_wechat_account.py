# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# EncodingAESKey: 43 base64 characters (the trailing "=" left out), as the WeChat console makes it.
ENCODING_AES_KEY_RE = re.compile(r"^[A-Za-z0-9+/]{43}$")


class OmnichannelWechatAccount(models.Model):
    _name = "omnichannel.wechat.account"
    _description = "WeChat Official Account"
    _order = "company_id, name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    app_id = fields.Char(string="AppID", required=True)
    # Credentials: only Settings administrators read or write them.
    app_secret = fields.Char(string="AppSecret", groups="base.group_system")
    token = fields.Char(
        groups="base.group_system",
        help="The Token entered in the WeChat console (server configuration).",
    )
    encoding_aes_key = fields.Char(
        string="EncodingAESKey",
        groups="base.group_system",
        help="43-character key from the WeChat console, used in compatible and safe modes.",
    )
    message_mode = fields.Selection(
        [
            ("plain", "Plain text"),
            ("compatible", "Compatible"),
            ("safe", "Safe (encrypted)"),
        ],
        string="Message encryption",
        required=True,
        default="plain",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Helpdesk team",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Team that receives tickets from this account; the company's default team when empty.",
    )
    callback_url = fields.Char(
        string="Callback URL",
        compute="_compute_callback_url",
        help="Copy this URL into the WeChat console "
        "(Settings and Development › Basic configuration).",
    )

    _sql_constraints = [
        ("app_id_company_uniq", "unique(app_id, company_id)", "This AppID is already configured."),
    ]

    @api.depends_context("uid")
    def _compute_callback_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            account.callback_url = (
                f"{base_url}/omnichannel/wechat/{account.id}" if account.id else False
            )

    @api.constrains("encoding_aes_key", "message_mode")
    def _check_encoding_aes_key(self):
        for account in self.sudo():
            key = account.encoding_aes_key
            if key and not ENCODING_AES_KEY_RE.match(key):
                raise ValidationError(
                    _(
                        "The EncodingAESKey of %(account)s must be the 43 letters and digits shown "
                        "in the WeChat console.",
                        account=account.name,
                    )
                )
            if account.message_mode != "plain" and not key:
                raise ValidationError(
                    _(
                        "%(account)s uses encrypted messages: enter its EncodingAESKey, or choose "
                        "plain text mode.",
                        account=account.name,
                    )
                )
