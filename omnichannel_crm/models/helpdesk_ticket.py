# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

RECENT_INTERACTIONS = 10


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    omnichannel_interaction_ids = fields.One2many(
        "omnichannel.interaction", "ticket_id", string="Interactions"
    )
    omnichannel_interaction_count = fields.Integer(
        string="Interaction count", compute="_compute_omnichannel_interaction_count"
    )
    # Customer context: what an agent taking over needs, whatever channel the customer used before.
    omnichannel_recent_interaction_ids = fields.Many2many(
        "omnichannel.interaction",
        string="Recent interactions",
        compute="_compute_omnichannel_customer_context",
    )
    omnichannel_open_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Other open tickets",
        compute="_compute_omnichannel_customer_context",
    )
    omnichannel_loyalty_tier_id = fields.Many2one(
        related="commercial_partner_id.omnichannel_loyalty_tier_id", string="Loyalty tier"
    )
    omnichannel_identity_ids = fields.One2many(
        related="commercial_partner_id.omnichannel_identity_ids", string="Customer identities"
    )

    def _compute_omnichannel_interaction_count(self):
        counts = dict(
            self.env["omnichannel.interaction"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.omnichannel_interaction_count = counts.get(ticket, 0)

    @api.depends("commercial_partner_id")
    def _compute_omnichannel_customer_context(self):
        Interaction = self.env["omnichannel.interaction"]
        for ticket in self:
            customer = ticket.commercial_partner_id
            if not customer:
                ticket.omnichannel_recent_interaction_ids = Interaction
                ticket.omnichannel_open_ticket_ids = self.browse()
                continue
            ticket.omnichannel_recent_interaction_ids = Interaction.search(
                [("commercial_partner_id", "=", customer.id)], limit=RECENT_INTERACTIONS
            )
            ticket.omnichannel_open_ticket_ids = self.search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("closed", "=", False),
                    ("id", "!=", ticket._origin.id),
                ]
            )

    # ----------------------------------------------------------------------------------------------
    # Ticket events on the timeline
    # ----------------------------------------------------------------------------------------------

    def _omnichannel_channel(self):
        return self.channel_id.omnichannel_channel or "other"

    def _omnichannel_reply_channel(self):
        """The channel an agent's public reply on this ticket reaches the customer on: email (Odoo
        notifies the followers) unless a connector delivers it on the ticket's own channel."""
        self.ensure_one()
        return "email"

    def _omnichannel_log_event(self, summary, direction):
        Interaction = self.env["omnichannel.interaction"].sudo()
        for ticket in self.filtered("partner_id"):
            Interaction.create(
                {
                    "partner_id": ticket.partner_id.id,
                    "channel": ticket._omnichannel_channel(),
                    "direction": direction,
                    "interaction_type": "event",
                    "summary": summary % {"ticket": ticket.display_name},
                    "ticket_id": ticket.id,
                    "user_id": ticket.user_id.id,
                    "company_id": ticket.company_id.id or self.env.company.id,
                    "source_ref": f"helpdesk.ticket,{ticket.id}",
                }
            )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        if not self.env.context.get("omnichannel_skip_capture"):
            tickets._omnichannel_log_event(_("Ticket opened: %(ticket)s"), "inbound")
        return tickets

    def write(self, vals):
        was_open = self.filtered(lambda ticket: not ticket.closed) if "stage_id" in vals else None
        result = super().write(vals)
        if was_open:
            was_open.filtered("closed")._omnichannel_log_event(
                _("Ticket closed: %(ticket)s"), "outbound"
            )
        return result

    def action_view_omnichannel_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omnichannel_crm.action_omnichannel_interaction"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {
            "default_ticket_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action
