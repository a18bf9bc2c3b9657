# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api

SHIPPED_CODE = {
    "action_sla_at_risk_activity": "records._omnichannel_sla_at_risk()",
    "action_sla_breached": "records._omnichannel_sla_breached()",
}


def migrate(cr, version):
    """The default SLA reactions run once for all the tickets the job moves at a time (their data
    is not updated): on the actions whose code is still as shipped."""
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    for xmlid, code in SHIPPED_CODE.items():
        action = env.ref(f"omnichannel_crm.{xmlid}", raise_if_not_found=False)
        if action and (action.code or "").strip() == code:
            action.omnichannel_batch = True
