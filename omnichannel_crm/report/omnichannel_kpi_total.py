# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import date, datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from .omnichannel_kpi_fact import AMOUNT_MEASURES, AVERAGED_MEASURES, DIMENSIONS, SUMMED_MEASURES

# The totals are kept per hour: a day, week or month in a time zone a whole number of hours from
# UTC (China's, most of the world's) is a whole number of these buckets.
BUCKET = timedelta(hours=1)
# Date granularities a pivot can group the totals by exactly (not minutes or seconds).
GRANULARITIES = {
    "hour",
    "day",
    "week",
    "month",
    "quarter",
    "year",
    "year_number",
    "quarter_number",
    "month_number",
    "iso_week_number",
    "day_of_year",
    "day_of_month",
    "day_of_week",
    "hour_number",
}
GROUPS = (*DIMENSIONS, "channel")
AGGREGATES = {
    "__count",
    *(f"{measure}:sum" for measure in SUMMED_MEASURES),
    *(f"{measure}:avg" for measure in AVERAGED_MEASURES),
}
# The totals' unique key: an hour and every grouping, an empty one standing for itself.
KEY = (
    "(COALESCE(date, '-infinity')), (COALESCE(kind, '')), (COALESCE(channel, '')),"
    " (COALESCE(company_id, 0)), (COALESCE(team_id, 0)), (COALESCE(user_id, 0)),"
    " (COALESCE(service_level_id, 0)), (COALESCE(loyalty_tier_id, 0)),"
    " (COALESCE(category_id, 0))"
)


def _count_column(measure):
    # `csat_count` is already a measure (the number of ratings).
    return "csat_count_rated" if measure == "csat" else f"{measure}_count"


# Every measure's column, added to a table made before the measure was: a new measure needs no
# migration (its totals fill as its rows are written).
_MEASURE_COLUMNS = (
    "row_count integer",
    *(
        f"{measure} {'double precision' if measure in AMOUNT_MEASURES else 'integer'}"
        for measure in SUMMED_MEASURES
    ),
    *(
        column
        for measure in AVERAGED_MEASURES
        for column in (f"{measure} double precision", f"{_count_column(measure)} integer")
    ),
)
TABLE_SQL = f"""
    CREATE TABLE IF NOT EXISTS omnichannel_kpi_total (
        id serial PRIMARY KEY, date timestamp, kind varchar, company_id integer, channel varchar,
        team_id integer, user_id integer, service_level_id integer, loyalty_tier_id integer,
        category_id integer);
    ALTER TABLE omnichannel_kpi_total {
    ", ".join(
        f"ADD COLUMN IF NOT EXISTS {column} NOT NULL DEFAULT 0" for column in _MEASURE_COLUMNS
    )
};
    CREATE UNIQUE INDEX IF NOT EXISTS omnichannel_kpi_total_key ON omnichannel_kpi_total ({KEY});
    CREATE INDEX IF NOT EXISTS omnichannel_kpi_total_date_index ON omnichannel_kpi_total (date);
    CREATE INDEX IF NOT EXISTS omnichannel_kpi_total_empty_index
        ON omnichannel_kpi_total (id) WHERE row_count = 0;
"""
ORDER_TERM = re.compile(r"\s*([\w:.]+)(\s+(asc|desc))?(\s+nulls\s+(first|last))?\s*$", re.I)


