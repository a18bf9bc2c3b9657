# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

from .omnichannel_data import LIFECYCLE_STAGES


class OmnichannelCadenceRule(models.Model):
    """How often account managers keep in touch with their customers at each lifecycle stage:
    e.g. new customers twice a week in their first month, stable ones monthly, declining ones more
    often with a churn alert. The daily job plans a to-do for the account manager when a customer
    had no contact for the rule's interval, and can notify the customer in a scenario."""

    _name = "omnichannel.cadence.rule"
    _description = "Contact Cadence Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: shared by all companies.")
    stage = fields.Selection(LIFECYCLE_STAGES, string="Lifecycle stage", required=True)
    interval_days = fields.Integer(
        string="Contact every (days)",
        required=True,
        default=30,
        help="A to-do is planned when the customer had no contact from us for this many days.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity",
        required=True,
        default=lambda self: self.env.ref(
            "omnichannel_crm.mail_activity_type_keep_in_touch", raise_if_not_found=False
        ),
    )
    churn_alert = fields.Boolean(
        help="The to-do is a churn alert: the customer is drifting away.",
    )
    scenario_id = fields.Many2one(
        "omnichannel.scenario",
        string="Also notify in",
        domain="['|', ('model_id', '=', False), ('model_id.model', '=', 'res.partner')]",
        help="Also send the customer a notification in this scenario (e.g. a service follow-up).",
    )

    _sql_constraints = [
        ("interval_positive", "CHECK(interval_days > 0)", "The interval is at least one day."),
    ]

    @api.model
    def _cron_apply(self):
        """Daily: update every customer's lifecycle stage, then plan the contacts that are due."""
        self.env["res.partner"]._update_omnichannel_lifecycle_stage()
        for rule in self.search([]):
            rule._plan_due_contacts()

    def _due_customers(self):
        """The customers at this rule's stage, with an account manager (or salesperson), no open
        keep-in-touch to-do and no contact from us within the interval; in SQL, for any number."""
        self.ensure_one()
        self.env.flush_all()
        since = fields.Datetime.now() - timedelta(days=self.interval_days)
        company_ids = self.company_id.ids or self.env.companies.ids
        self.env.cr.execute(
            """
            SELECT partner.id
              FROM res_partner partner
             WHERE partner.omnichannel_lifecycle_stage = %(stage)s
               AND partner.active AND partner.parent_id IS NULL
               AND COALESCE(partner.omnichannel_account_manager_id, partner.user_id) IS NOT NULL
               AND (partner.company_id IS NULL OR partner.company_id = ANY(%(companies)s))
               AND NOT EXISTS (
                   SELECT 1 FROM mail_activity activity
                    WHERE activity.res_model = 'res.partner' AND activity.res_id = partner.id
                      AND activity.activity_type_id = %(type)s)
               AND NOT EXISTS (
                   SELECT 1 FROM omnichannel_interaction interaction
                    WHERE interaction.commercial_partner_id = partner.id
                      AND interaction.direction = 'outbound' AND interaction.date >= %(since)s)
               AND NOT EXISTS (
                   SELECT 1 FROM mail_message message
                    WHERE message.model = 'res.partner' AND message.res_id = partner.id
                      AND message.mail_activity_type_id = %(type)s
                      AND message.date >= %(since)s)
             ORDER BY partner.id
            """,
            {
                "stage": self.stage,
                "companies": company_ids,
                "type": self.activity_type_id.id,
                "since": since,
            },
        )
        return self.env["res.partner"].browse([row[0] for row in self.env.cr.fetchall()])

    def _plan_due_contacts(self):
        self.ensure_one()
        customers = self._due_customers()
        today = fields.Date.context_today(self)
        for customer in customers:
            manager = customer._omnichannel_account_manager()
            summary = (
                self.env._("Churn risk: call %(customer)s", customer=customer.display_name)
                if self.churn_alert
                else self.env._("Keep in touch with %(customer)s", customer=customer.display_name)
            )
            customer.activity_schedule(
                activity_type_id=self.activity_type_id.id,
                date_deadline=today,
                summary=summary,
                note=self.env._(
                    "%(rule)s: no contact for %(days)s days.",
                    rule=self.name,
                    days=self.interval_days,
                ),
                user_id=manager.id,
            )
        if self.scenario_id and customers:
            self.env["omnichannel.notification"].notify(customers, self.scenario_id)
        return customers
