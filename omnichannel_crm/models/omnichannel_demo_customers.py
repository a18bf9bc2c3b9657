# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, models

from ..tools import identity as identity_tools


class OmnichannelDemo(models.AbstractModel):
    """The demo's customers: the agency's members, their club cards and their accounts on the
    channels they write on."""

    _inherit = "omnichannel.demo"

    @api.model
    def _demo_bind(self, customers, partners, channels):
        """The customers' accounts on the month's channels, bound to their member record before the
        month (as a member binds their WeChat when booking): their messages find them."""
        Identity = self.env["omnichannel.identity"]
        wanted = {
            (kind, value): partners[customer.key]
            for customer in customers
            for channel in channels
            for kind, value in self._demo_identifiers(customer, channel) or []
            if kind not in (identity_tools.PHONE, identity_tools.EMAIL)  # the partner's own
        }
        known = {
            (identity.kind, identity.identifier)
            for identity in Identity.search([("identifier", "in", [v for _k, v in wanted])])
        }
        Identity.create(
            [
                {"kind": kind, "identifier": value, "partner_id": partner.id, "origin": "channel"}
                for (kind, value), partner in wanted.items()
                if (kind, value) not in known
            ]
        )

    @api.model
    def _demo_customers(self, customers, company):
        """The agency's customers, by their member number: created the first time (as an import from
        the booking system would), their phone and e-mail becoming their identities."""
        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        numbers = {f"IT-DEMO-{customer.key}": customer for customer in customers}
        partners = {
            partner.omnichannel_member_number: partner
            for partner in Partner.search([("omnichannel_member_number", "in", list(numbers))])
        }
        missing = [number for number in numbers if number not in partners]
        vip = self.env.ref("omnichannel_crm.service_level_vip", raise_if_not_found=False)
        trip = self.env.ref("omnichannel_crm.demo_category_trip_sanya_july")
        created = Partner.create(
            [
                {
                    "name": numbers[number].name,
                    "mobile": numbers[number].mobile,
                    "email": numbers[number].email,
                    "lang": numbers[number].lang
                    if numbers[number].lang in self._demo_langs()
                    else "en_US",
                    "tz": numbers[number].tz,
                    "country_id": self.env.ref("base.cn").id
                    if numbers[number].tz == "Asia/Shanghai"
                    else False,
                    "category_id": [Command.set(trip.ids if numbers[number].on_trip else [])],
                    # Travellers are not disturbed at night, wherever they are.
                    "omnichannel_own_quiet_hours": numbers[number].on_trip,
                    "omnichannel_quiet_start": 22.0,
                    "omnichannel_quiet_end": 8.0,
                    "omnichannel_member_number": number,
                    "omnichannel_service_level_override_id": vip.id
                    if numbers[number].vip and vip
                    else False,
                    "company_id": False,
                }
                for number in missing
            ]
        )
        partners.update(zip(missing, created, strict=True))
        self._demo_loyalty(customers, partners, numbers)
        return {customer.key: partners[f"IT-DEMO-{customer.key}"] for customer in customers}

    @api.model
    def _demo_langs(self):
        return set(self.env["res.lang"].search([]).mapped("code"))

    @api.model
    def _demo_loyalty(self, customers, partners, numbers):
        """Club cards with the miles each customer earned this year (the tier job ranks them)."""
        program = self.env.ref(
            "omnichannel_crm.demo_loyalty_program_club", raise_if_not_found=False
        )
        if not program:
            return
        carded = set(
            self.env["loyalty.card"].search([("program_id", "=", program.id)]).partner_id.ids
        )
        earning = [
            (partners[number], customer)
            for number, customer in numbers.items()
            if customer.points and partners[number].id not in carded
        ]
        cards = self.env["loyalty.card"].create(
            [
                {"program_id": program.id, "partner_id": partner.id, "points": customer.points}
                for partner, customer in earning
            ]
        )
        self.env["loyalty.history"].create(
            [
                {
                    "card_id": card.id,
                    "description": "Island Tours bookings",
                    "issued": customer.points,
                }
                for card, (_partner, customer) in zip(cards, earning, strict=True)
            ]
        )
        self._demo_own(cards)
