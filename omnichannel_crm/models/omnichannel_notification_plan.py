# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..tools.identity import InvalidIdentifier, normalize_phone


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
        consents = {
            purpose: self.env["omnichannel.consent"]._current(partners, purpose)
            for purpose in set(self.scenario_id.mapped("purpose"))
        }
        preferences = self._preferences(partners)
        plans, reasons = {}, {}
        for notification in self:
            partner = notification.partner_id
            scenario = notification.scenario_id
            tried = notification._tried()
            level = partner.omnichannel_service_level_id
            plan = []
            # What happened on the channels already tried comes first.
            left_out = [notification.reason] if tried and notification.reason else []
            for step in scenario.channel_ids:
                if step.channel in tried or step in plan:
                    continue
                if (
                    step.min_service_level_id
                    and level.sequence < step.min_service_level_id.sequence
                ):
                    continue
                refusal = self._refusal(
                    step,
                    scenario.purpose,
                    consents[scenario.purpose].get((partner.id, step.channel)),
                    addresses[step.channel].get(partner.id),
                )
                if refusal:
                    left_out.append(f"{step._channel_label()}: {refusal}")
                else:
                    plan.append(step)
            ranks = preferences.get(partner.id, {})
            if scenario.respect_preferences:
                # Upgrades for the customer's level first, then the channels they prefer.
                plan.sort(
                    key=lambda step, ranks=ranks: (
                        not step.min_service_level_id,
                        ranks.get(step.channel, len(ranks)),
                    )
                )
            if not scenario.channel_ids:
                left_out.append(self.env._("The scenario has no channel."))
            plans[notification] = plan
            reasons[notification] = left_out
        return plans, reasons

    @api.model
    def _refusal(self, step, purpose, consent, address):
        """Why `step` cannot reach a customer with this `consent` (True, False or None when never
        asked) and `address` (None: none, False: opted out); None when it can."""
        if consent is False:
            return self.env._("consent withdrawn")
        if purpose == "marketing" and not consent:
            return self.env._("no marketing consent")
        if address is None:
            return self.env._("no address")
        if address is False:
            return self.env._("opted out")
        if not hasattr(self, f"_send_{step.channel}"):
            return self.env._("not installed")
        return None

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

    @api.model
    def _addresses(self, channel, partners):
        """{partner id: address} on `channel`: the address, False when it opted out (blacklisted),
        None (absent) when there is none. Connector addons add their channels."""
        if channel == "email":
            emails = {partner.id: partner.email_normalized for partner in partners}
            blacklisted = self._blacklisted("mail_blacklist", "email", list(emails.values()))
            return {
                partner_id: email not in blacklisted and email
                for partner_id, email in emails.items()
                if email
            }
        if channel in ("sms", "phone"):
            numbers = {}
            for partner in partners:
                number = self._partner_number(partner, mobile_first=channel == "sms")
                if number:
                    numbers[partner.id] = number
            blacklisted = self._blacklisted("phone_blacklist", "number", list(numbers.values()))
            return {
                partner_id: number not in blacklisted and number
                for partner_id, number in numbers.items()
            }
        return {}

    @api.model
    def _blacklisted(self, table, column, addresses):
        """The normalized `addresses` on an active entry of Odoo's blacklist `table`. In SQL: the
        blacklists' search normalizes every value it is given again, one by one."""
        self.env[table.replace("_", ".")].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE active AND %s = ANY(%s)",
                SQL.identifier(column),
                SQL.identifier(table),
                SQL.identifier(column),
                [address for address in addresses if address],
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _partner_number(self, partner, mobile_first=True):
        """The partner's number in E.164, mobile first for text messages; None if none is valid."""
        fields_order = ("mobile", "phone") if mobile_first else ("phone", "mobile")
        region = partner.country_id.code or self.env.company.country_id.code
        for field_name in fields_order:
            if partner[field_name]:
                try:
                    return normalize_phone(partner[field_name], region)
                except InvalidIdentifier:
                    continue
        return None
