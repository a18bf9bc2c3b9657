# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
from datetime import UTC, datetime

from odoo import api, fields, models
from odoo.tools import SQL


class OmnichannelWechatNonce(models.Model):
    """A signed plain-text callback seen while its timestamp is fresh, with the digest of its body.

    In plain text mode WeChat signs the query only (Token, timestamp, nonce), not the body: whoever
    sees a signed URL could post another body with it until the timestamp goes stale. The first
    body wins; the same body again is the platform's retry. Keyed by the signature itself: WeChat
    joins the sorted parts without a separator, so one signature may be split into another
    timestamp and nonce, and any second use of a signature is the same signed query."""

    _name = "omnichannel.wechat.nonce"
    _description = "WeChat Callback Nonce"
    _log_access = False

    account_id = fields.Many2one(
        "omnichannel.wechat.account", required=True, readonly=True, ondelete="cascade"
    )
    signature = fields.Char(required=True, readonly=True)
    signed_at = fields.Datetime(required=True, readonly=True, index=True)
    body_digest = fields.Char(required=True, readonly=True, help="SHA-256 of the body.")

    _sql_constraints = [
        (
            "signature_uniq",
            "unique(account_id, signature)",
            "This signed callback was already received.",
        ),
    ]

    @api.model
    def _claim(self, account, signature, timestamp, body):
        """False when `signature` came to `account` before with another body (a replay), else
        True. The unique index decides, not a look-up: when two workers receive one redelivery at
        once, the later one waits for the earlier's commit, then fails with a serialization error
        (Odoo's transactions see a snapshot) and Odoo runs its request again, seeing the row."""
        digest = hashlib.sha256(body).hexdigest()
        signed_at = datetime.fromtimestamp(int(timestamp), UTC).replace(tzinfo=None)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO omnichannel_wechat_nonce (account_id, signature, signed_at, body_digest)
                VALUES (%s, %s, %s, %s)
                ON CONFLICT (account_id, signature) DO NOTHING
                RETURNING id
                """,
                account.id,
                signature,
                signed_at,
                digest,
            ),
            # The serialization error of a concurrent redelivery is no defect: Odoo retries.
            log_exceptions=False,
        )
        if self.env.cr.fetchone():
            return True
        self.env.cr.execute(
            SQL(
                "SELECT body_digest FROM omnichannel_wechat_nonce"
                " WHERE account_id = %s AND signature = %s",
                account.id,
                signature,
            )
        )
        return self.env.cr.fetchone()[0] == digest

    @api.autovacuum
    def _gc_stale(self):
        """Forget the callbacks whose timestamp is past their account's tolerance: a replay of
        them is refused as stale."""
        self.env.cr.execute(
            """
            DELETE FROM omnichannel_wechat_nonce nonce
             USING omnichannel_wechat_account account
             WHERE account.id = nonce.account_id
               AND nonce.signed_at < (now() AT TIME ZONE 'UTC')
                                     - make_interval(secs => account.timestamp_tolerance)
            """
        )
