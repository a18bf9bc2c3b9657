# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .omnichannel_consent import CONSENT_CHANNELS


class OmnichannelScenarioChannel(models.Model):
    """One step of a scenario's channel policy: a channel, its template, and the customers it is
    for. A step restricted to a service level is an upgrade: it comes before the customer's
    preferences (e.g. a phone call from the account manager for VIPs on an urgent alert)."""

    _name = "omnichannel.scenario.channel"
    _description = "Scenario Channel"
    _order = "scenario_id, sequence, id"

    scenario_id = fields.Many2one(
        "omnichannel.scenario", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    channel = fields.Selection(CONSENT_CHANNELS, required=True)
    min_service_level_id = fields.Many2one(
        "omnichannel.service.level",
        string="For service level",
        help="Only for customers at this service level or above, and tried first for them.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain="[('model', '=', model)]",
    )
    call_note = fields.Text(
        string="Call brief",
        translate=True,
        help="What the agent says on the call; the call is an activity for the account manager.",
    )
    model = fields.Char(compute="_compute_model")

    @api.depends("scenario_id.model_id")
    def _compute_model(self):
        for line in self:
            line.model = line.scenario_id._document_model()

    @api.constrains("channel", "mail_template_id")
    def _check_template_model(self):
        for line in self:
            template = line._template()
            if template and template.model != line.scenario_id._document_model():
                raise ValidationError(
                    self.env._(
                        "The template of %(channel)s in %(scenario)s is for another kind of "
                        "document.",
                        channel=line._channel_label(),
                        scenario=line.scenario_id.name,
                    )
                )

    def _channel_label(self):
        return dict(self._fields["channel"]._description_selection(self.env))[self.channel]

    def _template(self):
        """The template this step sends; connector addons add their channels' templates."""
        return self.mail_template_id if self.channel == "email" else None
