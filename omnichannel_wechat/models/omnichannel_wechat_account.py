# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
import time
from datetime import UTC, datetime, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext, plaintext2html

from odoo.addons.omnichannel_crm.tools.identity import (
    WECHAT_OPENID,
    WECHAT_UNIONID,
    normalize_identifier,
)
from odoo.addons.omnichannel_crm.tools.inbound import (
    EVENT,
    FOLLOW,
    MESSAGE,
    UNFOLLOW,
    InboundContact,
)

from ..tools import crypto, message_xml, signature
from ..tools.client import DEFAULT_API_BASE, TOKEN_ERRCODES, WechatApiError, WechatClient

_logger = logging.getLogger(__name__)

# EncodingAESKey: 43 base64 characters (the trailing "=" left out), as the WeChat console makes it.
ENCODING_AES_KEY_RE = re.compile(r"^[A-Za-z0-9+/]{43}$")
# Tokens are refreshed this long before WeChat says they expire.
TOKEN_MARGIN = timedelta(minutes=5)
MESSAGE_TYPES = ("text", "image", "voice", "video", "shortvideo", "location", "link")


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
    access_token = fields.Char(groups="base.group_system", copy=False)
    access_token_expires_at = fields.Datetime(groups="base.group_system", copy=False)

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

    # ----------------------------------------------------------------------------------------------
    # Callbacks
    # ----------------------------------------------------------------------------------------------

    def _timestamp_is_fresh(self, timestamp, now=None):
        try:
            return abs((now or time.time()) - int(timestamp)) <= self.timestamp_tolerance
        except (TypeError, ValueError):
            return False

    def _verify_server(self, timestamp, nonce, signature_value):
        """GET verification from the WeChat console."""
        self.ensure_one()
        return signature.signature_matches((self.sudo().token, timestamp, nonce), signature_value)

    def _open_callback(self, params, body):
        """The message WeChat sent, verified and decrypted, and whether the reply must be encrypted.
        Raises PermissionError (signature, replay) or ValueError (malformed): nothing is written."""
        self.ensure_one()
        account = self.sudo()
        timestamp, nonce = params.get("timestamp"), params.get("nonce")
        if not self._timestamp_is_fresh(timestamp):
            raise PermissionError("stale or missing timestamp")
        envelope = message_xml.parse(body)
        encrypted = params.get("encrypt_type") == "aes"
        if account.message_mode == "safe" and not encrypted:
            raise PermissionError("this account only accepts encrypted messages")
        if not encrypted:
            if not signature.signature_matches(
                (account.token, timestamp, nonce), params.get("signature")
            ):
                raise PermissionError("bad signature")
            return envelope, False
        ciphertext = envelope.get("Encrypt")
        if not ciphertext:
            raise ValueError("encrypted message without Encrypt")
        if not signature.signature_matches(
            (account.token, timestamp, nonce, ciphertext), params.get("msg_signature")
        ):
            raise PermissionError("bad msg_signature")
        try:
            inner = crypto.decrypt(ciphertext, account.encoding_aes_key, account.app_id)
        except crypto.WechatCryptoError as error:
            raise ValueError(str(error)) from error
        return message_xml.parse(inner), True

    def _seal_reply(self, reply_xml, encrypted, nonce):
        """The passive reply as WeChat expects it: encrypted and signed when the message was."""
        self.ensure_one()
        if not encrypted:
            return reply_xml
        account = self.sudo()
        ciphertext = crypto.encrypt(reply_xml, account.encoding_aes_key, account.app_id)
        timestamp = str(int(time.time()))
        return message_xml.build(
            {
                "Encrypt": ciphertext,
                "MsgSignature": signature.wechat_signature(
                    account.token, timestamp, nonce, ciphertext
                ),
                "TimeStamp": int(timestamp),
                "Nonce": nonce,
            }
        )

    def _inbound_contact(self, message):
        """A follower's message or event, as an inbound contact; ValueError when it is malformed."""
        self.ensure_one()
        openid = message.get("FromUserName")
        msg_type = message.get("MsgType")
        if not openid or not msg_type:
            raise ValueError("message without FromUserName or MsgType")
        try:
            created = datetime.fromtimestamp(int(message.get("CreateTime")), UTC).replace(
                tzinfo=None
            )
        except (TypeError, ValueError, OverflowError, OSError) as error:
            raise ValueError("message without a valid CreateTime") from error
        event = message.get("Event") if msg_type == "event" else None
        # What the platform reports (followed, image, menu click) is written for the agents.
        summary, body = self.with_context(lang=self.company_id._omnichannel_lang())._describe(
            message, msg_type, event
        )
        if event:
            external_ref = f"{openid}:{message.get('CreateTime')}:{event}"
        else:
            external_ref = message.get("MsgId") or f"{openid}:{message.get('CreateTime')}"
        identifiers = [(WECHAT_OPENID, openid), (WECHAT_UNIONID, message.get("UnionId"))]
        for kind, value in identifiers:
            if value:
                # A malformed id is the platform's payload at fault: 400, nothing stored.
                normalize_identifier(kind, value)
        media = [
            {"type": msg_type, key: message[field]}
            for key, field in (
                ("media_id", "MediaId"),
                ("url", "PicUrl"),
                ("thumb_media_id", "ThumbMediaId"),
            )
            if message.get(field)
        ]
        return InboundContact(
            channel="wechat",
            source=f"{self._name},{self.id}",
            external_ref=f"{self.app_id}:{external_ref}",
            company_id=self.company_id.id,
            identifiers=identifiers,
            kind=EVENT if event else MESSAGE,
            date=created,
            text=summary,
            body=body,
            media=media,
            consent={"subscribe": FOLLOW, "unsubscribe": UNFOLLOW}.get(event),
            team_id=self.team_id.id or None,
            open_ticket=msg_type in MESSAGE_TYPES,
            auto_reply=msg_type == "text",
            raw=message,
        )

    def _edge_reply(self, contact, message):
        """The passive reply of the callback itself, when one is due without looking anything up:
        the FAQ's answer to a text (noted on the contact, so that the pipeline records it), the
        welcome message to a new follower."""
        self.ensure_one()
        openid = contact.identifier(WECHAT_OPENID)
        if contact.auto_reply:
            answer = self.env["omnichannel.faq"]._edge_answer(
                self.company_id, "wechat", message.get("Content", "")
            )
            if answer:
                contact.answered = {
                    "kind": answer.kind,
                    "text": answer.text,
                    "faq_id": answer.faq.id or None,
                }
                return self._passive_text(openid, message, answer.text)
        if contact.consent == FOLLOW and self.welcome_message:
            return self._passive_text(
                openid,
                message,
                self.with_context(lang=self.company_id.partner_id.lang).welcome_message,
            )
        return None

    def _passive_text(self, openid, message, text):
        """A text answered within the callback's own response (WeChat's passive reply)."""
        return message_xml.build(
            {
                "ToUserName": openid,
                "FromUserName": message.get("ToUserName", ""),
                "CreateTime": int(time.time()),
                "MsgType": "text",
                "Content": text,
            }
        )

    def _describe(self, message, msg_type, event):
        """(summary, body) of a message for the timeline."""
        key = message.get("EventKey", "")
        describers = {
            # The summary is cut for the timeline; the body keeps every word.
            "text": lambda: (
                message.get("Content", ""),
                plaintext2html(message.get("Content", "")),
            ),
            "voice": lambda: (
                message.get("Recognition") or self.env._("[Voice message]"),
                plaintext2html(message["Recognition"]) if message.get("Recognition") else None,
            ),
            "image": lambda: (self.env._("[Image]"), message_xml.text(message.get("PicUrl", ""))),
            "video": lambda: (self.env._("[Video]"), None),
            "shortvideo": lambda: (self.env._("[Video]"), None),
            "location": lambda: (
                self.env._(
                    "[Location] %(label)s (%(lat)s, %(lon)s)",
                    label=message.get("Label", ""),
                    lat=message.get("Location_X", ""),
                    lon=message.get("Location_Y", ""),
                ),
                None,
            ),
            "link": lambda: (
                message.get("Title") or self.env._("[Link]"),
                message_xml.text(message.get("Url", "")),
            ),
            "subscribe": lambda: (
                self.env._("Followed the account (QR code %(scene)s)", scene=key[len("qrscene_") :])
                if key.startswith("qrscene_")
                else self.env._("Followed the account"),
                None,
            ),
            "unsubscribe": lambda: (self.env._("Unfollowed the account"), None),
            "SCAN": lambda: (self.env._("Scanned QR code %(scene)s", scene=key), None),
            "CLICK": lambda: (self.env._("Menu click: %(key)s", key=key), None),
            "VIEW": lambda: (self.env._("Opened menu link %(url)s", url=key), None),
        }
        describe = describers.get(event or msg_type)
        return describe() if describe else (self.env._("[%(type)s]", type=event or msg_type), None)

    # ----------------------------------------------------------------------------------------------
    # WeChat API
    # ----------------------------------------------------------------------------------------------

    def _client(self):
        return WechatClient(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("omnichannel_wechat.api_base_url", DEFAULT_API_BASE)
        )

    def _get_access_token(self, force_refresh=False):
        """A valid access token, refreshed at most once at a time across workers: the account row
        is locked while refreshing, and a worker that waited finds the new token."""
        self.ensure_one()
        account = self.sudo()
        now = fields.Datetime.now()
        if (
            not force_refresh
            and account.access_token
            and account.access_token_expires_at
            and account.access_token_expires_at - TOKEN_MARGIN > now
        ):
            return account.access_token
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT access_token, access_token_expires_at FROM omnichannel_wechat_account"
            " WHERE id = %s FOR UPDATE",
            (self.id,),
        )
        token, expires_at = self.env.cr.fetchone()
        stale = account.access_token
        if (
            token
            and expires_at
            and expires_at - TOKEN_MARGIN > now
            and not (force_refresh and token == stale)
        ):
            account.invalidate_recordset(["access_token", "access_token_expires_at"])
            return token
        token, lifetime = self._client().fetch_token(account.app_id, account.app_secret)
        account.write(
            {
                "access_token": token,
                "access_token_expires_at": now + timedelta(seconds=lifetime),
            }
        )
        return token

    def _with_token(self, send):
        """`send(client, token)` with the cached access token; on an invalid-token error, refresh
        once and retry once."""
        client = self._client()
        try:
            return send(client, self._get_access_token())
        except WechatApiError as error:
            if error.errcode not in TOKEN_ERRCODES:
                raise
        return send(client, self._get_access_token(force_refresh=True))

    def _last_inbound(self, partner):
        return (
            self.env["omnichannel.interaction"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("channel", "=", "wechat"),
                    ("direction", "=", "inbound"),
                    ("interaction_type", "=", "message"),
                ],
                limit=1,
            )
        )

    def _openid_of(self, partner):
        identity = (
            self.env["omnichannel.identity"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                    ("kind", "=", "wechat_openid"),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                limit=1,
            )
        )
        return identity.identifier

    def action_test_connection(self):
        self.ensure_one()
        try:
            self._get_access_token(force_refresh=True)
        except WechatApiError as error:
            raise UserError(
                _("WeChat refused the AppID / AppSecret: %(error)s", error=error)
            ) from error
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success", "message": _("Connected to WeChat.")},
        }

    @api.model
    def _for_partner_reply(self, ticket):
        """The account a ticket's customer last wrote to (its AppID prefixes the contact's external
        reference), else the company's first account."""
        company = ticket.company_id or self.env.company
        last = (
            self.env["omnichannel.interaction"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", ticket.commercial_partner_id.id),
                    ("channel", "=", "wechat"),
                    ("direction", "=", "inbound"),
                    ("external_ref", "!=", False),
                ],
                limit=1,
            )
        )
        app_id = (last.external_ref or "").split(":", 1)[0]
        accounts = self.search([("company_id", "=", company.id)])
        return accounts.filtered(lambda account: account.app_id == app_id)[:1] or accounts[:1]

    def _plain(self, html):
        return html2plaintext(html or "").strip()