def _add_sql(source):
    """The statement adding the rows of `source` (with a `sign` of 1 or -1) to the totals."""
    groups = ", ".join(column for column in GROUPS if column != "date")
    # A measure the rows leave empty adds nothing (a NULL would empty the total).
    measures = [
        ("row_count", "sum(sign)"),
        *(
            (measure, f"COALESCE(sum(sign * {measure}), 0)")
            for measure in (*SUMMED_MEASURES, *AVERAGED_MEASURES)
        ),
        *(
            (_count_column(measure), f"sum(sign * ({measure} IS NOT NULL)::int)")
            for measure in AVERAGED_MEASURES
        ),
    ]
    columns = ", ".join(column for column, _expression in measures)
    values = ", ".join(expression for _column, expression in measures)
    updates = ", ".join(
        f"{column} = omnichannel_kpi_total.{column} + EXCLUDED.{column}"
        for column, _expression in measures
    )
    # Ordered by key, so that concurrent writers lock the totals in the same order.
    return f"""
        INSERT INTO omnichannel_kpi_total (date, {groups}, {columns})
        SELECT date_trunc('hour', date) AS bucket, {groups}, {values}
          FROM ({source}) changed
         GROUP BY bucket, {groups}
         ORDER BY bucket, {groups}
        ON CONFLICT ({KEY}) DO UPDATE SET {updates}"""


# Statement triggers: each insert, delete or update of KPI rows adds its rows to the totals (a
# delete with the sign -1), then drops the totals left with no row.
_ADDED = "SELECT 1 AS sign, * FROM added_rows"
_REMOVED = "SELECT -1 AS sign, * FROM removed_rows"
TRIGGERS_SQL = f"""
    CREATE OR REPLACE FUNCTION omnichannel_kpi_total_apply() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_add_sql(_ADDED)};
        ELSIF TG_OP = 'DELETE' THEN
            {_add_sql(_REMOVED)};
        ELSE
            {_add_sql(f"{_ADDED} UNION ALL {_REMOVED}")};
        END IF;
        DELETE FROM omnichannel_kpi_total WHERE row_count = 0;
        RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS omnichannel_kpi_total_insert ON omnichannel_kpi_report;
    CREATE TRIGGER omnichannel_kpi_total_insert
        AFTER INSERT ON omnichannel_kpi_report REFERENCING NEW TABLE AS added_rows
        FOR EACH STATEMENT EXECUTE FUNCTION omnichannel_kpi_total_apply();
    DROP TRIGGER IF EXISTS omnichannel_kpi_total_delete ON omnichannel_kpi_report;
    CREATE TRIGGER omnichannel_kpi_total_delete
        AFTER DELETE ON omnichannel_kpi_report REFERENCING OLD TABLE AS removed_rows
        FOR EACH STATEMENT EXECUTE FUNCTION omnichannel_kpi_total_apply();
    DROP TRIGGER IF EXISTS omnichannel_kpi_total_update ON omnichannel_kpi_report;
    CREATE TRIGGER omnichannel_kpi_total_update
        AFTER UPDATE ON omnichannel_kpi_report
        REFERENCING OLD TABLE AS removed_rows NEW TABLE AS added_rows
        FOR EACH STATEMENT EXECUTE FUNCTION omnichannel_kpi_total_apply();
"""


def _whole_hours_from_utc(tz):
    """Whether the time zone is a whole number of hours from UTC, in winter and in summer."""
    if not tz:
        return True
    if tz not in pytz.all_timezones_set:
        return False
    zone = pytz.timezone(tz)
    year = datetime.now().year
    return all(
        zone.utcoffset(datetime(year, month, 1)) % BUCKET == timedelta(0) for month in (1, 7)
    )


