# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

# The daily check looks at this many days: one bad morning does not warn, a bad week does.
CHECK_DAYS = 7
# The KPI report measures with a target, and the company field that holds it; each is met from
# its target up.
TARGET_FIELDS = {
    "sla_met_pct": "omnichannel_target_sla_met_pct",
    "fcr_pct": "omnichannel_target_fcr_pct",
    "csat": "omnichannel_target_csat",
}
# The kind of KPI rows each of them is measured on.
MEASURE_KINDS = {"sla_met_pct": "sla", "fcr_pct": "solved", "csat": "rating"}


class OmnichannelKpiTarget(models.AbstractModel):
    """The KPIs against the targets a manager sets per company (`res.company`, in Settings and in
    the KPI targets dialog of the reporting menu): the channels below a target over a period,
    as the digests list them and as the daily check tells the managers, with one open to-do per
    channel and manager, brought up to date every morning and gone when the channel is back on
    target."""

    _name = "omnichannel.kpi.target"
    _description = "KPI Targets"

    @api.model
    def _below_targets(self, companies, start, end):
        """{(company, channel): [(measure, value, target)]}: each channel of `companies` with a
        measure below its company's target over [start, end), read from the KPI totals."""
        # Each measure is set on the rows of one kind only, always: grouped by kind, a group says
        # that the measure has values (an average of none reads as 0).
        groups = (
            self.env["omnichannel.kpi.report"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "in", companies.ids),
                    ("channel", "!=", "other"),
                    ("kind", "in", list(MEASURE_KINDS.values())),
                    ("date", ">=", start),
                    ("date", "<", end),
                ],
                ["company_id", "channel", "kind"],
                [f"{measure}:avg" for measure in MEASURE_KINDS],
            )
        )
        below = {}
        for company, channel, kind, *values in groups:
            targets = company._omnichannel_kpi_targets()
            for measure, value in zip(MEASURE_KINDS, values, strict=True):
                if MEASURE_KINDS[measure] == kind and value < targets[measure]:
                    below.setdefault((company, channel), []).append(
                        (measure, value, targets[measure])
                    )
        order = list(MEASURE_KINDS)
        for misses in below.values():
            misses.sort(key=lambda miss: order.index(miss[0]))
        return below

    @api.model
    def _describe(self, measure, value):
        """A measure's value as the managers read it: 75.0 %, 4.20 / 5."""
        if measure == "csat":
            return self.env._("%(value).2f / 5", value=value)
        return self.env._("%(value).1f %%", value=value)

    @api.model
    def _describe_misses(self, misses):
        """'SLA met %: 75.0 % (target 90.0 %)', one per measure below its target."""
        fields_ = self.env["omnichannel.kpi.report"]._fields
        return [
            self.env._(
                "%(measure)s: %(value)s (target %(target)s)",
                measure=fields_[measure]._description_string(self.env),
                value=self._describe(measure, value),
                target=self._describe(measure, target),
            )
            for measure, value, target in misses
        ]

    @api.model
    def _cron_check_targets(self):
        """Every morning: each manager of a company gets a to-do on each of its channels below a
        target over the last 7 days (one open to-do per channel and manager: a second run of the
        day, or the next day's, updates it), and the to-dos of channels back on target go."""
        end = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        companies = self.env["res.company"].search([])
        below = self._below_targets(companies, end - timedelta(days=CHECK_DAYS), end)
        activity_type = self.env.ref("omnichannel_crm.mail_activity_type_kpi_below_target")
        Activity = self.env["mail.activity"].sudo()
        managers = self.env.ref("omnichannel_crm.group_omnichannel_manager").users.filtered(
            lambda user: not user.share and not user._is_superuser()
        )
        channel_labels = dict(
            self.env["omnichannel.kpi.report"]._fields["channel"]._description_selection(self.env)
        )
        TicketChannel = self.env["helpdesk.ticket.channel"].sudo()
        wanted = {}  # (ticket channel id, user id): (summary, note)
        for (company, channel), misses in below.items():
            ticket_channel = TicketChannel._for_omnichannel(channel, company)
            for user in managers.filtered(
                lambda user, company=company: company in user.company_ids
            ):
                env = self.with_context(lang=user.lang).env  # a to-do: in its user's language
                Target = self.with_env(env)
                wanted[ticket_channel.id, user.id] = (
                    env._(
                        "%(channel)s below target over the last %(days)s days",
                        channel=channel_labels.get(channel, channel),
                        days=CHECK_DAYS,
                    ),
                    Markup("<br/>").join(Target._describe_misses(misses)),
                )
        existing = Activity.search(
            [
                ("activity_type_id", "=", activity_type.id),
                ("res_model", "=", "helpdesk.ticket.channel"),
            ]
        )
        today = fields.Date.context_today(self)
        kept = Activity
        for activity in existing:
            key = (activity.res_id, activity.user_id.id)
            if key in wanted:
                summary, note = wanted.pop(key)
                activity.write({"summary": summary, "note": note, "date_deadline": today})
                kept |= activity
        (existing - kept).unlink()
        res_model_id = self.env["ir.model"]._get_id("helpdesk.ticket.channel")
        Activity.create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": res_model_id,
                    "res_id": res_id,
                    "user_id": user_id,
                    "summary": summary,
                    "note": note,
                    "date_deadline": today,
                }
                for (res_id, user_id), (summary, note) in wanted.items()
            ]
        )
