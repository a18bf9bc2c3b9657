# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.tools import SQL


class OmnichannelKpiReport(models.Model):
    """How the KPIs are read: the report's action (how fresh, against which targets), its grouped
    reads (from the totals per hour whenever they give the same answer) and the distributions of
    the time measures."""

    _inherit = "omnichannel.kpi.report"

    @api.model
    def action_open(self, refresh=False):
        """The report, named with how fresh its rows are (brought up to date first with
        `refresh`, *Refresh now*)."""
        if refresh:
            self._refresh()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omnichannel_crm.action_omnichannel_kpi_report"
        )
        refreshed_at = self._refreshed_at()
        if refreshed_at:
            minutes = int((fields.Datetime.now() - refreshed_at).total_seconds() // 60)
            action["name"] = (
                self.env._("KPIs (updated just now)")
                if minutes < 1
                else self.env._("KPIs (updated %(minutes)s minutes ago)", minutes=minutes)
            )
        # The measures are read against the company's targets: named beside them.
        company = self.env.company
        action["name"] = self.env._(
            "%(title)s · targets: SLA met %(sla)s %%, first-contact resolution %(fcr)s %%, "
            "CSAT %(csat)s / 5",
            title=action["name"],
            sla=f"{company.omnichannel_target_sla_met_pct:g}",
            fcr=f"{company.omnichannel_target_fcr_pct:g}",
            csat=f"{company.omnichannel_target_csat:g}",
        )
        return action

    @contextmanager
    def _without_jit(self):
        """PostgreSQL's JIT compiler spends seconds compiling this large query before running it
        (2.8 of 5.9 s over 1,000,000 contacts): turned off for the query, then set back."""
        cr = self.env.cr
        cr.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        previous = cr.fetchone()[0]
        try:
            yield
        finally:
            cr.execute("SELECT set_config('jit', %s, true)", (previous,))

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        """Read from the totals per hour when they give the same answer (most pivots,
        graphs and digests), else from the rows (grouped or filtered by customer, by the minute)."""
        args = (domain, groupby, aggregates, having, offset, limit, order)
        totals = self.env["omnichannel.kpi.total"]
        with self._without_jit():
            if totals._answers(domain, groupby, aggregates, having, order):
                self.browse().check_access("read")
                return totals._read_group(*args)
            return super()._read_group(*args)

    @api.model
    def _time_distribution(self, measure, domain=None):
        """Mean, median and 90th percentile of a time measure ("first_response_minutes" or
        "resolution_hours") over the rows of `domain`: what a pivot's average cannot show."""
        if measure not in ("first_response_minutes", "resolution_hours"):
            raise ValueError(measure)
        query = self._search(domain or [])
        with self._without_jit():
            self.env.cr.execute(
                SQL(
                    """
                SELECT avg(%(col)s), percentile_cont(0.5) WITHIN GROUP (ORDER BY %(col)s),
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY %(col)s), count(*)
                  FROM %(from)s WHERE %(where)s AND %(col)s IS NOT NULL
                """,
                    col=SQL.identifier(self._table, measure),
                    **{"from": query.from_clause, "where": query.where_clause or SQL("TRUE")},
                )
            )
            mean, median, p90, count = self.env.cr.fetchone()
        return {"mean": mean, "median": median, "p90": p90, "count": count}