def _on_bucket(value, operator):
    """Whether `date <operator> value` takes whole buckets: a bound on a bucket's start (`>=`,
    `<`), or on the second before it (`<=`, `>`, as Odoo's date filters end a period at
    23:59:59)."""
    if value is False or value is None:
        return operator in ("=", "!=")
    if isinstance(value, str):
        value = fields.Datetime.to_datetime(value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    if not isinstance(value, datetime):
        return False
    if operator in (">", "<="):
        value += timedelta(seconds=1)
    elif operator not in (">=", "<"):
        return False
    return value.microsecond == 0 and (value - datetime(2000, 1, 1)) % BUCKET == timedelta(0)


class OmnichannelKpiTotal(models.Model):
    """The KPI rows added up per hour and per value of every grouping but the customer:
    what the pivot, graph, dashboard and digests read when their grouping and filters allow it
    (`_answers`), so that a pivot over millions of rows adds up some tens of thousands of totals.

    Kept by the database itself: statement triggers on the KPI rows add what is inserted and
    take away what is deleted (including the rows that go with a deleted ticket or contact), so
    the totals never lag behind the rows. A summed measure holds its sum; an averaged measure
    holds the sum of its values and, beside it (`<measure>_count`), how many rows had one, so
    that an average of any grouping is exact. Not an ORM table (no foreign keys): a total must
    follow its rows when a team or agent is deleted, not be deleted or emptied by itself."""

    _name = "omnichannel.kpi.total"
    _inherit = "omnichannel.kpi.fact"
    _description = "Customer Service KPI Totals"
    _auto = False
    _log_access = False
    _rec_name = "date"

    channel = fields.Char(readonly=True)
    row_count = fields.Integer(string="KPI rows", readonly=True)
    first_response_minutes_count = fields.Integer(string="Answered tickets", readonly=True)
    resolution_hours_count = fields.Integer(string="Solved tickets", readonly=True)
    sla_met_pct_count = fields.Integer(string="Finished SLA targets", readonly=True)
    csat_count_rated = fields.Integer(string="Rated tickets", readonly=True)
    fcr_pct_count = fields.Integer(string="Solved tickets, first-contact", readonly=True)
    speed_of_answer_seconds_count = fields.Integer(string="Answered calls timed", readonly=True)

    def init(self):
        cr = self.env.cr
        cr.execute("SELECT to_regclass('omnichannel_kpi_total') IS NULL")
        new = cr.fetchone()[0]
        cr.execute(TABLE_SQL)
        cr.execute(TRIGGERS_SQL)
        if new:
            # Installed on a database that has KPI rows already.
            cr.execute(_add_sql("SELECT 1 AS sign, * FROM omnichannel_kpi_report"))

    @api.model
    def _answers(self, domain, groupby, aggregates, having, order):
        """Whether these totals give exactly what `_read_group` of the KPI rows would: groupings,
        filters and aggregates on what the totals keep, dates filtered on whole hours."""
        return (
            not expression.is_false(self, domain)
            and self._filters_on_totals(domain)
            and self._groups_on_totals(groupby)
            and set(aggregates) <= AGGREGATES
            and all(
                item[0] in AGGREGATES for item in having or () if isinstance(item, (list, tuple))
            )
            and all(
                (match := ORDER_TERM.match(part)) and match.group(1) in {*groupby, *AGGREGATES}
                for part in (order or "").split(",")
                if part.strip()
            )
        )

    def _filters_on_totals(self, domain):
        for leaf in expression.normalize_domain(domain):
            if not expression.is_leaf(leaf) or leaf in (
                expression.TRUE_LEAF,
                expression.FALSE_LEAF,
            ):
                continue
            path, operator, value = leaf
            field = path.split(".", 1)[0]
            if field not in GROUPS or (
                field == "date" and ("." in path or not _on_bucket(value, operator))
            ):
                return False
        return True

    def _groups_on_totals(self, groupby):
        whole_hours = _whole_hours_from_utc(self.env.context.get("tz"))
        for spec in groupby:
            field, _sep, granularity = spec.partition(":")
            if field not in GROUPS or (
                field == "date" and (granularity not in GRANULARITIES or not whole_hours)
            ):
                return False
        return True

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "__count":
            return SQL("SUM(%s)", SQL.identifier(self._table, "row_count"))
        measure, _sep, function = aggregate_spec.partition(":")
        if function == "avg" and measure in AVERAGED_MEASURES:
            return SQL(
                "SUM(%s) / NULLIF(SUM(%s), 0)",
                SQL.identifier(self._table, measure),
                SQL.identifier(self._table, _count_column(measure)),
            )
        return super()._read_group_select(aggregate_spec, query)
