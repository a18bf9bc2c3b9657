# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models

from .omnichannel_data import LOW_RATING, SLA_TARGETS, TICKET_SLA_STATUSES

RECENT_INTERACTIONS = 10


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    omnichannel_interaction_ids = fields.One2many(
        "omnichannel.interaction", "ticket_id", string="Interactions"
    )
    omnichannel_interaction_count = fields.Integer(
        string="Interaction count", compute="_compute_omnichannel_interaction_count"
    )
    omnichannel_compensation_ids = fields.One2many(
        "omnichannel.compensation",
        "ticket_id",
        string="Compensations",
        groups="omnichannel_crm.group_omnichannel_user",
    )
    omnichannel_compensation_count = fields.Integer(
        string="Compensation count",
        compute="_compute_omnichannel_compensation_count",
        groups="omnichannel_crm.group_omnichannel_user",
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
    # How to reach the contact without asking: their preferences, consent and what is on its way.
    omnichannel_contact_lang = fields.Selection(related="partner_id.lang", string="Language")
    omnichannel_contact_tz = fields.Selection(related="partner_id.tz", string="Timezone")
    omnichannel_contact_calendar_id = fields.Many2one(
        related="partner_id.omnichannel_contact_calendar_id", string="Contact window"
    )
    omnichannel_preferred_channels = fields.Char(
        string="Preferred channels", compute="_compute_omnichannel_reach"
    )
    omnichannel_quiet_hours = fields.Char(
        string="Quiet hours", compute="_compute_omnichannel_reach"
    )
    omnichannel_consent_summary = fields.Char(
        string="Consent", compute="_compute_omnichannel_reach"
    )
    omnichannel_pending_notification_ids = fields.Many2many(
        "omnichannel.notification",
        string="Notifications on their way",
        compute="_compute_omnichannel_reach",
    )
    omnichannel_churn_score = fields.Integer(
        related="commercial_partner_id.omnichannel_churn_score", string="Churn risk"
    )
    omnichannel_rfm_segment = fields.Selection(
        related="commercial_partner_id.omnichannel_rfm_segment", string="Segment"
    )
    omnichannel_identity_ids = fields.One2many(
        related="commercial_partner_id.omnichannel_identity_ids", string="Customer identities"
    )
    omnichannel_service_level_id = fields.Many2one(
        "omnichannel.service.level",
        related="commercial_partner_id.omnichannel_service_level_id",
        store=True,
        index="btree_not_null",
        string="Service level",
    )
    omnichannel_account_manager_id = fields.Many2one(
        related="commercial_partner_id.omnichannel_account_manager_id", string="Account manager"
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
    omnichannel_sla_deciding_id = fields.Many2one(
        "helpdesk.ticket.sla",
        string="Deciding target",
        compute="_compute_omnichannel_sla_deciding_id",
        help="The target that decides the SLA status: the breached or at-risk one, else the "
        "next one due.",
    )
    omnichannel_sla_deadline = fields.Datetime(
        string="Deadline", compute="_compute_omnichannel_sla_deciding_id"
    )
    omnichannel_sla_deadline_target = fields.Selection(
        SLA_TARGETS,
        string="Deadline of",
        compute="_compute_omnichannel_sla_deciding_id",
    )

    omnichannel_complaint = fields.Boolean(
        string="Complaint",
        index="btree_not_null",
        copy=False,
        help="The customer's words read as a complaint (keywords, exclamation marks, contacts "
        "repeated within a day: the priority was raised), or an agent flagged it. The ticket gets "
        "the complaint lane of the customer's service level.",
    )
    omnichannel_complaint_reason = fields.Char(string="Complaint signals", copy=False)
    omnichannel_complaint_date = fields.Datetime(
        string="Complaint on",
        compute="_compute_omnichannel_complaint_date",
        store=True,
        copy=False,
        help="When the ticket was flagged as a complaint: repeated complaints escalate.",
    )
    omnichannel_is_escalation = fields.Boolean(
        string="Escalation", index="btree_not_null", copy=False, readonly=True
    )
    omnichannel_escalated_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        "helpdesk_ticket_escalation_rel",
        "escalation_id",
        "ticket_id",
        string="Escalated tickets",
        copy=False,
        help="The customer's tickets rated low that this escalation is about.",
    )

    @api.depends("omnichannel_complaint")
    def _compute_omnichannel_complaint_date(self):
        for ticket in self:
            if not ticket.omnichannel_complaint:
                ticket.omnichannel_complaint_date = False
            elif not ticket.omnichannel_complaint_date:
                ticket.omnichannel_complaint_date = fields.Datetime.now()

    def _compute_omnichannel_interaction_count(self):
        counts = dict(
            self.env["omnichannel.interaction"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.omnichannel_interaction_count = counts.get(ticket, 0)

    def _compute_omnichannel_compensation_count(self):
        counts = dict(
            self.env["omnichannel.compensation"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.omnichannel_compensation_count = counts.get(ticket, 0)

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

    @api.depends("partner_id", "company_id")
    def _compute_omnichannel_reach(self):
        partners = self.partner_id
        Consent = self.env["omnichannel.consent"].sudo()
        channel_labels = dict(Consent._fields["channel"]._description_selection(self.env))
        consent_texts = {
            company: Consent._summaries(tickets.partner_id, company)
            for company, tickets in self.grouped("company_id").items()
        }
        pending = dict(
            self.env["omnichannel.notification"]
            .sudo()
            ._read_group(
                [("partner_id", "in", partners.ids), ("state", "in", ("pending", "deferred"))],
                ["partner_id"],
                ["id:array_agg"],
            )
        )
        for ticket in self:
            partner = ticket.partner_id
            preferences = partner.omnichannel_channel_preference_ids.sorted("sequence")
            ticket.omnichannel_preferred_channels = " › ".join(
                preferences.mapped(
                    lambda preference: channel_labels.get(preference.channel, preference.channel)
                )
            )
            quiet = partner._omnichannel_quiet_hours() if partner else None
            ticket.omnichannel_quiet_hours = (
                "–".join("{:02d}:{:02d}".format(*divmod(round(hour * 60), 60)) for hour in quiet)
                if quiet
                else False
            )
            ticket.omnichannel_consent_summary = (
                consent_texts[ticket.company_id].get(partner.id) or False
            )
            ticket.omnichannel_pending_notification_ids = [
                Command.set(pending.get(partner, []) if partner else [])
            ]

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

    def _omnichannel_log_event(self, event, direction):
        """Opened or closed on the timeline, in the language of the company's agents."""
        Interaction = self.env["omnichannel.interaction"].sudo()
        for ticket in self.filtered("partner_id"):
            env = ticket.company_id._omnichannel_agents_env()
            summary = (
                env._("Ticket opened: %(ticket)s", ticket=ticket.display_name)
                if event == "opened"
                else env._("Ticket closed: %(ticket)s", ticket=ticket.display_name)
            )
            Interaction.create(
                {
                    "partner_id": ticket.partner_id.id,
                    "channel": ticket._omnichannel_channel(),
                    "direction": direction,
                    "interaction_type": "event",
                    "summary": summary,
                    "ticket_id": ticket.id,
                    "user_id": ticket.user_id.id,
                    "company_id": ticket.company_id.id or self.env.company.id,
                    "source_ref": f"helpdesk.ticket,{ticket.id}",
                }
            )

    @api.model_create_multi
    def create(self, vals_list):
        Team = self.env["helpdesk.ticket.team"]
        first_stages = {}
        for vals in vals_list:
            self._omnichannel_service_lane(vals)
            team = Team.browse(vals.get("team_id"))
            if "user_id" not in vals and team.omnichannel_auto_assign:
                vals["user_id"] = False  # routing assigns, not whoever created the ticket
            if team and "stage_id" not in vals:
                # The team's first stage, as helpdesk_mgmt sets it, looked up once per team.
                if team not in first_stages:
                    first_stages[team] = team._get_applicable_stages()[:1].id
                vals["stage_id"] = first_stages[team]
        tickets = super().create(vals_list)
        tickets.filtered(
            lambda ticket: not ticket.user_id and ticket.team_id.omnichannel_auto_assign
        )._omnichannel_assign()
        if not self.env.context.get("omnichannel_skip_capture"):
            tickets._omnichannel_log_event("opened", "inbound")
        tickets._omnichannel_refresh_sla_status()
        self.env["omnichannel.service.quality"]._escalate_repeated_complaints(
            tickets.filtered("omnichannel_complaint")
        )
        return tickets

    def write(self, vals):
        was_open = self.filtered(lambda ticket: not ticket.closed) if "stage_id" in vals else None
        complaining = (
            self.filtered(lambda ticket: not ticket.omnichannel_complaint)
            if vals.get("omnichannel_complaint")
            else None
        )
        result = super().write(vals)
        if was_open:
            solved = was_open.filtered("closed")
            solved._omnichannel_log_event("closed", "outbound")
            self.env["omnichannel.service.quality"]._request_ratings(solved)
        if "stage_id" in vals:
            self._omnichannel_refresh_sla_status()
        if complaining:
            if "omnichannel_complaint_reason" not in vals:
                env = self.env.company._omnichannel_agents_env()  # read by the agents
                complaining.write(
                    {
                        "omnichannel_complaint_reason": env._(
                            "flagged by %(user)s", user=self.env.user.name
                        )
                    }
                )
            self.env["omnichannel.service.quality"]._escalate_repeated_complaints(complaining)
        return result

    # ----------------------------------------------------------------------------------------------
    # Satisfaction (the quality loop itself is omnichannel.service.quality)
    # ----------------------------------------------------------------------------------------------

    def _omnichannel_rating_url(self):
        """The short page where the customer rates this ticket from 1 to 5."""
        self.ensure_one()
        token = self.sudo()._rating_get_access_token(self.partner_id)
        return f"{self.get_base_url()}/omnichannel/rate/{token}"

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if rate < LOW_RATING:
            self.env["omnichannel.service.quality"]._follow_up_low_rating(self, rating)
        return rating

    def action_view_omnichannel_compensations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omnichannel_crm.action_omnichannel_compensation"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        return action

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
