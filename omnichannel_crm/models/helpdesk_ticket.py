# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.tools import html2plaintext

from ..tools import text_signals
from .omnichannel_data import SLA_TARGETS, TICKET_SLA_STATUSES

RECENT_INTERACTIONS = 10


OPEN_TICKET_SLA = ("on_track", "at_risk", "paused")
# A rating below this is low: two of them within the window open an escalation.
LOW_RATING = 4
# This many inbound contacts within 24 hours read as an upset customer.
REPEATED_CONTACTS = 3


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
        "repeated within a day): the priority was raised.",
    )
    omnichannel_complaint_reason = fields.Char(string="Complaint signals", copy=False)
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

    @api.depends("partner_id")
    def _compute_omnichannel_reach(self):
        partners = self.partner_id
        Consent = self.env["omnichannel.consent"].sudo()
        channel_labels = dict(Consent._fields["channel"]._description_selection(self.env))
        # "Email service: given", per partner, read set-wise once for all the tickets.
        consent_texts = defaultdict(list)
        for purpose, label in (
            ("service", self.env._("service")),
            ("marketing", self.env._("marketing")),
        ):
            for (partner_id, channel), granted in sorted(
                Consent._current(partners, purpose).items()
            ):
                consent_texts[partner_id].append(
                    self.env._(
                        "%(channel)s %(purpose)s: %(state)s",
                        channel=channel_labels.get(channel, channel),
                        purpose=label,
                        state=self.env._("given") if granted else self.env._("withdrawn"),
                    )
                )
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
            ticket.omnichannel_consent_summary = "; ".join(consent_texts[partner.id]) or False
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
            company = ticket.company_id or self.env.company
            env = ticket.with_context(lang=company._omnichannel_lang()).env
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
        for vals in vals_list:
            self._omnichannel_service_lane(vals)
            if "user_id" not in vals and Team.browse(vals.get("team_id")).omnichannel_auto_assign:
                vals["user_id"] = False  # routing assigns, not whoever created the ticket
        tickets = super().create(vals_list)
        tickets.filtered(
            lambda ticket: not ticket.user_id and ticket.team_id.omnichannel_auto_assign
        )._omnichannel_assign()
        if not self.env.context.get("omnichannel_skip_capture"):
            tickets._omnichannel_log_event("opened", "inbound")
        tickets._omnichannel_refresh_sla_status()
        return tickets

    def write(self, vals):
        was_open = self.filtered(lambda ticket: not ticket.closed) if "stage_id" in vals else None
        result = super().write(vals)
        if was_open:
            solved = was_open.filtered("closed")
            solved._omnichannel_log_event("closed", "outbound")
            solved._omnichannel_request_rating()
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

    @api.depends(
        "ticket_sla_ids.deadline",
        "ticket_sla_ids.omnichannel_status",
        "ticket_sla_ids.omnichannel_met_date",
    )
    def _compute_omnichannel_sla_deciding_id(self):
        # The order of the ticket's status: a breached target first, then at risk, then on track;
        # the earliest deadline among equals. Targets met (late or not) decide nothing.
        rank = {"breached": 0, "at_risk": 1, "on_track": 2}
        for ticket in self:
            running = ticket.ticket_sla_ids.filtered(
                lambda line: (
                    line.omnichannel_status in rank
                    and line.deadline
                    and not line.omnichannel_met_date
                )
            )
            deciding = running.sorted(lambda line: (rank[line.omnichannel_status], line.deadline))[
                :1
            ]
            ticket.omnichannel_sla_deciding_id = deciding
            ticket.omnichannel_sla_deadline = deciding.deadline
            ticket.omnichannel_sla_deadline_target = deciding.omnichannel_target

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
               SET omnichannel_status = 'breached', state = 'expired',
                   write_date = now() AT TIME ZONE 'UTC'
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
        """Default reaction to a target at risk: a silent assignee's ticket goes to another
        available agent when the team says so; a to-do for the assignee, due today."""
        self.filtered(
            lambda ticket: (
                ticket.team_id.omnichannel_reassign_silent and ticket._omnichannel_awaiting_answer()
            )
        )._omnichannel_assign(reassign=True)
        for ticket in self.filtered("user_id"):
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                # A to-do is a message to its user: in their language.
                summary=ticket.with_context(lang=ticket.user_id.lang).env._(
                    "SLA at risk: answer the customer"
                ),
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
                company = ticket.company_id or self.env.company
                env = ticket.with_context(lang=company._omnichannel_lang()).env
                ticket.message_post(
                    body=env._("SLA breached on %(ticket)s.", ticket=ticket.display_name),
                    partner_ids=partners.ids,
                    subtype_xmlid="mail.mt_note",
                )

    # ----------------------------------------------------------------------------------------------
    # Routing
    # ----------------------------------------------------------------------------------------------

    def _omnichannel_awaiting_answer(self):
        """A response target of the ticket is at risk and not met: the customer waits."""
        self.ensure_one()
        return any(
            line.omnichannel_target in ("first_response", "next_response")
            and line.omnichannel_status == "at_risk"
            and not line.omnichannel_met_date
            for line in self.ticket_sla_ids
        )

    def _omnichannel_assign(self, reassign=False):
        """Give each ticket to the least-loaded available member of its team (another one than the
        silent assignee when reassigning); a ticket that finds nobody waits in the queue."""
        for ticket in self:
            previous = ticket.user_id
            agent = ticket.team_id._omnichannel_pick_agent(exclude=previous if reassign else None)
            if not agent:
                continue
            ticket.sudo().user_id = agent
            if reassign and previous:
                ticket.message_post(
                    body=_(
                        "Reassigned from %(previous)s to %(agent)s: no answer to the customer "
                        "before the response target.",
                        previous=previous.name,
                        agent=agent.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _cron_assign_queue(self):
        """Unassigned open tickets of auto-assigning teams, VIP and urgent first, go to the agents
        who became available."""
        queue = self.sudo().search(
            [
                ("user_id", "=", False),
                ("closed", "=", False),
                ("team_id.omnichannel_auto_assign", "=", True),
            ],
            order="priority desc, create_date, id",
        )
        ranked = queue.sorted(lambda ticket: -(ticket.omnichannel_service_level_id.sequence or 0))
        ranked._omnichannel_assign()

    # ----------------------------------------------------------------------------------------------
    # Complaints, satisfaction and escalations
    # ----------------------------------------------------------------------------------------------

    def _omnichannel_check_complaint(self, interaction):
        """Read the customer's new message: a complaint raises the priority once and flags the
        ticket, with the signals found."""
        self.ensure_one()
        company = self.company_id or self.env.company
        env = self.with_context(lang=company._omnichannel_lang()).env  # read by the agents
        text = html2plaintext(interaction.body or "") or interaction.summary
        keywords = text_signals.keyword_list(company.omnichannel_complaint_keywords)
        signals = [
            env._("keyword “%(word)s”", word=detail)
            if kind == "keyword"
            else env._("%(count)s exclamation marks", count=detail)
            for kind, detail in text_signals.complaint_signals(text, keywords)
        ]
        repeats = (
            self.env["omnichannel.interaction"]
            .sudo()
            .search_count(
                [
                    ("commercial_partner_id", "=", interaction.commercial_partner_id.id),
                    ("direction", "=", "inbound"),
                    ("interaction_type", "!=", "event"),
                    ("date", ">=", interaction.date - timedelta(hours=24)),
                ]
            )
        )
        if repeats >= REPEATED_CONTACTS:
            signals.append(env._("%(count)s contacts within 24 hours", count=repeats))
        if not signals or self.omnichannel_complaint:
            return
        self.sudo().write(
            {
                "omnichannel_complaint": True,
                "omnichannel_complaint_reason": "; ".join(signals),
                "priority": str(min(3, int(self.priority or 0) + 1)),
            }
        )

    def _omnichannel_request_rating(self):
        """Ask the customers of solved tickets how it went, on their preferred channel."""
        for ticket in self.filtered("partner_id"):
            company = ticket.company_id or self.env.company
            scenario = company.omnichannel_csat_scenario_id
            if not scenario or ticket.omnichannel_is_escalation:
                continue
            ticket.sudo()._rating_get_access_token(ticket.partner_id)
            self.env["omnichannel.notification"].notify(ticket.partner_id, scenario, record=ticket)

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
            self._omnichannel_escalate_if_repeated()
        return rating

    def _omnichannel_escalate_if_repeated(self):
        """A second low rating from the same customer within the window opens one escalation ticket
        for the cross-department team, linked to the low-rated tickets; later low ratings join it
        while it is open. The account manager is told."""
        self.ensure_one()
        company = self.company_id or self.env.company
        env = self.with_context(lang=company._omnichannel_lang()).env  # read by the agents
        customer = self.commercial_partner_id
        since = fields.Datetime.now() - timedelta(days=company.omnichannel_escalation_days)
        low = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("consumed", "=", True),
                    ("rating", "<", LOW_RATING),
                    ("partner_id.commercial_partner_id", "=", customer.id),
                    ("write_date", ">=", since),
                ]
            )
        )
        tickets = self.browse(low.mapped("res_id")).exists()
        if len(tickets) < 2:
            return
        Ticket = self.sudo()
        escalation = Ticket.search(
            [
                ("omnichannel_is_escalation", "=", True),
                ("commercial_partner_id", "=", customer.id),
                ("closed", "=", False),
            ],
            limit=1,
        )
        if escalation:
            escalation.omnichannel_escalated_ticket_ids = [(4, ticket.id) for ticket in tickets]
            return
        team = company.omnichannel_escalation_team_id
        manager = customer.account_manager_id or customer.user_id
        lines = Markup("").join(
            Markup("<li>%s: %s/5 %s</li>")
            % (ticket.display_name, f"{rating.rating:g}", rating.feedback or "")
            for ticket in tickets
            for rating in low.filtered(lambda r, ticket=ticket: r.res_id == ticket.id)[:1]
        )
        escalation = Ticket.with_context(omnichannel_skip_capture=True).create(
            {
                "name": env._(
                    "Escalation: %(customer)s rated us low twice", customer=customer.name
                ),
                "description": Markup("<p>%s</p><ul>%s</ul>") % (env._("Low ratings:"), lines),
                "partner_id": customer.id,
                "team_id": team.id,
                "company_id": company.id,
                "priority": "3",
                "omnichannel_is_escalation": True,
                "omnichannel_escalated_ticket_ids": [(6, 0, tickets.ids)],
            }
        )
        if manager:
            escalation.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=escalation.with_context(lang=manager.lang).env._(
                    "Escalation: call %(customer)s", customer=customer.name
                ),
                user_id=manager.id,
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
