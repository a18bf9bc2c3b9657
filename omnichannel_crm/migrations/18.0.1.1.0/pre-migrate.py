# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def migrate(cr, version):
    """The KPI report was a view recomputed per query; it becomes a table of rows refreshed
    incrementally, filled on the first refresh."""
    cr.execute("DROP VIEW IF EXISTS omnichannel_kpi_report")
