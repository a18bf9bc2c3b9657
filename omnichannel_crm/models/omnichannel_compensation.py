# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, plaintext2html

# The programs a compensation is granted from: a new coupon, or points on the customer's card.
COMPENSATION_PROGRAM_TYPES = ("coupons", "loyalty")


class OmnichannelCompensation(models.Model):
    """A goodwill gesture granted to a customer from a ticket: a coupon of a coupon program, or
    points on the customer's card of a loyalty program. Kept as it was granted (who, when, on
    which ticket, what it was worth and why) for audit and for the KPIs; nobody edits or deletes
    one. Each grant is checked against the company's limit for the granting agent's role."""

    _name = "omnichannel.compensation"
    _description = "Customer Compensation"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Granted by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, readonly=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="ticket_id.commercial_partner_id",
        store=True,
        precompute=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, precompute=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    program_id = fields.Many2one(
        "loyalty.program",
        required=True,
        readonly=True,
        ondelete="restrict",
        domain=[("program_type", "in", COMPENSATION_PROGRAM_TYPES)],
    )
    program_type = fields.Selection(related="program_id.program_type")
    points = fields.Float(required=True, readonly=True)
    value = fields.Monetary(
        readonly=True,
        help="What the points are worth: the points times the program's value of a point, in the "
        "company's currency.",
    )
    reason = fields.Text(required=True, readonly=True)
    card_id = fields.Many2one(
        "loyalty.card",
        string="Card or coupon",
        readonly=True,
        ondelete="restrict",
        groups="omnichannel_crm.group_omnichannel_manager",
    )
    coupon_code = fields.Char(
        readonly=True, help="The code of the coupon granted, for the customer to use it."
    )

    _sql_constraints = [
        ("points_positive", "CHECK(points > 0)", "A compensation grants more than 0 points."),
    ]

    @api.depends("program_id", "value")
    def _compute_display_name(self):
        for grant in self:
            grant.display_name = f"{grant.program_id.name}: {grant._format_value()}"

    def _format_value(self):
        return format_amount(self.env, self.value, self.currency_id)

    @api.model
    def _point_value(self, program, company):
        """What one point of `program` is worth in `company`'s currency."""
        return program.currency_id._convert(
            program.omnichannel_point_value, company.currency_id, company, fields.Date.today()
        )

    @api.model
    def _grant_limit(self, company):
        """The highest value the current user may grant at once in `company` (0: no limit)."""
        if self.env.user.has_group("omnichannel_crm.group_omnichannel_manager"):
            return company.omnichannel_compensation_manager_limit
        return company.omnichannel_compensation_user_limit

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # Who, when and what it gave are the grant's own record, not the caller's to say.
            vals["user_id"] = self.env.user.id
            for field in ("date", "card_id", "coupon_code"):
                vals.pop(field, None)
            vals["value"] = self._check_grant(vals)
        grants = super().create(vals_list)
        for grant in grants:
            grant._apply()
        return grants

    def _check_grant(self, vals):
        """The value of the grant `vals` describes, once it is allowed: the ticket is the user's
        to work on, the program one to compensate from, and the value within the user's limit."""
        ticket = self.env["helpdesk.ticket"].browse(vals.get("ticket_id"))
        ticket.check_access("write")
        program = self.env["loyalty.program"].sudo().browse(vals.get("program_id")).exists()
        company = ticket.company_id
        if (
            not program
            or program.program_type not in COMPENSATION_PROGRAM_TYPES
            or program.company_id not in (company, self.env["res.company"])
        ):
            raise UserError(
                self.env._(
                    "Compensations are granted from a coupon or loyalty program of the ticket's "
                    "company."
                )
            )
        if not ticket.commercial_partner_id:
            raise UserError(self.env._("Set the ticket's customer before granting a compensation."))
        if program.omnichannel_point_value <= 0:
            raise UserError(
                self.env._(
                    "The program %(program)s has no value of a point: a manager sets it on the "
                    "program before agents grant from it.",
                    program=program.name,
                )
            )
        value = company.currency_id.round(
            vals.get("points", 0) * self._point_value(program, company)
        )
        limit = self._grant_limit(company)
        if limit and company.currency_id.compare_amounts(value, limit) > 0:
            raise UserError(
                self.env._(
                    "This compensation is worth %(value)s, more than the %(limit)s you may grant "
                    "at once. Grant less, or ask an Omnichannel manager to grant it.",
                    value=format_amount(self.env, value, company.currency_id),
                    limit=format_amount(self.env, limit, company.currency_id),
                )
            )
        return value

    def _apply(self):
        """Give the customer the points (a new coupon, or their card of the program), with the
        ledger line, and record the grant on the ticket and on the customer's timeline. Done as
        superuser once allowed: agents have no rights on the loyalty programs themselves."""
        self.ensure_one()
        env = self.company_id._omnichannel_agents_env()
        program = self.program_id.sudo()
        Card = self.env["loyalty.card"].sudo()
        if program.program_type == "coupons":
            card = Card.create({"program_id": program.id, "partner_id": self.partner_id.id})
        else:
            card = Card.search(
                [("program_id", "=", program.id), ("partner_id", "=", self.partner_id.id)],
                order="id",
                limit=1,
            ) or Card.create({"program_id": program.id, "partner_id": self.partner_id.id})
        # The value is what the agent was allowed to grant: no tier bonus on top of it.
        self.env["loyalty.history"].sudo().with_context(omnichannel_tier_bonus=True).create(
            {
                "card_id": card.id,
                "description": self.reason,
                "issued": self.points,
                "order_model": self._name,
                "order_id": self.id,
            }
        )
        card.points += self.points
        self.sudo().write(
            {
                "card_id": card.id,
                "coupon_code": card.code if card.program_type == "coupons" else False,
            }
        )
        what = (
            env._(
                "coupon %(code)s (%(points)s)",
                code=card.code,
                points=card._format_points(self.points),
            )
            if self.coupon_code
            else card._format_points(self.points)
        )
        summary = env._(
            "Compensation granted: %(what)s from %(program)s, worth %(value)s",
            what=what,
            program=program.name,
            value=self._format_value(),
        )
        ticket = self.ticket_id
        self.env["omnichannel.interaction"].sudo().create(
            {
                "partner_id": ticket.partner_id.id,
                "channel": ticket._omnichannel_channel(),
                "direction": "outbound",
                "interaction_type": "event",
                "summary": summary,
                "body": plaintext2html(self.reason),
                "ticket_id": ticket.id,
                "user_id": self.user_id.id,
                "company_id": self.company_id.id,
                "source_ref": f"{self._name},{self.id}",
            }
        )
        ticket.message_post(
            body=Markup("<p>%s</p>%s") % (summary, plaintext2html(self.reason)),
            subtype_xmlid="mail.mt_note",
        )
