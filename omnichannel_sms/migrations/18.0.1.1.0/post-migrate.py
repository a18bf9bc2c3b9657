# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def migrate(cr, version):
    """Providers created before webhook tokens existed get one."""
    cr.execute(
        """
        UPDATE omnichannel_sms_provider
           SET webhook_token = replace(gen_random_uuid()::text, '-', '')
         WHERE webhook_token IS NULL
        """
    )
