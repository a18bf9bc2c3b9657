# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .omnichannel_data import PURPOSES


class OmnichannelScenario(models.Model):
    """Why a customer is contacted (a formal document, a reminder, an urgent alert, marketing, a
    follow-up, a survey) and so how: the channels to try in order, with one template each."""

    _name = "omnichannel.scenario"
    _description = "Notification Scenario"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", help="Empty: shared by all companies.")
    model_id = fields.Many2one(
        "ir.model",
        string="Applies to",
        ondelete="cascade",
        domain=[("transient", "=", False)],
        help="The kind of document the notification is about (the templates are rendered on it). "
        "Empty: the customer.",
    )
    model = fields.Char(related="model_id.model", string="Model name")
    purpose = fields.Selection(
        PURPOSES,
        required=True,
        default="service",
        help="Marketing reaches only customers who gave their consent for the channel; service "
        "messages reach everyone who did not opt out.",
    )
    urgent = fields.Boolean(
        help="Sent at once, even outside the customer's contact windows and in their quiet hours.",
    )
    respect_preferences = fields.Boolean(
        string="Customer's preferred channels first",
        default=True,
        help="The channels of the policy that the customer prefers are tried first, in the "
        "customer's order; otherwise the policy's order is kept.",
    )
    channel_ids = fields.One2many(
        "omnichannel.scenario.channel", "scenario_id", string="Channel policy", copy=True
    )
    notification_count = fields.Integer(compute="_compute_notification_count")

    def _compute_notification_count(self):
        counts = dict(
            self.env["omnichannel.notification"]._read_group(
                [("scenario_id", "in", self.ids)], ["scenario_id"], ["__count"]
            )
        )
        for scenario in self:
            scenario.notification_count = counts.get(scenario, 0)

    @api.model
    def _document_model(self):
        return self.model or "res.partner"

    def notify(self, partners, record=None):
        """Notify `partners` about `record` (the customer themselves when None) in this scenario;
        see `omnichannel.notification.notify`."""
        return self.env["omnichannel.notification"].notify(partners, self, record=record)

    def action_view_notifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omnichannel_crm.action_omnichannel_notification"
        )
        action["domain"] = [("scenario_id", "=", self.id)]
        return action
