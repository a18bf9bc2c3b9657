# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from ..tools import crypto, signature
from ..tools.client import DEFAULT_API_BASE, WechatApiError, WechatClient

# Tokens are refreshed this long before WeChat says they expire.
TOKEN_MARGIN = timedelta(minutes=5)


class OmnichannelWechatAccount(models.Model):
    _name = "omnichannel.wechat.account"
    _inherit = "omnichannel.wechat.token.mixin"
    _description = "WeChat Official Account"
    _order = "company_id, name, id"
    _callback_route = "/omnichannel/wechat"
    _secret_fields = ("app_secret", "access_token", "token", "encoding_aes_key")

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    app_id = fields.Char(string="AppID", required=True)
    # Credentials: only Settings administrators read or write them.
    app_secret = fields.Char(string="AppSecret", groups="base.group_system")
    # Generated for a new account, to copy into the WeChat console (or replaced by the console's):
    # an account never waits for callbacks without them.
    token = fields.Char(
        groups="base.group_system",
        copy=False,
        default=lambda self: signature.new_token(),
        help="The Token of the WeChat console's server configuration: it signs every callback.",
    )
    encoding_aes_key = fields.Char(
        string="EncodingAESKey",
        groups="base.group_system",
        copy=False,
        default=lambda self: crypto.new_encoding_aes_key(),
        help="43-character key of the WeChat console's server configuration, used in compatible "
        "and safe modes.",
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
    timestamp_tolerance = fields.Integer(
        string="Timestamp tolerance (seconds)",
        default=300,
        help="Callbacks signed longer ago than this are refused (replays).",
    )
    welcome_message = fields.Text(
        translate=True, help="Answered at once to a user who follows the account."
    )
    callback_url = fields.Char(
        string="Callback URL",
        compute="_compute_callback_url",
        help="Copy this URL into the WeChat console (Settings and Development › Basic configuration).",
    )
    reply_template_id = fields.Many2one(
        "omnichannel.wechat.template",
        string="Template for late replies",
        domain="[('account_id', '=', id), ('model', '=', 'helpdesk.ticket'), "
        "('wechat_template_id', '!=', False)]",
        help="An agent's reply after the customer's 48-hour window goes out as this approved "
        "template message, rendered on the ticket, the reply's text in the keyword below. Without "
        "one, the reply goes on the customer's next channel (email, SMS).",
    )
    reply_keyword = fields.Char(
        string="Keyword of the reply",
        default="keyword2",
        help="The keyword of the template that carries the agent's reply.",
    )

    _sql_constraints = [
        ("app_id_company_uniq", "unique(app_id, company_id)", "This AppID is already configured."),
    ]

    @api.constrains("active", "token", "encoding_aes_key", "message_mode")
    def _check_encoding_aes_key(self):
        self._check_callback_secrets(self.env._("the WeChat console"))
        for account in self.sudo():
            if account.message_mode != "plain" and not account.encoding_aes_key:
                raise ValidationError(
                    self.env._(
                        "%(account)s uses encrypted messages: enter its EncodingAESKey, or choose "
                        "plain text mode.",
                        account=account.name,
                    )
                )

    # ----------------------------------------------------------------------------------------------
    # WeChat API
    # ----------------------------------------------------------------------------------------------

    def _client(self):
        return WechatClient(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("omnichannel_wechat.api_base_url", DEFAULT_API_BASE),
            timeout=self._api_timeout(),
            secrets=self._secrets(),
        )

    def _fetch_token(self):
        return self._client().fetch_token(self.sudo().app_id, self.sudo().app_secret)

    def _last_inbound(self, partner):
        """The customer's last message to this account: it opens the 48-hour window for its
        customer-service messages (not a message to another account or company)."""
        return (
            self.env["omnichannel.interaction"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("channel", "=", "wechat"),
                    ("direction", "=", "inbound"),
                    ("interaction_type", "=", "message"),
                    ("company_id", "=", self.company_id.id),
                    ("external_ref", "=like", f"{self.app_id}:%"),
                ],
                limit=1,
            )
        )

    def action_test_connection(self):
        self.ensure_one()
        try:
            self._get_access_token(refused=self.sudo().access_token)
        except WechatApiError as error:
            raise UserError(
                self.env._("WeChat refused the AppID / AppSecret: %(error)s", error=error)
            ) from error
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success", "message": self.env._("Connected to WeChat.")},
        }

    def _plain(self, html):
        return html2plaintext(html or "").strip()
