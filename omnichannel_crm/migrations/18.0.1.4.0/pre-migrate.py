# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools.sql import column_exists, create_column


def migrate(cr, version):
    """Tickets flagged as complaints get the date they were flagged on, which repeated complaints
    escalate by. Before, it was not kept: the ticket's creation is the best known (created here so
    that the update does not date them all today)."""
    if column_exists(cr, "helpdesk_ticket", "omnichannel_complaint_date"):
        return
    create_column(cr, "helpdesk_ticket", "omnichannel_complaint_date", "timestamp")
    cr.execute(
        """
        UPDATE helpdesk_ticket SET omnichannel_complaint_date = create_date
         WHERE omnichannel_complaint
        """
    )
