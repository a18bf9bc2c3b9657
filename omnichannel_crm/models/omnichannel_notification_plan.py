# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models

from ..tools import channel_plan


class OmnichannelNotification(models.Model):
    """Which channel reaches each recipient: the scenario's steps, the customer's level and
    preferences, addresses, opt-outs and consent."""

    _inherit = "omnichannel.notification"

    # ----------------------------------------------------------------------------------------------
    # Channel choice
    # ----------------------------------------------------------------------------------------------

    def _plan(self, addresses):
        """The steps of the scenario to try for each notification, in order, and for each one the
        reasons its other channels were left out: ({notification: [steps]}, {notification: [text]})."""
        partners = self.partner_id
        consents = defaultdict(dict)  # (purpose, partner id) -> {channel: granted}
        for purpose in set(self.scenario_id.mapped("purpose")):
            current = self.env["omnichannel.consent"]._current(partners, purpose)
            for (partner_id, channel), granted in current.items():
                consents[purpose, partner_id][channel] = granted
        preferences = self._preferences(partners)
        Step = self.env["omnichannel.scenario.channel"]
        installed = {
            channel
            for channel, _label in Step._fields["channel"].selection
            if Step._sender(channel)
        }
        plan_steps = {
            scenario: [
                channel_plan.Step(step, step.channel, step.min_service_level_id.sequence or None)
                for step in scenario.channel_ids
            ]
            for scenario in self.scenario_id
        }
        texts = self._refusal_texts()
        plans, reasons = {}, {}
        for notification in self:
            partner = notification.partner_id
            scenario = notification.scenario_id
            tried = notification._tried()
            customer = channel_plan.Customer(
                level=partner.omnichannel_service_level_id.sequence,
                consents=consents.get((scenario.purpose, partner.id)),
                addresses={
                    channel: by_partner[partner.id]
                    for channel, by_partner in addresses.items()
                    if partner.id in by_partner
                },
                ranks=preferences.get(partner.id, {}),
                channels=partner.omnichannel_service_level_id._served_channels(),
            )
            steps, refused = channel_plan.plan(
                plan_steps[scenario],
                customer,
                scenario.purpose,
                installed,
                tried=tried,
                respect_preferences=scenario.respect_preferences,
            )
            # What happened on the channels already tried comes first.
            left_out = [notification.reason] if tried and notification.reason else []
            left_out += [f"{step._channel_label()}: {texts[code]}" for step, code in refused]
            if not scenario.channel_ids:
                left_out.append(self.env._("The scenario has no channel."))
            plans[notification] = steps
            reasons[notification] = left_out
        return plans, reasons

    def _refusal_texts(self):
        return {
            channel_plan.CONSENT_WITHDRAWN: self.env._("consent withdrawn"),
            channel_plan.NO_MARKETING_CONSENT: self.env._("no marketing consent"),
            channel_plan.NO_ADDRESS: self.env._("no address"),
            channel_plan.OPTED_OUT: self.env._("opted out"),
            channel_plan.NOT_INSTALLED: self.env._("not installed"),
            channel_plan.NOT_SERVED: self.env._("not a channel of their service level"),
        }

    @api.model
    def _preferences(self, partners):
        """{partner id: {channel: rank}} from each customer's own or their company's list."""
        rows = (
            self.env["omnichannel.channel.preference"]
            .sudo()
            .search_read(
                [("partner_id", "in", (partners | partners.commercial_partner_id).ids)],
                ["partner_id", "channel"],
                order="partner_id, sequence, id",
            )
        )
        ranked = defaultdict(dict)
        for row in rows:
            ranks = ranked[row["partner_id"][0]]
            ranks.setdefault(row["channel"], len(ranks))
        return {
            partner.id: ranked.get(partner.id) or ranked.get(partner.commercial_partner_id.id, {})
            for partner in partners
        }
