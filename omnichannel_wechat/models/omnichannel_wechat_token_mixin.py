# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.omnichannel_crm.tools.outbox import API_TIMEOUT_PARAM, api_timeout

from ..tools import signature
from ..tools.client import API_TIMEOUT, TOKEN_ERRCODES, WechatApiError

# EncodingAESKey: 43 base64 characters (the trailing "=" left out), as the platforms' consoles show it.
ENCODING_AES_KEY_RE = re.compile(r"^[A-Za-z0-9+/]{43}$")
# Tokens are refreshed this long before the platform says they expire.
TOKEN_MARGIN = timedelta(minutes=5)


class OmnichannelWechatTokenMixin(models.AbstractModel):
    """What the accounts of WeChat's platforms (Official Account, WeCom) share: the access token,
    cached on the account's row (`_fetch_token()` asks the platform for a new one, `_client()` is the
    platform's client, which masks `_secrets()` in its errors), their callback URL and the format of
    their EncodingAESKey."""

    _name = "omnichannel.wechat.token.mixin"
    _description = "WeChat Platform Access Token"

    # The path of the account's callback; its id follows.
    _callback_route = None
    # The account's credentials, masked in the texts of the platform's errors.
    _secret_fields = ("access_token", "token", "encoding_aes_key")

    access_token = fields.Char(groups="base.group_system", copy=False)
    access_token_expires_at = fields.Datetime(groups="base.group_system", copy=False)

    @api.depends_context("uid")
    def _compute_callback_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            account.callback_url = (
                f"{base_url}{self._callback_route}/{account.id}" if account.id else False
            )

    def _api_timeout(self):
        """Seconds the platform's client waits to connect, and then for each part of the answer."""
        return api_timeout(
            self.env["ir.config_parameter"].sudo().get_param(API_TIMEOUT_PARAM), API_TIMEOUT
        )

    def _secrets(self):
        """The values of the account's credentials, for its client to mask in error texts."""
        self.ensure_one()
        account = self.sudo()
        return tuple(account[name] for name in self._secret_fields if account[name])

    def _check_callback_secrets(self, console):
        """ValidationError when an account's EncodingAESKey is not the 43 characters that `console`
        (where the administrator copies it from) shows, or when an active account has no Token: a
        callback signed without one is signed with nothing anyone could not compute."""
        for account in self.sudo():
            key = account.encoding_aes_key
            if key and not ENCODING_AES_KEY_RE.match(key):
                raise ValidationError(
                    self.env._(
                        "The EncodingAESKey of %(account)s must be the 43 letters and digits shown "
                        "in %(console)s.",
                        account=account.name,
                        console=console,
                    )
                )
            if account.active and not account.token:
                raise ValidationError(
                    self.env._(
                        "%(account)s cannot receive messages without the Token of %(console)s: "
                        "enter it, or archive the account.",
                        account=account.name,
                        console=console,
                    )
                )

    def _check_callback_request(self, timestamp, need_key):
        """PermissionError unless the account has the Token (and, when `need_key`, the
        EncodingAESKey) of its callbacks and `timestamp` is fresh: a callback to an account without
        its secrets is refused, whatever it is signed with."""
        self.ensure_one()
        account = self.sudo()
        if not account.token or (need_key and not account.encoding_aes_key):
            raise PermissionError("the account has no Token or EncodingAESKey")
        if not signature.timestamp_is_fresh(timestamp, account.timestamp_tolerance):
            raise PermissionError("stale or missing timestamp")

    def _get_access_token(self, refused=None):
        """A valid access token, refreshed at most once at a time across workers. The refresh is a
        short transaction of its own, in READ COMMITTED: it locks the account's row, and a worker
        that waited for the lock reads the token the other one committed (where this transaction,
        in REPEATABLE READ, would get a serialization failure), uses it, and leaves the row alone.
        `refused`: the token the caller holds and cannot use (the platform refused it; False for
        none): another one is fetched, unless another worker fetched one meanwhile."""
        self.ensure_one()
        account = self.sudo()
        if (
            refused is None
            and account.access_token
            and account.access_token_expires_at
            and account.access_token_expires_at - TOKEN_MARGIN > fields.Datetime.now()
        ):
            return account.access_token
        with self.env.registry.cursor() as cr:
            if cr.connection.get_transaction_status() == TRANSACTION_STATUS_IDLE:
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            # Referenced until the commit: the commit flushes the environments still alive.
            own = self.with_env(self.env(cr=cr, su=True))
            token = own._refresh_token(refused)
        if token is None:
            # Not committed yet (an account created in this transaction): nobody else sees it,
            # so nobody else refreshes it.
            self.env.flush_all()
            token = account._refresh_token(refused)
        return token

    def _refresh_token(self, refused):
        """The valid token on the locked row, else a new one from the platform, written there; None
        when this transaction does not see the row."""
        self.env.cr.execute(
            SQL(
                "SELECT access_token, access_token_expires_at FROM %s WHERE id = %s FOR UPDATE",
                SQL.identifier(self._table),
                self.id,
            ),
        )
        row = self.env.cr.fetchone()
        if row is None:
            return None
        token, expires_at = row
        now = fields.Datetime.now()
        if token and expires_at and expires_at - TOKEN_MARGIN > now and token != refused:
            return token
        token, lifetime = self._fetch_token()
        self.write(
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
        token = self._get_access_token()
        try:
            return send(client, token)
        except WechatApiError as error:
            if error.errcode not in TOKEN_ERRCODES:
                raise
        return send(client, self._get_access_token(refused=token))
