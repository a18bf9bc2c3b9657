# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hmac
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from odoo.addons.omnichannel_crm.tools.identity import CUSTOM, EMAIL, PHONE, InvalidIdentifier
from odoo.addons.omnichannel_crm.tools.inbound import EVENT, InboundContact

from ..tools import visitor_identity

CODE_VALIDITY = timedelta(minutes=10)
CODE_ATTEMPTS = 5  # wrong codes before the code is void
CODES_PER_SESSION = 3
CODE_INTERVAL = timedelta(seconds=60)  # between two codes of one session
CODES_PER_ADDRESS_PER_HOUR = 5  # over every session: a mailbox is not flooded from many chats
# Identifiers a website signs for its visitors: kind of identity and its namespace.
SIGNED_KINDS = {"email": (EMAIL, None), "external_id": (CUSTOM, "website")}


class DiscussChannel(models.Model):
    """Who a live chat visitor is. A logged-in visitor is their own partner. An anonymous visitor's
    typed email address or phone number is a claim: the operator sees it as such, and the session
    reaches the customer who holds that address only once the visitor proved it is theirs (a code
    sent to it, a signature of the website) or an operator confirmed it after checking."""

    _inherit = "discuss.channel"

    omnichannel_claim_kind = fields.Selection(
        [(EMAIL, "Email"), (PHONE, "Phone"), (CUSTOM, "Website account")],
        string="Claimed identifier kind",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    omnichannel_claim = fields.Char(
        string="Claimed identifier",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The email address or phone number the visitor typed: who they say they are.",
    )
    omnichannel_verification = fields.Selection(
        [
            ("login", "Logged in"),
            ("code", "One-time code"),
            ("signed", "Signed by the website"),
            ("operator", "Confirmed by an operator"),
        ],
        string="Verified by",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    omnichannel_verified_date = fields.Datetime(
        string="Verified on", readonly=True, copy=False, groups="base.group_user"
    )
    omnichannel_verified_by_id = fields.Many2one(
        "res.users", string="Confirmed by", readonly=True, copy=False, groups="base.group_user"
    )
    omnichannel_visitor_status = fields.Char(
        string="Visitor", compute="_compute_omnichannel_visitor_status", groups="base.group_user"
    )
    # The pending one-time code, as a keyed digest: nobody reads the code back from the database.
    omnichannel_code_digest = fields.Char(copy=False, groups="base.group_system")
    omnichannel_code_expiry = fields.Datetime(copy=False, groups="base.group_system")
    omnichannel_code_attempts = fields.Integer(copy=False, groups="base.group_system")
    omnichannel_code_count = fields.Integer(copy=False, groups="base.group_system")
    omnichannel_code_sent_date = fields.Datetime(copy=False, groups="base.group_system")

    @api.depends("omnichannel_claim", "omnichannel_verification", "omnichannel_partner_id")
    def _compute_omnichannel_visitor_status(self):
        methods = dict(self._fields["omnichannel_verification"]._description_selection(self.env))
        for session in self:
            if session.omnichannel_partner_id:
                session.omnichannel_visitor_status = self.env._(
                    "%(customer)s (verified: %(method)s)",
                    customer=session.omnichannel_partner_id.display_name,
                    method=methods.get(session.omnichannel_verification, "-"),
                )
            elif session.omnichannel_claim:
                session.omnichannel_visitor_status = self.env._(
                    "Claims to be %(claim)s (unverified)", claim=session.omnichannel_claim
                )
            else:
                session.omnichannel_visitor_status = self.env._("Unknown")

    # ----------------------------------------------------------------------------------------------
    # What the visitor types
    # ----------------------------------------------------------------------------------------------

    def _omnichannel_read_visitor_message(self, message):
        """An anonymous visitor's message: the code they were sent, or an address they claim. Only
        the beginning of the new message is read, and nothing once the visitor is known."""
        session = self.sudo()
        if session.omnichannel_partner_id or self._omnichannel_visitor():
            return
        text = tools.html2plaintext(message.body or "")
        code = session.omnichannel_code_digest and visitor_identity.typed_code(text)
        if code:
            self._omnichannel_check_code(code)
            return
        region = self.env["omnichannel.identity"]._region_for(self._omnichannel_company())
        claim = visitor_identity.typed_identifier(text, region)
        if claim and claim != (session.omnichannel_claim_kind, session.omnichannel_claim):
            session.write(
                {
                    "omnichannel_claim_kind": claim[0],
                    "omnichannel_claim": claim[1],
                    "omnichannel_code_digest": False,
                    "omnichannel_code_expiry": False,
                    "omnichannel_code_attempts": 0,
                }
            )

    def _omnichannel_unknown_visitor_message(self):
        session = self.sudo()
        if session.omnichannel_claim:
            return self.env._(
                "The visitor claims to be %(claim)s, which is not verified: type /verify to send "
                "them a one-time code, or press Confirm identity on the session once you have "
                "checked who they are; then type /ticket again.",
                claim=session.omnichannel_claim,
            )
        return self.env._(
            "The visitor is not known yet: ask for their email address or phone number, then "
            "type /ticket again."
        )

    # ----------------------------------------------------------------------------------------------
    # One-time code
    # ----------------------------------------------------------------------------------------------

    def execute_command_verify(self, **kwargs):
        """/verify: a one-time code goes to the address the visitor claims; typed back in the
        chat, it proves the address is theirs."""
        self.ensure_one()
        try:
            message = self.action_omnichannel_send_code()
        except UserError as error:
            message = error.args[0]
        self.env.user._bus_send_transient_message(self, message)

    def action_omnichannel_send_code(self):
        self.ensure_one()
        self._omnichannel_check_staff()
        session = self.sudo()
        if session.omnichannel_partner_id:
            raise UserError(self.env._("The visitor is already verified."))
        if not session.omnichannel_claim or session.omnichannel_claim_kind not in (EMAIL, PHONE):
            raise UserError(self._omnichannel_unknown_visitor_message())
        if session.omnichannel_claim_kind == PHONE and "sms.sms" not in self.env:
            raise UserError(
                self.env._(
                    "Codes by SMS need the SMS app: install it, or confirm the visitor's phone "
                    "yourself after checking it."
                )
            )
        now = fields.Datetime.now()
        if session.omnichannel_code_count >= CODES_PER_SESSION:
            raise UserError(
                self.env._(
                    "%(count)s codes were already sent in this chat: confirm the visitor's "
                    "identity yourself after checking it, or ask them to log in.",
                    count=CODES_PER_SESSION,
                )
            )
        if (
            session.omnichannel_code_sent_date
            and now - session.omnichannel_code_sent_date < CODE_INTERVAL
        ):
            raise UserError(self.env._("A code was sent less than a minute ago: wait a moment."))
        recent = self.sudo().search_count(
            [
                ("omnichannel_claim", "=", session.omnichannel_claim),
                ("omnichannel_code_sent_date", ">=", now - timedelta(hours=1)),
            ]
        )
        if recent >= CODES_PER_ADDRESS_PER_HOUR:
            raise UserError(
                self.env._(
                    "Too many codes were sent to %(claim)s in the last hour: try again later.",
                    claim=session.omnichannel_claim,
                )
            )
        code = visitor_identity.new_code()
        session.write(
            {
                "omnichannel_code_digest": self._omnichannel_code_digest(code),
                "omnichannel_code_expiry": now + CODE_VALIDITY,
                "omnichannel_code_attempts": 0,
                "omnichannel_code_count": session.omnichannel_code_count + 1,
                "omnichannel_code_sent_date": now,
            }
        )
        self._omnichannel_send_code(code)
        self._omnichannel_tell_visitor(
            self.env._(
                "We sent a %(digits)s-digit code to %(claim)s. Please type it here to confirm it "
                "is you.",
                digits=visitor_identity.CODE_DIGITS,
                claim=session.omnichannel_claim,
            )
        )
        return self.env._("A one-time code was sent to %(claim)s.", claim=session.omnichannel_claim)

    def _omnichannel_code_digest(self, code):
        return tools.hmac(self.env(su=True), "omnichannel-livechat-code", f"{self.id}:{code}")

    def _omnichannel_send_code(self, code):
        """By email or SMS, on Odoo's own outgoing queues (and so on the company's SMS provider)."""
        session = self.sudo()
        company = self._omnichannel_company()
        lang = (
            self.env["mail.guest"].sudo().search([("channel_ids", "in", self.ids)], limit=1).lang
            or company.partner_id.lang
        )
        text = self.with_context(lang=lang).env._(
            "Your verification code for the chat with %(company)s is %(code)s. It is valid for "
            "10 minutes. If you did not ask for it, ignore this message.",
            company=company.name,
            code=code,
        )
        if session.omnichannel_claim_kind == EMAIL:
            self.env["mail.mail"].sudo().create(
                {
                    "email_from": company.email_formatted or self.env.user.email_formatted,
                    "email_to": session.omnichannel_claim,
                    "subject": self.with_context(lang=lang).env._("Your verification code"),
                    "body_html": Markup("<p>%s</p>") % text,
                    "auto_delete": True,
                }
            )
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        else:
            self.env["sms.sms"].sudo().create({"number": session.omnichannel_claim, "body": text})
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()

    def _omnichannel_check_code(self, code):
        session = self.sudo()
        if fields.Datetime.now() > session.omnichannel_code_expiry:
            self._omnichannel_void_code()
            self._omnichannel_tell_visitor(
                self.env._("This code has expired. Ask the operator for a new one.")
            )
            return
        if hmac.compare_digest(
            self._omnichannel_code_digest(code).encode(), session.omnichannel_code_digest.encode()
        ):
            self._omnichannel_verify("code")
            return
        attempts = session.omnichannel_code_attempts + 1
        if attempts >= CODE_ATTEMPTS:
            self._omnichannel_void_code()
            self._omnichannel_tell_visitor(
                self.env._("Too many wrong codes: this code no longer works.")
            )
            return
        session.omnichannel_code_attempts = attempts
        self._omnichannel_tell_visitor(
            self.env._(
                "This code is not right: %(left)s attempts left.", left=CODE_ATTEMPTS - attempts
            )
        )

    def _omnichannel_void_code(self):
        self.sudo().write(
            {
                "omnichannel_code_digest": False,
                "omnichannel_code_expiry": False,
                "omnichannel_code_attempts": 0,
            }
        )

    def _omnichannel_tell_visitor(self, text):
        """A notice in the chat, from the system: not a message of the conversation."""
        self.sudo().message_post(
            body=escape(text),
            author_id=self.env.ref("base.partner_root").id,
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )

    # ----------------------------------------------------------------------------------------------
    # Signed identity and operator confirmation
    # ----------------------------------------------------------------------------------------------

    def _omnichannel_verify_signed(self, signature, email=None, external_id=None):
        """The website's signature of its visitor's email address or own id (hex HMAC-SHA256 with
        the live chat channel's secret). True when it holds and the visitor is now that customer."""
        self.ensure_one()
        secret = self.sudo().livechat_channel_id.omnichannel_identity_secret
        kind, value = ("email", email) if email else ("external_id", external_id)
        if not value or not isinstance(value, str):
            return False
        if not visitor_identity.signature_matches(secret, value, signature):
            return False
        identity_kind, namespace = SIGNED_KINDS[kind]
        try:
            identifier = self.env["omnichannel.identity"].normalize(
                identity_kind, value, self._omnichannel_company()
            )
        except (InvalidIdentifier, UserError):
            return False
        session = self.sudo()
        if session.omnichannel_partner_id:
            return True
        session.write({"omnichannel_claim_kind": identity_kind, "omnichannel_claim": identifier})
        self._omnichannel_verify("signed", namespace=namespace)
        return True

    def action_omnichannel_confirm_identity(self):
        """The operator checked who the visitor is (their booking, a question only they can
        answer): the claim is confirmed, and who confirmed it is on record."""
        self.ensure_one()
        self._omnichannel_check_staff()
        if self.sudo().omnichannel_partner_id:
            raise UserError(self.env._("The visitor is already verified."))
        if not self.sudo().omnichannel_claim:
            raise UserError(self._omnichannel_unknown_visitor_message())
        self._omnichannel_verify("operator", confirmed_by=self.env.user)
        return True

    def _omnichannel_verify(self, method, confirmed_by=None, namespace="chat"):
        """The claim is proved: the session is the customer's who holds the claimed identifier (a
        new customer when nobody does), its conversation so far goes on their timeline, and the
        verification itself is an event there."""
        session = self.sudo()
        company = self._omnichannel_company()
        identity = (
            self.env["omnichannel.identity"]
            .sudo()
            ._resolve_all(
                [(session.omnichannel_claim_kind, session.omnichannel_claim)],
                company,
                namespace=namespace,
                partner_name=self.anonymous_name or None,
            )
        )
        customer = identity.partner_id
        session.write(
            {
                "omnichannel_partner_id": customer.id,
                "omnichannel_verification": method,
                "omnichannel_verified_date": fields.Datetime.now(),
                "omnichannel_verified_by_id": confirmed_by.id if confirmed_by else False,
                "omnichannel_code_digest": False,
                "omnichannel_code_expiry": False,
            }
        )
        how = dict(self._fields["omnichannel_verification"]._description_selection(self.env))[
            method
        ]
        if confirmed_by:
            text = self.env._(
                "Live chat visitor verified as %(claim)s: confirmed by %(user)s.",
                claim=session.omnichannel_claim,
                user=confirmed_by.name,
            )
        else:
            text = self.env._(
                "Live chat visitor verified as %(claim)s: %(method)s.",
                claim=session.omnichannel_claim,
                method=how,
            )
        self.env["omnichannel.inbound.event"].sudo()._store(
            [
                InboundContact(
                    channel="chat",
                    source=f"{self._name},{self.id}",
                    external_ref=f"livechat-verified:{self.id}",
                    company_id=company.id,
                    partner_id=customer.id,
                    kind=EVENT,
                    text=text,
                    open_ticket=False,
                )
            ]
        )
        self._omnichannel_tell_visitor(self.env._("Thank you, you are verified."))
        self._omnichannel_record()
