# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class OmnichannelCustomerTurn(models.Model):
    """Whose turn it is to work on a customer: one row per customer that the pipeline has seen,
    rewritten by every contact processed for them. Two lanes processing contacts of one customer
    at once (their SMS and their WeChat message, under different senders) meet on this row: the
    second waits for the first, then finds its snapshot outdated and tries again at once, so the
    customer's contacts are processed one after the other, each seeing what the one before did."""

    _name = "omnichannel.customer.turn"
    _description = "Customer Processing Turn"
    _log_access = False

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    event_date = fields.Datetime(string="Last contact processed")

    _sql_constraints = [
        ("partner_unique", "unique(partner_id)", "One turn per customer."),
    ]

    @api.model
    def _take(self, partners):
        """Wait for the customers' other contacts being processed, and make their next ones wait
        for these. In a lane's transaction, a concurrent one that wrote a turn first makes this
        raise a serialization failure, which the lane answers with an immediate retry. One
        statement, the rows in the order of the customers' ids (lanes taking the turns of the
        same customers wait for each other rather than deadlock)."""
        partner_ids = sorted(set(partners.ids))
        if not partner_ids:
            return
        now = fields.Datetime.now()
        self.env.cr.execute(
            """
            INSERT INTO omnichannel_customer_turn (partner_id, event_date)
            SELECT partner_id, %s FROM unnest(%s) AS partner_id
            ON CONFLICT (partner_id) DO UPDATE SET event_date = EXCLUDED.event_date
            """,
            (now, partner_ids),
        )
