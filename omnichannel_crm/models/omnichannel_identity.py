# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from psycopg2 import errorcodes
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import identity as identity_tools
from .omnichannel_data import PARTNER_IDENTITY_FIELDS

_logger = logging.getLogger(__name__)


class ConcurrentIdentityCreation(SerializationFailure):
    """Another transaction linked the identifier after this one started: Odoo retries the request
    (it retries serialization failures), and the retry finds the identity."""

    pgcode = errorcodes.SERIALIZATION_FAILURE


class OmnichannelIdentity(models.Model):
    """One way of reaching a customer (a phone number, an email address, a WeChat openid, ...), so
    that a contact on any channel resolves to the same partner."""

    _name = "omnichannel.identity"
    _description = "Customer Identity"
    _order = "partner_id, kind, identifier"
    _rec_name = "identifier"

    kind = fields.Selection(
        [
            (identity_tools.PHONE, "Phone"),
            (identity_tools.EMAIL, "Email"),
            (identity_tools.WECHAT_OPENID, "WeChat OpenID"),
            (identity_tools.WECHAT_UNIONID, "WeChat UnionID"),
            (identity_tools.MEMBER, "Member number"),
            (identity_tools.CUSTOM, "Other"),
        ],
        required=True,
    )
    namespace = fields.Char(
        help="For identifiers of kind Other: the system they come from (e.g. 'line', 'erp').",
    )
    identifier = fields.Char(required=True, help="Normalized: E.164 phone, lower-cased email, ...")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Company the identity belongs to; empty for customers shared by all companies.",
    )
    origin = fields.Selection(
        [("partner", "Partner field"), ("channel", "Channel"), ("manual", "Manual")],
        required=True,
        default="manual",
        help="Partner field: kept in sync with the customer's phone, mobile, email or member number.",
    )
    active = fields.Boolean(default=True)

    def init(self):
        # One partner per identifier and company (NULL company: shared partners), among the active
        # identities: an archived one no longer reaches its partner, and the identifier may reach
        # someone new. The index also serves lookups by kind and identifier.
        self.env.cr.execute(
            """
            DROP INDEX IF EXISTS omnichannel_identity_unique_identifier;
            CREATE UNIQUE INDEX IF NOT EXISTS omnichannel_identity_unique_active_identifier
                ON omnichannel_identity (kind, identifier, COALESCE(namespace, ''),
                                         COALESCE(company_id, 0))
             WHERE active
            """
        )

    @api.constrains("kind", "namespace")
    def _check_namespace(self):
        for identity in self:
            self._check_namespace_of(identity.kind, identity.namespace)

    def write(self, vals):
        if vals.get("active"):
            self.filtered(lambda identity: not identity.active)._check_one_active_holder()
        return super().write(vals)

    def _check_one_active_holder(self):
        """Restoring an archived identity whose identifier reached someone new meanwhile: say who,
        rather than fail on the unique index."""
        for identity in self:
            holder = self.search(
                [
                    ("id", "!=", identity.id),
                    ("kind", "=", identity.kind),
                    ("identifier", "=", identity.identifier),
                    ("namespace", "=", identity.namespace),
                    ("company_id", "=", identity.company_id.id),
                ],
                limit=1,
            )
            if holder:
                raise ValidationError(
                    self.env._(
                        "%(identifier)s now identifies %(partner)s: archive that identity, or "
                        "merge the two contacts, before restoring this one.",
                        identifier=identity.identifier,
                        partner=holder.partner_id.display_name,
                    )
                )

    def _check_namespace_of(self, kind, namespace):
        if kind == identity_tools.CUSTOM and not namespace:
            raise ValidationError(
                self.env._(
                    "An identifier of kind Other needs the name of the system it comes from."
                )
            )

    @api.model
    def _region_for(self, company):
        company = company or self.env.company
        # The company's country is its partner's: read there, not through the company's address
        # compute, which reads every address field of the partner one by one.
        return company.partner_id.country_id.code or identity_tools.DEFAULT_REGION

    @api.model
    def normalize(self, kind, value, company=None):
        """Normalized identifier, or a ValidationError saying what is wrong with it."""
        try:
            return identity_tools.normalize_identifier(kind, value, self._region_for(company))
        except identity_tools.InvalidIdentifier as error:
            raise ValidationError(
                self.env._(
                    "Invalid %(kind)s identifier %(value)s: %(reason)s",
                    kind=kind,
                    value=value,
                    reason=error,
                )
            ) from error

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("kind") and vals.get("identifier"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["identifier"] = self.normalize(vals["kind"], vals["identifier"], company)
        return super().create(vals_list)

    @api.model
    def find_partner(self, kind, value, company=None, namespace=None):
        """The partner reached by this identifier in `company` (its own identities first, then the
        shared ones), or an empty recordset."""
        company = company or self.env.company
        identifier = self.normalize(kind, value, company)
        self.env.cr.execute(
            """
            SELECT partner_id FROM omnichannel_identity
             WHERE kind = %s AND identifier = %s AND COALESCE(namespace, '') = %s
               AND COALESCE(company_id, 0) IN (%s, 0) AND active
             ORDER BY company_id IS NULL, id
             LIMIT 1
            """,
            (kind, identifier, namespace or "", company.id),
        )
        row = self.env.cr.fetchone()
        return self.env["res.partner"].browse(row[0] if row else [])

    @api.model
    def _identity_key(self, vals):
        return (
            vals["kind"],
            vals["identifier"],
            vals.get("namespace") or "",
            vals.get("company_id") or 0,
        )

    @api.model
    def _create_untaken(self, vals_list):
        """Create the identities whose identifier reaches nobody yet (the first one wins among
        `vals_list`, and a concurrent transaction's over both), in one statement: no look-up, no
        savepoint, so that creating a partner costs Odoo's own paths a single INSERT. The unique
        index on (kind, identifier, namespace, company) tells what is taken, and waits for a
        concurrent transaction inserting the same. Returns the identities created."""
        wanted = {}
        for vals in vals_list:
            wanted.setdefault(self._identity_key(vals), vals)
        vals_list = list(wanted.values())
        if not vals_list:
            return self.browse()
        for vals in vals_list:
            self._check_namespace_of(vals["kind"], vals.get("namespace"))
        self.flush_model()
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s, %s)",
                vals["kind"],
                vals["identifier"],
                vals.get("namespace") or None,
                vals["partner_id"],
                vals.get("company_id") or None,
                vals.get("origin") or "manual",
            )
            for vals in vals_list
        )
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO omnichannel_identity (kind, identifier, namespace, partner_id, company_id,
                                              origin, active, create_uid, write_uid, create_date,
                                              write_date)
            SELECT kind, identifier, namespace, partner_id::int, company_id::int, origin, TRUE,
                   %(uid)s, %(uid)s, %(now)s, %(now)s
              FROM (VALUES %(rows)s) AS wanted(kind, identifier, namespace, partner_id, company_id,
                                              origin)
            ON CONFLICT DO NOTHING
            RETURNING id
                """,
                rows=rows,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        inserted = self.browse([row[0] for row in self.env.cr.fetchall()])
        # Written beside the ORM: the customers' lists of identities are read again.
        self.env["res.partner"].invalidate_model(["omnichannel_identity_ids"])
        return inserted

    def _create_unless_taken(self, vals, known_free=False):
        """Create the identity unless the identifier already reaches a partner; return the identity
        that holds the identifier. Safe against a concurrent insert of the same identifier. With
        `known_free`, the caller just found the identifier free: no look-up first."""
        domain = [
            ("kind", "=", vals["kind"]),
            ("identifier", "=", vals["identifier"]),
            ("namespace", "=", vals.get("namespace") or False),
            ("company_id", "=", vals.get("company_id") or False),
        ]
        taken = self.browse() if known_free else self.search(domain, limit=1)
        if taken:
            return taken
        inserted = self._create_untaken([vals])
        if inserted:
            return inserted
        # Someone else linked this identifier meanwhile: theirs stands.
        _logger.info("identity %s %s already taken", vals["kind"], vals["identifier"])
        taken = self.search(domain, limit=1)
        if not taken:
            # Committed after this transaction's snapshot, so invisible here.
            raise ConcurrentIdentityCreation("identity created by a concurrent transaction")
        return taken

    @api.model
    def _resolve_all(self, identifiers, company, namespace=None, partner_name=None):
        """The identity of the first of `identifiers` ((kind, value) pairs, the channel's own
        first), on the customer that any of them already reaches, or on a new minimal customer when
        none does; every other identifier given is linked to that customer unless it reaches
        another one. Two queries when the customer is known and nothing new is linked."""
        return self._resolve_many([(identifiers, namespace, partner_name)], company)[0]

    @api.model
    def _resolve_many(self, senders, company):
        """`_resolve_all` for several senders of `company` at once, in order: [(identifiers,
        namespace, partner_name)] -> their identities. One look-up for all; the new customers are
        created together, and senders sharing an identifier that nobody held share the customer
        the first of them made."""
        requests = [
            self._wanted_keys(identifiers, namespace, company)
            for identifiers, namespace, _name in senders
        ]
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id, kind, identifier, COALESCE(namespace, ''), partner_id
              FROM omnichannel_identity
             WHERE (kind, identifier, COALESCE(namespace, '')) IN %s
               AND COALESCE(company_id, 0) IN (%s, 0) AND active
             ORDER BY company_id IS NULL, id
            """,
            (tuple({key for wanted in requests for key in wanted}), company.id),
        )
        # key -> (identity id, None until created; partner id, or ("new", n) until created)
        found = {}
        for identity_id, kind, identifier, ns, partner_id in self.env.cr.fetchall():
            found.setdefault((kind, identifier, ns), (identity_id, partner_id))
        new_customers, links = [], []
        for wanted, (_identifiers, _namespace, partner_name) in zip(requests, senders, strict=True):
            partner = next((found[key][1] for key in wanted if key in found), None)
            if partner is None:
                partner = ("new", len(new_customers))
                new_customers.append((*wanted[0], partner_name))
                found[wanted[0]] = (None, partner)
            for key in wanted:
                if key not in found:
                    found[key] = (None, partner)
                    links.append((key, partner))
        partner_ids = {}
        for index, identity in enumerate(self._create_customers(new_customers, company)):
            partner_ids["new", index] = identity.partner_id.id
            found[new_customers[index][:3]] = (identity.id, identity.partner_id.id)
        missing = {
            key: {
                "kind": key[0],
                "identifier": key[1],
                "namespace": key[2] or None,
                "partner_id": partner_ids.get(partner, partner),
                "company_id": company.id,
                "origin": "channel",
            }
            for key, partner in links
        }
        if missing:
            self._create_untaken(list(missing.values()))
        identity_ids = []
        for wanted in requests:
            identity_id = found[wanted[0]][0]
            if identity_id is None:
                # The channel's own identifier is new, on a customer another one reaches: the
                # identity just made for it (or the one a concurrent transaction linked first).
                identity_id = self._create_unless_taken(missing[wanted[0]]).id
                found[wanted[0]] = (identity_id, None)
            identity_ids.append(identity_id)
        # Browsed together: their customers are read at once.
        return list(self.browse(identity_ids))

    @api.model
    def _wanted_keys(self, identifiers, namespace, company):
        """(kind, normalized identifier, namespace or "") of a sender's identifiers."""
        wanted = []
        for kind, value in identifiers:
            identifier = self.normalize(kind, value, company)
            custom = kind == identity_tools.CUSTOM
            wanted.append((kind, identifier, (namespace or "") if custom else ""))
        if not wanted:
            raise ValidationError(
                self.env._("A contact needs at least one identifier of its sender.")
            )
        return wanted

    @api.model
    def _create_customers(self, customers, company):
        """Minimal customers, each known by one identifier ([(kind, identifier, namespace,
        partner_name)]), created together, and their identities (the customer of a concurrent
        transaction that linked the identifier first, when one did)."""
        if not customers:
            return []
        partner_vals_list = []
        for kind, identifier, _namespace, partner_name in customers:
            partner_vals = {"name": partner_name or identifier, "company_id": company.id}
            if kind == identity_tools.PHONE:
                partner_vals["mobile"] = identifier
            elif kind == identity_tools.EMAIL:
                partner_vals["email"] = identifier
            elif kind == identity_tools.MEMBER:
                partner_vals["omnichannel_member_number"] = identifier
            partner_vals_list.append(partner_vals)
        # Customers known only by these identifiers: no chatter tracking for the minimal records,
        # and no sync of the partners' fields into identities, which would look up and create the
        # identities made right below (the caller found the identifiers free moments ago).
        partners = (
            self.env["res.partner"]
            .with_context(
                tracking_disable=True, mail_create_nolog=True, omnichannel_skip_identity_sync=True
            )
            .create(partner_vals_list)
        )
        vals_list = [
            {
                "kind": kind,
                "identifier": identifier,
                "namespace": namespace or None,
                "partner_id": partner.id,
                "company_id": company.id,
                "origin": "partner" if kind in PARTNER_IDENTITY_FIELDS.values() else "channel",
            }
            for (kind, identifier, namespace, _name), partner in zip(
                customers, partners, strict=True
            )
        ]
        inserted = {
            identity.partner_id.id: identity for identity in self._create_untaken(vals_list)
        }
        identities, dropped = [], self.env["res.partner"]
        for vals, partner in zip(vals_list, partners, strict=True):
            identity = inserted.get(partner.id)
            if not identity:
                # A concurrent contact created the customer first: use theirs, drop ours.
                identity = self._create_unless_taken(vals)
                dropped |= partner
            identities.append(identity)
        dropped.unlink()
        return identities
