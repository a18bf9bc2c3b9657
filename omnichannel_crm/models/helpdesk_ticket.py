# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

RECENT_INTERACTIONS = 10
TICKET_PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]
# The ticket's SLA status is the worst of its open targets', in this order.
TICKET_SLA_STATUSES = [
    ("breached", "Breached"),
    ("at_risk", "At risk"),
    ("on_track", "On track"),
    ("paused", "Paused"),
    ("met", "Met"),
]


OPEN_TICKET_SLA = ("on_track", "at_risk", "paused")


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
    omnichannel_service_level_id = fields.Many2one(
        "omnichannel.service.level",
        related="commercial_partner_id.service_level_id",
        store=True,
        index="btree_not_null",
        string="Service level",
    )
    omnichannel_account_manager_id = fields.Many2one(
        related="commercial_partner_id.account_manager_id", string="Account manager"
    )
    omnichannel_sla_status = fields.Selection(
        TICKET_SLA_STATUSES,
        string="SLA status",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The worst status of the ticket's SLA targets. Automated actions can react to its "
        "changes (at risk, breached).",
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
        for vals in vals_list:
            self._omnichannel_service_lane(vals)
        tickets = super().create(vals_list)
        if not self.env.context.get("omnichannel_skip_capture"):
            tickets._omnichannel_log_event(_("Ticket opened: %(ticket)s"), "inbound")
        tickets._omnichannel_refresh_sla_status()
        return tickets

    def write(self, vals):
        was_open = self.filtered(lambda ticket: not ticket.closed) if "stage_id" in vals else None
        result = super().write(vals)
        if was_open:
            was_open.filtered("closed")._omnichannel_log_event(
                _("Ticket closed: %(ticket)s"), "outbound"
            )
        if "stage_id" in vals:
            self._omnichannel_refresh_sla_status()
        return result

    # ----------------------------------------------------------------------------------------------
    # Service levels and SLAs
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _omnichannel_service_lane(self, vals):
        """The customer's service level raises the priority and sends the ticket to their account
        manager, or the level's team, first."""
        partner = self.env["res.partner"].browse(vals.get("partner_id")).commercial_partner_id
        level = partner.service_level_id
        if not level:
            return
        if level.priority_boost:
            priority = int(vals.get("priority") or self._fields["priority"].default(self) or 0)
            vals["priority"] = str(min(3, priority + level.priority_boost))
        if (
            level.account_manager_required
            and partner.account_manager_id
            and not vals.get("user_id")
        ):
            vals["user_id"] = partner.account_manager_id.id
        elif level.team_id and not vals.get("user_id"):
            vals["team_id"] = level.team_id.id

    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        level = self.omnichannel_service_level_id or self.commercial_partner_id.service_level_id
        return [
            *domain,
            "|",
            ("omnichannel_service_level_id", "=", False),
            ("omnichannel_service_level_id", "=", level.id),
            "|",
            ("omnichannel_channel_ids", "=", False),
            ("omnichannel_channel_ids", "=", self.channel_id.id),
            "|",
            ("omnichannel_priority", "=", False),
            ("omnichannel_priority", "=", self.priority),
            "|",
            ("company_id", "=", False),
            ("company_id", "=", self.company_id.id),
        ]

    def _omnichannel_retarget(self):
        """Match the open tickets' targets again (after the customer's service level changed)."""
        for ticket in self.filtered(lambda t: not t.closed and t.team_id.use_sla):
            ticket.refresh_sla()
            ticket.ticket_sla_ids.filtered(
                lambda line: line.omnichannel_status in ("on_track", "at_risk")
            )._compute_deadline()
        self._omnichannel_refresh_sla_status()

    def _omnichannel_on_contact(self, interaction):
        """Response targets follow the conversation: an agent's answer on any channel meets the
        running ones; a customer's message after an answer starts a next-response target."""
        self.ensure_one()
        lines = self.ticket_sla_ids
        if interaction.direction == "outbound":
            author = interaction.user_id
            if not author or author.share or author._is_superuser():
                return  # automatic messages are not answers
            lines.filtered(
                lambda line: (
                    line.omnichannel_target in ("first_response", "next_response")
                    and line.omnichannel_status in ("on_track", "at_risk", "paused", "breached")
                    and not line.omnichannel_met_date
                )
            )._omnichannel_meet(interaction.date)
        else:
            answered = lines.filtered(
                lambda line: (
                    line.omnichannel_target == "first_response" and line.omnichannel_met_date
                )
            )
            running = lines.filtered(
                lambda line: (
                    line.omnichannel_target == "next_response"
                    and line.omnichannel_status in OPEN_TICKET_SLA
                )
            )
            if not answered or running:
                return
            for policy in lines.filtered(
                lambda line: line.omnichannel_target == "next_response"
            ).sla_id:
                waiting = lines.filtered(
                    lambda line, policy=policy: (
                        line.sla_id == policy and line.omnichannel_status == "waiting"
                    )
                )[:1]
                if not waiting:
                    waiting = (
                        self.env["helpdesk.ticket.sla"]
                        .sudo()
                        .create({"ticket_id": self.id, "sla_id": policy.id})
                    )
                waiting._omnichannel_start(interaction.date)
        self._omnichannel_refresh_sla_status()

    def _omnichannel_refresh_sla_status(self):
        """Set each ticket's SLA status from its targets, in one query; tickets are written grouped
        by new status (one UPDATE each), so automated actions see the changes."""
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT ticket.id, ticket.omnichannel_sla_status,
                   CASE WHEN bool_or(line.omnichannel_status = 'breached'
                                     AND line.omnichannel_met_date IS NULL) THEN 'breached'
                        WHEN bool_or(line.omnichannel_status = 'at_risk') THEN 'at_risk'
                        WHEN bool_or(line.omnichannel_status = 'on_track') THEN 'on_track'
                        WHEN bool_or(line.omnichannel_status = 'paused') THEN 'paused'
                        WHEN bool_or(line.omnichannel_status IN ('met', 'breached')) THEN 'met'
                   END
              FROM helpdesk_ticket ticket
              LEFT JOIN helpdesk_ticket_sla line ON line.ticket_id = ticket.id
             WHERE ticket.id = ANY(%s)
             GROUP BY ticket.id
            """,
            (self.ids,),
        )
        changes = {}
        for ticket_id, old, new in self.env.cr.fetchall():
            if old != new:
                changes.setdefault(new, []).append(ticket_id)
        for status, ticket_ids in changes.items():
            self.browse(ticket_ids).sudo().write({"omnichannel_sla_status": status})

    @api.model
    def _cron_update_sla_status(self):
        """Move running targets to at risk and breached, set-wise: one UPDATE per status over all
        open targets, then the tickets whose status changed are written grouped by status."""
        now = fields.Datetime.now()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            UPDATE helpdesk_ticket_sla
               SET omnichannel_status = 'breached', state = 'expired'
             WHERE state = 'in_progress' AND omnichannel_status IN ('on_track', 'at_risk')
               AND deadline <= %s
         RETURNING ticket_id
            """,
            (now,),
        )
        changed = {row[0] for row in cr.fetchall()}
        cr.execute(
            """
            UPDATE helpdesk_ticket_sla
               SET omnichannel_status = 'at_risk'
             WHERE state = 'in_progress' AND omnichannel_status = 'on_track'
               AND omnichannel_at_risk_date <= %s
         RETURNING ticket_id
            """,
            (now,),
        )
        changed |= {row[0] for row in cr.fetchall()}
        self.env["helpdesk.ticket.sla"].invalidate_model(["omnichannel_status", "state"])
        self.browse(sorted(changed))._omnichannel_refresh_sla_status()
        return len(changed)

    def _omnichannel_sla_at_risk(self):
        """Default reaction to a target at risk: a to-do for the assignee, due today."""
        for ticket in self.filtered("user_id"):
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("SLA at risk: answer the customer"),
                user_id=ticket.user_id.id,
            )

    def _omnichannel_sla_breached(self):
        """Default reaction to a breach: raise the priority, and tell the team leader and the
        customer's account manager."""
        for ticket in self:
            if ticket.priority != "3":
                ticket.priority = str(int(ticket.priority or 0) + 1)
            users = ticket.team_id.user_id | ticket.commercial_partner_id.account_manager_id
            partners = users.partner_id
            if partners:
                ticket.message_post(
                    body=_("SLA breached on %(ticket)s.", ticket=ticket.display_name),
                    partner_ids=partners.ids,
                    subtype_xmlid="mail.mt_note",
                )

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
