# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

# The callback's token lives 10 minutes; a little less, to be safe.
CALLBACK_TOKEN_LIFETIME = timedelta(minutes=9)
SYNC_CRON = "omnichannel_wechat.ir_cron_wecom_sync"


class OmnichannelWecomSyncRequest(models.Model):
    """WeCom's news that messages wait on a customer-service account (its `kf_msg_or_event`
    callback, with the short-lived token that pulls them fastest), kept until the sync job has
    pulled past it.

    The callback acknowledges with one insert here, as the other connectors' webhooks do with
    their inbound events: it never writes the customer-service account that the sync job rewrites
    with every page, so it waits on no lock and hits no serialization failure. The account is
    named by id and open_kfid, not by a foreign key, because checking one locks the account's row
    (KEY SHARE), which waits behind the row lock of a token refresh. The sync job consumes the
    requests it read when it started, once it has pulled every page: one that came meanwhile asks
    for the next pull."""

    _name = "omnichannel.wecom.sync.request"
    _description = "WeCom Sync Request"
    _order = "id"
    _log_access = False

    # The id of an omnichannel.wecom.account; requests of a deleted one are dropped by the job.
    account_ref = fields.Integer(string="WeCom customer service", required=True, readonly=True)
    open_kfid = fields.Char(string="Open KF ID", required=True, readonly=True)
    callback_token = fields.Char(readonly=True, groups="base.group_system")
    requested_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)

    def init(self):
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS omnichannel_wecom_sync_request_kf_idx
                ON omnichannel_wecom_sync_request (account_ref, open_kfid, id)
            """
        )

    @api.model
    def _request(self, account, open_kfid, callback_token=None):
        """Ask for a pull of `open_kfid`'s messages on `account` and wake the sync job."""
        self.sudo().create(
            {
                "account_ref": account.id,
                "open_kfid": open_kfid,
                "callback_token": callback_token or False,
            }
        )
        self.env.ref(SYNC_CRON).sudo()._trigger()

    @api.model
    def _of(self, kf):
        """The requests waiting for `kf`, oldest first."""
        return self.sudo().search(
            [("account_ref", "=", kf.account_id.id), ("open_kfid", "=", kf.open_kfid)]
        )

    def _fresh_callback_token(self):
        """The newest callback token of these requests still valid, or None."""
        since = fields.Datetime.now() - CALLBACK_TOKEN_LIFETIME
        fresh = self.sudo().filtered(
            lambda request: request.callback_token and request.requested_at >= since
        )
        return fresh[-1:].callback_token or None

    def _forget_callback_tokens(self):
        """The platform refused these tokens: the next pull goes without them."""
        self.sudo().write({"callback_token": False})

    @api.model
    def _requested_kfs(self):
        """The customer-service accounts with a request waiting. Only the newest request of each
        matters (a pull after it pulls what the older ones announced), so the older ones are
        dropped, with the requests of deleted accounts; an open_kfid not listed yet is added to
        its account, so that nothing is missed."""
        self.flush_model()
        self.env.cr.execute(
            """
            DELETE FROM omnichannel_wecom_sync_request request
             WHERE NOT EXISTS (SELECT 1 FROM omnichannel_wecom_account account
                                WHERE account.id = request.account_ref)
                OR EXISTS (SELECT 1 FROM omnichannel_wecom_sync_request newer
                            WHERE newer.account_ref = request.account_ref
                              AND newer.open_kfid = request.open_kfid
                              AND newer.id > request.id)
            """
        )
        self.env.cr.execute("SELECT account_ref, open_kfid FROM omnichannel_wecom_sync_request")
        wanted = set(self.env.cr.fetchall())
        Kf = self.env["omnichannel.wecom.kf"].sudo().with_context(active_test=False)
        kfs = Kf.search([("account_id", "in", list({account for account, _kfid in wanted}))])
        known = {(kf.account_id.id, kf.open_kfid) for kf in kfs}
        missing = sorted(wanted - known)
        if missing:
            kfs |= Kf.create(
                [
                    {"account_id": account, "open_kfid": open_kfid, "name": open_kfid}
                    for account, open_kfid in missing
                ]
            )
        return kfs.filtered(lambda kf: (kf.account_id.id, kf.open_kfid) in wanted)
