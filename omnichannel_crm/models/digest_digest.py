# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields, models

REPORT = "omnichannel.kpi.report"
# The digest KPIs shown against a target, and the KPI report measure each one is.
TARGET_KPIS = {
    "kpi_omnichannel_sla_met": "sla_met_pct",
    "kpi_omnichannel_fcr": "fcr_pct",
    "kpi_omnichannel_csat": "csat",
}
PERIOD_DAYS = {"daily": 1, "weekly": 7, "monthly": 30, "quarterly": 90}
TOP_CATEGORIES = 5


class DigestDigest(models.Model):
    """Customer service KPIs in Odoo's periodic digest emails (sent in each recipient's language)."""

    _inherit = "digest.digest"

    # Not a kpi_ field: a list, shown below the KPIs, not a number.
    omnichannel_top_categories = fields.Boolean(
        "Top issue categories",
        help="The five categories with the most new tickets of the period, with their share.",
    )
    kpi_omnichannel_contacts = fields.Boolean("Customer contacts")
    kpi_omnichannel_contacts_value = fields.Integer(
        compute="_compute_kpi_omnichannel_contacts_value"
    )
    kpi_omnichannel_tickets_solved = fields.Boolean("Tickets solved")
    kpi_omnichannel_tickets_solved_value = fields.Integer(
        compute="_compute_kpi_omnichannel_tickets_solved_value"
    )
    kpi_omnichannel_first_response = fields.Boolean("First response (min)")
    kpi_omnichannel_first_response_value = fields.Float(
        digits=(16, 1), compute="_compute_kpi_omnichannel_first_response_value"
    )
    kpi_omnichannel_first_response_median = fields.Boolean("First response, median (min)")
    kpi_omnichannel_first_response_median_value = fields.Float(
        digits=(16, 1), compute="_compute_kpi_omnichannel_time_distribution"
    )
    kpi_omnichannel_first_response_p90 = fields.Boolean("First response, 90th percentile (min)")
    kpi_omnichannel_first_response_p90_value = fields.Float(
        digits=(16, 1), compute="_compute_kpi_omnichannel_time_distribution"
    )
    kpi_omnichannel_resolution_median = fields.Boolean("Resolution, median (h)")
    kpi_omnichannel_resolution_median_value = fields.Float(
        digits=(16, 1), compute="_compute_kpi_omnichannel_time_distribution"
    )
    kpi_omnichannel_resolution_p90 = fields.Boolean("Resolution, 90th percentile (h)")
    kpi_omnichannel_resolution_p90_value = fields.Float(
        digits=(16, 1), compute="_compute_kpi_omnichannel_time_distribution"
    )
    kpi_omnichannel_sla_met = fields.Boolean("SLA met %")
    kpi_omnichannel_sla_met_value = fields.Float(
        digits=(16, 1), compute="_compute_kpi_omnichannel_sla_met_value"
    )
    kpi_omnichannel_csat = fields.Boolean("CSAT (1-5)")
    kpi_omnichannel_csat_value = fields.Float(
        digits=(16, 2), compute="_compute_kpi_omnichannel_csat_value"
    )
    kpi_omnichannel_fcr = fields.Boolean("First-contact resolution %")
    kpi_omnichannel_fcr_value = fields.Float(
        digits=(16, 1), compute="_compute_kpi_omnichannel_fcr_value"
    )

    def _compute_kpi_omnichannel_contacts_value(self):
        self._calculate_company_based_kpi(
            REPORT, "kpi_omnichannel_contacts_value", date_field="date", sum_field="contacts_in"
        )

    def _compute_kpi_omnichannel_tickets_solved_value(self):
        self._calculate_company_based_kpi(
            REPORT,
            "kpi_omnichannel_tickets_solved_value",
            date_field="date",
            sum_field="tickets_solved",
        )

    def _omnichannel_average(self, measure, value_field):
        """The period's average of a KPI report measure, per digest company."""
        start, end, companies = self._get_kpi_compute_parameters()
        averages = dict(
            self.env[REPORT]._read_group(
                [
                    ("company_id", "in", companies.ids),
                    ("date", ">=", start),
                    ("date", "<", end),
                ],
                ["company_id"],
                [f"{measure}:avg"],
            )
        )
        for digest in self:
            digest[value_field] = averages.get(digest.company_id or self.env.company) or 0.0

    def _compute_kpi_omnichannel_first_response_value(self):
        self._omnichannel_average("first_response_minutes", "kpi_omnichannel_first_response_value")

    def _compute_kpi_omnichannel_time_distribution(self):
        """Median and 90th percentile of the period's first responses and resolutions: what the
        average hides (one customer left waiting a day)."""
        start, end, _companies = self._get_kpi_compute_parameters()
        Report = self.env[REPORT]
        for digest in self:
            domain = [
                ("company_id", "=", (digest.company_id or self.env.company).id),
                ("date", ">=", start),
                ("date", "<", end),
            ]
            response = Report._time_distribution("first_response_minutes", domain)
            resolution = Report._time_distribution("resolution_hours", domain)
            digest.kpi_omnichannel_first_response_median_value = response["median"] or 0.0
            digest.kpi_omnichannel_first_response_p90_value = response["p90"] or 0.0
            digest.kpi_omnichannel_resolution_median_value = resolution["median"] or 0.0
            digest.kpi_omnichannel_resolution_p90_value = resolution["p90"] or 0.0

    def _compute_kpi_omnichannel_sla_met_value(self):
        self._omnichannel_average("sla_met_pct", "kpi_omnichannel_sla_met_value")

    def _compute_kpi_omnichannel_csat_value(self):
        self._omnichannel_average("csat", "kpi_omnichannel_csat_value")

    def _compute_kpi_omnichannel_fcr_value(self):
        self._omnichannel_average("fcr_pct", "kpi_omnichannel_fcr_value")

    def _omnichannel_top_categories(self, company):
        """[(category, tickets, share %)] of the tickets created over the digest's period (up to
        now, or the context's end), largest first; the share is of every ticket created."""
        self.ensure_one()
        if not self.omnichannel_top_categories:
            return []
        start, end = self._omnichannel_period()
        groups = self.env[REPORT]._read_group(
            [
                ("company_id", "=", company.id),
                ("kind", "=", "ticket"),
                ("date", ">=", start),
                ("date", "<", end),
            ],
            ["category_id"],
            ["tickets_created:sum"],
        )
        total = sum(count for _category, count in groups)
        ranked = sorted(
            ((category, count) for category, count in groups if category),
            key=lambda group: -group[1],
        )[:TOP_CATEGORIES]
        return [(category, count, 100.0 * count / total) for category, count in ranked]

    def _omnichannel_period(self):
        """[start, end) of the digest being written: its context's, else the period up to now."""
        end = self.env.context.get("end_datetime") or fields.Datetime.now()
        start = self.env.context.get("start_datetime") or end - timedelta(
            days=PERIOD_DAYS.get(self.periodicity, 7)
        )
        return start, end

    def _omnichannel_below_targets(self, company):
        """['Phone: SLA met %: 75.0 % (target 90.0 %)', ...]: the channels below a target over the
        digest's period, when it shows a KPI with a target."""
        self.ensure_one()
        if not any(self[kpi] for kpi in TARGET_KPIS):
            return []
        start, end = self._omnichannel_period()
        Target = self.env["omnichannel.kpi.target"]
        labels = dict(self.env[REPORT]._fields["channel"]._description_selection(self.env))
        return [
            self.env._("%(channel)s: %(misses)s", channel=labels.get(channel, channel), misses=text)
            for (_company, channel), misses in sorted(
                Target._below_targets(company, start, end).items(), key=lambda item: item[0][1]
            )
            for text in Target._describe_misses(misses)
        ]

    def _compute_kpis(self, company, user):
        """The KPIs with a target are named with it: "SLA met % (target 90.0 %)"."""
        kpis = super()._compute_kpis(company, user)
        targets = company._omnichannel_kpi_targets()
        Target = self.env["omnichannel.kpi.target"].with_user(user).with_context(lang=user.lang)
        for kpi in kpis:
            measure = TARGET_KPIS.get(kpi["kpi_name"])
            if measure:
                kpi["kpi_fullname"] = Target.env._(
                    "%(kpi)s (target %(target)s)",
                    kpi=kpi["kpi_fullname"],
                    target=Target._describe(measure, targets[measure]),
                )
        return kpis

    def _compute_kpis_actions(self, company, user):
        actions = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("omnichannel_crm.menu_omnichannel_root").id
        target = f"omnichannel_crm.action_omnichannel_kpi_report?menu_id={menu}"
        for kpi in (
            "kpi_omnichannel_contacts",
            "kpi_omnichannel_tickets_solved",
            "kpi_omnichannel_first_response",
            "kpi_omnichannel_first_response_median",
            "kpi_omnichannel_first_response_p90",
            "kpi_omnichannel_resolution_median",
            "kpi_omnichannel_resolution_p90",
            "kpi_omnichannel_sla_met",
            "kpi_omnichannel_csat",
            "kpi_omnichannel_fcr",
        ):
            actions[kpi] = target
        return actions
