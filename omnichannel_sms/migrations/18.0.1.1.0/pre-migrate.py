# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.omnichannel_crm.tools.migration import rename_fields

RENAMED = (
    "provider_id",
    "provider_ref",
    "attempts",
    "next_try",
    "error_code",
    "error_message",
    "template_id",
    "res_model",
    "res_id",
    "interaction_id",
    "ignore_opt_out",
)


def migrate(cr, version):
    """The fields the addon adds to Odoo's SMS all start with omnichannel_."""
    renames = {f"omni_{name}": f"omnichannel_{name}" for name in RENAMED}
    renames["record_company_id"] = "omnichannel_company_id"
    rename_fields(cr, "sms.sms", "sms_sms", renames)
