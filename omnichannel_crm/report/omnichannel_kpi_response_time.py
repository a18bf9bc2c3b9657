# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.omnichannel_data import CHANNELS


class OmnichannelKpiResponseTime(models.Model):
    """Median and 90th percentile of first-response and resolution times per week, by channel, by
    team and by agent: what the pivot's averages hide (one customer left waiting a day), and what
    cannot be summed or averaged across groups, hence one row per week and group, read from the
    KPI rows. A row's id is its rank in a fixed order, so that the ids a search returns name the
    same rows when they are read (an unordered numbering changes from one query to the next)."""

    _name = "omnichannel.kpi.response.time"
    _description = "Response Times"
    _auto = False
    _order = "week desc, dimension, id"
    _rec_name = "week"

    week = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    dimension = fields.Selection(
        [("channel", "Channel"), ("team", "Team"), ("agent", "Agent")], readonly=True
    )
    channel = fields.Selection(CHANNELS, readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    response_count = fields.Integer(string="Answered tickets", readonly=True)
    response_median = fields.Float(string="First response, median (min)", readonly=True)
    response_p90 = fields.Float(string="First response, 90th percentile (min)", readonly=True)
    resolution_count = fields.Integer(string="Solved tickets", readonly=True)
    resolution_median = fields.Float(string="Resolution, median (h)", readonly=True)
    resolution_p90 = fields.Float(string="Resolution, 90th percentile (h)", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT row_number() OVER (
                       ORDER BY week, company_id, dimension, channel, team_id, user_id
                   ) AS id, grouped.*
              FROM (
            SELECT date_trunc('week', date)::date AS week, company_id,
                   CASE WHEN GROUPING(channel) = 0 THEN 'channel'
                        WHEN GROUPING(team_id) = 0 THEN 'team' ELSE 'agent' END AS dimension,
                   channel, team_id, user_id,
                   count(first_response_minutes) AS response_count,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_minutes)
                       AS response_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_minutes)
                       AS response_p90,
                   count(resolution_hours) AS resolution_count,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_hours)
                       AS resolution_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY resolution_hours) AS resolution_p90
              FROM omnichannel_kpi_report
             WHERE kind IN ('response', 'solved')
             GROUP BY date_trunc('week', date), company_id,
                      GROUPING SETS ((channel), (team_id), (user_id))
                   ) grouped
            """
        )
