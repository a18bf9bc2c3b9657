# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
BATCH_SIZE = 2000


def post_init_hook(env):
    """Customers who existed before the install get the identities of their contact details."""
    Identity = env["omnichannel.identity"]
    partner_ids = env["res.partner"].with_context(active_test=False).search([]).ids
    for start in range(0, len(partner_ids), BATCH_SIZE):
        partners = env["res.partner"].browse(partner_ids[start : start + BATCH_SIZE])
        Identity._sync_partner_identities(partners)
        env.invalidate_all()
