# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL

BATCH_SIZE = 2000


def post_init_hook(env):
    """Customers who existed before the install get the identities of their contact details."""
    Identity = env["omnichannel.identity"]
    partner_ids = env["res.partner"].with_context(active_test=False).search([]).ids
    for start in range(0, len(partner_ids), BATCH_SIZE):
        partners = env["res.partner"].browse(partner_ids[start : start + BATCH_SIZE])
        Identity._sync_partner_identities(partners)
        env.invalidate_all()


# The addon's own queues and logs that hold on (ondelete restrict) to its scenarios and to the
# tickets, programs and cards its data made: their tables go with the addon, but only after its
# records are removed, which they would otherwise refuse.
PINNING_TABLES = (
    "omnichannel_notification",
    "omnichannel_notification_batch",
    "omnichannel_compensation",
)


def uninstall_hook(env):
    """Empty the addon's queues and logs first, so that its records are removed cleanly."""
    for table in PINNING_TABLES:
        env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(table)))
    env.cr.execute("UPDATE ir_act_server SET omnichannel_scenario_id = NULL")
