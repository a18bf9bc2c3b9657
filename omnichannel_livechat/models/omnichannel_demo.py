# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, api, models
from odoo.tools import plaintext2html


class OmnichannelDemo(models.AbstractModel):
    """The month's live chats happen in live chat sessions on the agency's website: the visitor
    gives their mobile number, the operator confirms who they are, and the session's messages reach
    the timeline and the ticket as every live chat's do."""

    _inherit = "omnichannel.demo"

    @api.model
    def _demo_tables(self):
        return (*super()._demo_tables(), "discuss_channel")

    @api.model
    def _demo_customer_turn(self, conv, messages, run):
        if conv.channel != "chat":
            return super()._demo_customer_turn(conv, messages, run)
        session, guest = self._demo_session(conv, run)
        visitor = session.with_user(self.env.ref("base.public_user")).with_context(guest=guest)
        for _number, (minutes, text) in messages:
            visitor.sudo().message_post(
                body=plaintext2html(text),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                date=run["utc"](conv.start + timedelta(minutes=minutes)),
            )
        return []  # the session hands them to the pipeline

    @api.model
    def _demo_agent_turn(self, conv, messages, run):
        if conv.channel != "chat":
            return super()._demo_agent_turn(conv, messages, run)
        session, _guest = self._demo_session(conv, run)
        operator = session.with_user(run["agents"][conv.agent])
        for _number, (minutes, text) in messages:
            operator.message_post(
                body=plaintext2html(text),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                date=run["utc"](conv.start + timedelta(minutes=minutes)),
            )

    @api.model
    def _demo_opened_tickets(self, conversations, run):
        tickets = super()._demo_opened_tickets(conversations, run)
        for key, (session, _guest) in run.get("sessions", {}).items():
            if session.omnichannel_ticket_id:
                tickets[key] = session.omnichannel_ticket_id
        return tickets

    @api.model
    def _demo_session(self, conv, run):
        """The conversation's session: opened by the visitor, who first gives their number, which
        the operator confirms against the booking."""
        sessions = run.setdefault("sessions", {})
        if conv.key in sessions:
            return sessions[conv.key]
        agent = run["agents"][conv.agent]
        livechat = self.env.ref("im_livechat.im_livechat_channel_data")
        session = self.env["discuss.channel"].create(
            {
                "name": f"{conv.customer.name} {agent.name}",
                "channel_type": "livechat",
                "livechat_active": True,
                "livechat_channel_id": livechat.id,
                "livechat_operator_id": agent.partner_id.id,
                "anonymous_name": conv.customer.name,
                "channel_member_ids": [Command.create({"partner_id": agent.partner_id.id})],
            }
        )
        guest = self.env["mail.guest"].create({"name": conv.customer.name})
        session.add_members(guest_ids=guest.ids)
        sessions[conv.key] = session, guest
        before = conv.start - timedelta(minutes=1)
        session.with_user(self.env.ref("base.public_user")).with_context(
            guest=guest
        ).sudo().message_post(
            body=plaintext2html(
                f"我的手机号是 {conv.customer.mobile}"
                if conv.customer.lang == "zh_CN"
                else f"My mobile number is {conv.customer.mobile}"
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            date=run["utc"](before),
        )
        session.with_user(agent).action_omnichannel_confirm_identity()
        return sessions[conv.key]

    @api.model
    def _demo_settle(self, since):
        """The month's chats are over: their sessions closed, their verifications dated then."""
        result = super()._demo_settle(since)
        cr = self.env.cr
        cr.execute(
            """
            UPDATE discuss_channel SET livechat_active = FALSE
             WHERE id > %s AND channel_type = 'livechat'
            """,
            (since["discuss_channel"],),
        )
        cr.execute(
            """
            UPDATE omnichannel_interaction i SET date = first.date
              FROM (SELECT res_id, min(date) AS date FROM mail_message
                     WHERE model = 'discuss.channel' GROUP BY res_id) first
             WHERE i.id > %s AND i.external_ref = 'livechat-verified:' || first.res_id
            """,
            (since["omnichannel_interaction"],),
        )
        self.env.invalidate_all()
        return result
