# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from ..tools import identity as identity_tools
from .omnichannel_data import PARTNER_IDENTITY_FIELDS


class OmnichannelIdentity(models.Model):
    """The identities a partner's own phone, mobile, email and member number make, kept in step
    with those fields."""

    _inherit = "omnichannel.identity"

    @api.model
    def _sync_partner_identities(self, partners, keep_stale=False, created=False):
        """Make the partner-field identities of `partners` match their phone, mobile, email and member
        number. An identifier that already reaches another partner stays with that partner. With
        `keep_stale`, identities no longer matching a field are kept as manual ones (partner merge);
        `created` partners have none yet."""
        if not partners:
            return
        existing = (
            self.browse()
            if created
            # Archived ones too: an identity an agent archived is not made again by the sync.
            else self.sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids), ("origin", "=", "partner")])
        )
        by_partner = {}
        for identity in existing:
            by_partner.setdefault(identity.partner_id.id, {})[
                (identity.kind, identity.identifier, identity.company_id.id)
            ] = identity
        to_create, to_remove = [], self.browse()
        for partner in partners:
            wanted = self._partner_field_keys(partner)
            current = by_partner.get(partner.id, {})
            for key, identity in current.items():
                if key not in wanted:
                    to_remove |= identity
            for kind, identifier, company_id in wanted - set(current):
                to_create.append(
                    {
                        "kind": kind,
                        "identifier": identifier,
                        "partner_id": partner.id,
                        "company_id": company_id,
                        "origin": "partner",
                    }
                )
        if keep_stale:
            to_remove.sudo().write({"origin": "manual"})
        else:
            to_remove.sudo().unlink()
        self.sudo()._create_untaken(to_create)

    @api.model
    def _partner_field_keys(self, partner):
        """(kind, identifier, company id) of each identity the partner's phone, mobile, email and
        member number make."""
        keys = set()
        for field_name, kind in PARTNER_IDENTITY_FIELDS.items():
            value = partner[field_name]
            if not value:
                continue
            # Only phone numbers are read in a region.
            region = (
                (partner.country_id.code or self._region_for(partner.company_id))
                if kind == identity_tools.PHONE
                else None
            )
            try:
                identifier = identity_tools.normalize_identifier(kind, value, region)
            except identity_tools.InvalidIdentifier:
                continue  # a malformed phone or email on a partner is not an identity
            keys.add((kind, identifier, partner.company_id.id))
        return keys

    @api.model
    def _other_holders(self, partners):
        """{partner: the other customers} holding an identity that the partner's own contact details
        would make: inbound contacts from those identifiers reach them, not the partner. One query."""
        keys = {partner: self._partner_field_keys(partner) for partner in partners}
        identifiers = list({key[1] for partner_keys in keys.values() for key in partner_keys})
        if not identifiers:
            return {}
        self.flush_model(["kind", "identifier", "namespace", "company_id", "partner_id", "active"])
        self.env.cr.execute(
            """
            SELECT kind, identifier, company_id, partner_id FROM omnichannel_identity
             WHERE identifier = ANY(%s) AND namespace IS NULL AND active
            """,
            (identifiers,),
        )
        holders = {}
        for kind, identifier, company_id, partner_id in self.env.cr.fetchall():
            holders.setdefault((kind, identifier, company_id or False), set()).add(partner_id)
        Partner = self.env["res.partner"]
        return {
            partner: Partner.browse(
                sorted(
                    {holder for key in partner_keys for holder in holders.get(key, ())}
                    - {partner._origin.id}
                )
            )
            for partner, partner_keys in keys.items()
        }
