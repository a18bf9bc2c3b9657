# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools.sql import column_exists


def migrate(cr, version):
    """A pull WeCom announced before the update (a customer-service account's old flag and
    callback token) becomes a sync request, pulled by the sync job's next run; the account no
    longer keeps either."""
    if not column_exists(cr, "omnichannel_wecom_kf", "callback_token"):
        return
    cr.execute(
        """
        INSERT INTO omnichannel_wecom_sync_request
               (account_ref, open_kfid, callback_token, requested_at)
        SELECT account_id, open_kfid, callback_token,
               COALESCE(callback_token_date, now() AT TIME ZONE 'UTC')
          FROM omnichannel_wecom_kf
         WHERE sync_requested
        """
    )
    cr.execute(
        """
        ALTER TABLE omnichannel_wecom_kf
            DROP COLUMN sync_requested,
            DROP COLUMN callback_token,
            DROP COLUMN callback_token_date
        """
    )
