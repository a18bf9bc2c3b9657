# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.identity import InvalidIdentifier, normalize_phone
from ..tools.inbound import FOLLOW, GRANTING_SIGNALS, START, STOP, UNFOLLOW
from .omnichannel_data import CONSENT_CHANNELS, PURPOSES


class OmnichannelConsent(models.Model):
    """One consent given or withdrawn by a customer for a channel: an append-only log, so that who
    agreed to what, when and how can always be shown (PIPL, GDPR). The latest entry per channel and
    purpose is the customer's current choice; withdrawing service messages on email, SMS or phone
    also puts the address on Odoo's own blacklists, which every Odoo sending respects."""

    _name = "omnichannel.consent"
    _description = "Contact Consent"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    channel = fields.Selection(CONSENT_CHANNELS, required=True)
    purpose = fields.Selection(PURPOSES, required=True, default="service")
    granted = fields.Boolean(
        string="Consent given", help="Given when set, withdrawn otherwise.", default=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    source = fields.Selection(
        [
            ("customer", "Customer's request"),
            ("form", "Form or portal"),
            ("wechat", "WeChat follow / unfollow"),
            ("sms_keyword", "SMS keyword"),
            ("email", "Email unsubscribe"),
            ("import", "Import"),
            ("agent", "Recorded by an agent"),
        ],
        required=True,
        default="agent",
    )
    address = fields.Char(help="The email address or phone number the consent is about.")
    note = fields.Char()
    user_id = fields.Many2one(
        "res.users", string="Recorded by", default=lambda self: self.env.user, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    def init(self):
        # The current choice of each customer per channel and purpose.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS omnichannel_consent_current_idx
                ON omnichannel_consent (partner_id, channel, purpose, date DESC, id DESC)
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        consents = super().create(vals_list)
        consents._apply_to_blacklists()
        return consents

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._("Consents are a log: record a new consent instead of changing one.")
            )
        return super().write(vals)

    def _address_of(self):
        """The address the consent covers: the one given, else the customer's."""
        partner = self.partner_id
        if self.channel == "email":
            return self.address or partner.email
        return self.address or partner.mobile or partner.phone

    def _apply_to_blacklists(self):
        for consent in self.filtered(lambda consent: consent.purpose == "service"):
            address = consent._address_of()
            if not address or consent.channel == "wechat":
                continue
            if consent.channel == "email":
                blacklist = self.env["mail.blacklist"].sudo()
            else:
                blacklist = self.env["phone.blacklist"].sudo()
                try:
                    address = normalize_phone(
                        address,
                        consent.company_id.country_id.code or consent.partner_id.country_id.code,
                    )
                except InvalidIdentifier as error:
                    raise ValidationError(
                        self.env._("%(number)s is not a phone number.", number=address)
                    ) from error
            message = self.env._(
                "%(origin)s: %(note)s", origin=consent._source_label(), note=consent.note or "-"
            )
            # Odoo's two blacklists take one email, but a list of numbers.
            addresses = address if consent.channel == "email" else [address]
            if consent.granted:
                blacklist._remove(addresses, message=message)
            else:
                blacklist._add(addresses, message=message)

    @api.model
    def _record_signal(self, contact, partner, identity):
        """Log the consent an inbound contact carries (WeChat follow or unfollow, SMS opt-out or
        opt-in keyword) for the address it came from."""
        granted = contact.consent in GRANTING_SIGNALS
        values = {
            "partner_id": partner.id,
            "channel": contact.channel,
            "granted": granted,
            "source": "wechat" if contact.consent in (FOLLOW, UNFOLLOW) else "sms_keyword",
            "address": identity.identifier,
            "company_id": contact.company_id,
            "date": contact.date or fields.Datetime.now(),
        }
        if contact.consent in (STOP, START):
            values["note"] = self.env._("SMS reply “%s”", contact.text)
        return self.sudo().create(values)

    def _source_label(self):
        return dict(self._fields["source"]._description_selection(self.env))[self.source]

    @api.model
    def _summaries(self, partners, company=None):
        """{partner id: "Email service: given; SMS marketing: withdrawn; ..."}, the current
        consents of each of `partners` with `company` (the current one by default) as an agent
        reads them, set-wise."""
        channel_labels = dict(self._fields["channel"]._description_selection(self.env))
        texts = defaultdict(list)
        for purpose, label in (
            ("service", self.env._("service")),
            ("marketing", self.env._("marketing")),
        ):
            current = self._current(partners, purpose, company)
            for (partner_id, channel), granted in sorted(current.items()):
                texts[partner_id].append(
                    self.env._(
                        "%(channel)s %(purpose)s: %(state)s",
                        channel=channel_labels.get(channel, channel),
                        purpose=label,
                        state=self.env._("given") if granted else self.env._("withdrawn"),
                    )
                )
        return {partner_id: "; ".join(lines) for partner_id, lines in texts.items()}

    @api.model
    def _current(self, partners, purpose="service", company=None):
        """{(partner id, channel): granted} for the current choice of each of `partners` with
        `company` (the current company by default), set-wise: a person's own latest choice on a
        channel wins; without one, their company's (commercial entity's) latest choice on that
        channel applies. A consent given to another company of the database is that company's."""
        if not partners:
            return {}
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (partner_id, channel) partner_id, channel, granted
              FROM omnichannel_consent
             WHERE partner_id = ANY(%s) AND purpose = %s AND company_id = %s
             ORDER BY partner_id, channel, date DESC, id DESC
            """,
            (
                (partners | partners.commercial_partner_id).ids,
                purpose,
                (company or self.env.company).id,
            ),
        )
        latest = defaultdict(dict)
        for partner_id, channel, granted in self.env.cr.fetchall():
            latest[partner_id][channel] = granted
        return {
            (partner.id, channel): granted
            for partner in partners
            for channel, granted in {
                **latest[partner.commercial_partner_id.id],
                **latest[partner.id],
            }.items()
        }

    # ----------------------------------------------------------------------------------------------
    # Addresses
    # ----------------------------------------------------------------------------------------------

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
