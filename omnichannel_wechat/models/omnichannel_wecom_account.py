# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import crypto, message_xml, signature
from ..tools.client import WechatApiError
from ..tools.wecom_client import DEFAULT_WECOM_API_BASE, WecomClient, WecomPagingError


class OmnichannelWecomAccount(models.Model):
    """A company's WeCom customer service (微信客服): customers open a chat from a link, a QR code, a
    mini program or the Official Account's menu and write from their own WeChat. The platform
    tells the callback that messages wait, the sync job pulls them onto the pipeline, agents answer
    from the ticket."""

    _name = "omnichannel.wecom.account"
    _inherit = "omnichannel.wechat.token.mixin"
    _description = "WeCom Customer Service"
    _order = "company_id, name, id"
    _callback_route = "/omnichannel/wecom"
    _secret_fields = ("secret", "access_token", "token", "encoding_aes_key")

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    corp_id = fields.Char(
        string="Corp ID", required=True, help="The company's ID in WeCom (企业ID)."
    )
    # Credentials: only Settings administrators read or write them.
    secret = fields.Char(
        string="Customer service secret",
        groups="base.group_system",
        help="The Secret of WeCom's customer service (微信客服 › API).",
    )
    # Generated for a new account, to copy into WeCom's console (or replaced by the console's).
    token = fields.Char(
        groups="base.group_system",
        copy=False,
        default=lambda self: signature.new_token(),
        help="The Token of the callback configuration (接收事件服务器).",
    )
    encoding_aes_key = fields.Char(
        string="EncodingAESKey",
        groups="base.group_system",
        copy=False,
        default=lambda self: crypto.new_encoding_aes_key(),
        help="43-character key of the callback configuration.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Helpdesk team",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Team that receives the chats' tickets; each customer-service account may set its own.",
    )
    # Where the secret is sent: as secret as the secret itself.
    api_base_url = fields.Char(
        string="API base URL",
        default=DEFAULT_WECOM_API_BASE,
        required=True,
        groups="base.group_system",
        help="WeCom's API, or the private gateway the company calls it through.",
    )
    timestamp_tolerance = fields.Integer(
        string="Timestamp tolerance (seconds)",
        default=300,
        help="Callbacks signed longer ago than this are refused (replays).",
    )
    kf_ids = fields.One2many(
        "omnichannel.wecom.kf", "account_id", string="Customer service accounts", copy=False
    )
    callback_url = fields.Char(string="Callback URL", compute="_compute_callback_url")

    _sql_constraints = [
        ("corp_company_uniq", "unique(corp_id, company_id)", "This Corp ID is already configured."),
    ]

    @api.constrains("active", "token", "encoding_aes_key")
    def _check_encoding_aes_key(self):
        console = self.env._("WeCom's callback configuration")
        self._check_callback_secrets(console)
        # WeCom encrypts every callback: without the key none can be read.
        for account in self.sudo():
            if account.active and not account.encoding_aes_key:
                raise ValidationError(
                    self.env._(
                        "%(account)s cannot receive messages without the EncodingAESKey of "
                        "%(console)s: enter it, or archive the account.",
                        account=account.name,
                        console=console,
                    )
                )

    # ----------------------------------------------------------------------------------------------
    # Platform API
    # ----------------------------------------------------------------------------------------------

    def _client(self):
        return WecomClient(
            self.sudo().api_base_url, timeout=self._api_timeout(), secrets=self._secrets()
        )

    def _fetch_token(self):
        account = self.sudo()
        if not account.secret:
            raise UserError(
                self.env._("Enter the customer service secret of %(account)s.", account=self.name)
            )
        return self._client().fetch_token(account.corp_id, account.secret)

    def action_fetch_accounts(self):
        """List the customer-service accounts from WeCom: new ones are added, names updated."""
        self.ensure_one()
        try:
            accounts = self._with_token(lambda client, token: client.list_accounts(token))
        except WechatApiError as error:
            raise UserError(
                self.env._("WeCom refused the request: %(error)s", error=error)
            ) from error
        except WecomPagingError as error:
            raise UserError(
                self.env._(
                    "WeCom kept sending customer service accounts (%(count)s read, %(reason)s): "
                    "none was saved. Check the API base URL: a gateway that ignores the list's "
                    "offset sends the same page again and again.",
                    count=error.count,
                    reason=error,
                )
            ) from error
        known = {kf.open_kfid: kf for kf in self.with_context(active_test=False).kf_ids}
        commands = []
        for account in accounts:
            open_kfid, name = account.get("open_kfid"), account.get("name") or ""
            if not open_kfid:
                continue
            if open_kfid in known:
                commands.append(Command.update(known[open_kfid].id, {"name": name}))
            else:
                commands.append(Command.create({"open_kfid": open_kfid, "name": name}))
        self.kf_ids = commands
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s customer service accounts.", count=len(accounts)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ----------------------------------------------------------------------------------------------
    # Callback
    # ----------------------------------------------------------------------------------------------

    def _open(self, params, ciphertext):
        """The plaintext of `ciphertext` sent to this account, once the secrets, the signature, the
        timestamp and the receiver (the Corp ID inside the payload) are checked. PermissionError
        for a forged or stale request or an account without its secrets, ValueError for a
        malformed one: nothing is written."""
        self.ensure_one()
        account = self.sudo()
        timestamp, nonce = params.get("timestamp"), params.get("nonce")
        account._check_callback_request(timestamp, need_key=True)
        if not ciphertext:
            raise ValueError("no encrypted payload")
        if not signature.signature_matches(
            (account.token, timestamp, nonce, ciphertext), params.get("msg_signature")
        ):
            raise PermissionError("bad msg_signature")
        # WechatCryptoError (a ValueError) also when the payload is for another Corp ID.
        return crypto.decrypt(ciphertext, account.encoding_aes_key, account.corp_id)

    def _open_event(self, params, body):
        """The event of a POST callback: {"Event", "Token", "OpenKfId", ...}. An account without
        its secrets refuses it before the body is read; the envelope is parsed bounded, only for
        the Encrypt element that the signature covers."""
        self._check_callback_request(params.get("timestamp"), need_key=True)
        envelope = message_xml.parse(body)
        return message_xml.parse(self._open(params, envelope.get("Encrypt")))

    def _kf_event(self, event):
        """Messages wait on a customer-service account: a sync request, with the callback's
        short-lived token, wakes the sync job (which adds an account not listed yet, so that
        nothing is missed). One insert: nothing the sync job holds is written or locked."""
        self.ensure_one()
        open_kfid = event.get("OpenKfId")
        if event.get("Event") != "kf_msg_or_event" or not open_kfid:
            return
        self.env["omnichannel.wecom.sync.request"]._request(self, open_kfid, event.get("Token"))
