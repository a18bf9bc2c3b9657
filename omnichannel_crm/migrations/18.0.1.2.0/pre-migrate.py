# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.omnichannel_crm.tools.migration import rename_fields


def migrate(cr, version):
    """The fields the addon adds to Odoo's models all start with omnichannel_."""
    rename_fields(
        cr,
        "res.partner",
        "res_partner",
        {
            "member_number": "omnichannel_member_number",
            "service_level_override_id": "omnichannel_service_level_override_id",
            "service_level_id": "omnichannel_service_level_id",
            "account_manager_id": "omnichannel_account_manager_id",
        },
    )
    rename_fields(
        cr,
        "helpdesk.sla.report",
        None,
        {
            name: f"omnichannel_{name}"
            for name in ("channel_id", "service_level_id", "target", "met", "breached")
        },
    )
