"""Inbound: one message from a new customer until it is a customer, a timeline entry and a ticket.

Ours: an SMS contact stored as the webhook stores it, then processed by the pipeline as a lane
processes it (resolve or create the customer and identity, record the interaction, open the
ticket with its SLA targets). Stock: Odoo's mail gateway turning an email from a new sender into a
helpdesk ticket with its SLA targets (`message_process`), on a database without our addons. Both
in-process, per message."""

from odoo import Command

from .common import time_each
from .pairs import Pair

SIZES = {"reduced": 60, "full": 300}


def email_message(index, sender):
    return (
        f"From: Customer {index} <{sender}>\r\n"
        f"To: care@island-tours.example.com\r\n"
        f"Subject: Question {index} about the island tour\r\n"
        f"Message-ID: <bench-{index}@mail.example.com>\r\n"
        f'Content-Type: text/plain; charset="utf-8"\r\n\r\n'
        f"Is breakfast included on day {index}?\r\n"
    )


def _prepare(env, size, stock):
    env.company.country_id = env.ref("base.cn")
    # A team with SLAs, as a customer-service desk has: the same two OCA policies on both databases
    # (ours also applies its default service-level policies, as it does for its users).
    team = env["helpdesk.ticket.team"].create({"name": "Bench desk", "use_sla": True})
    for name, hours in (("Bench answer", 1), ("Bench resolution", 8)):
        env["helpdesk.sla"].create(
            {
                "name": name,
                "hours": hours,
                "team_ids": [Command.set(team.ids)],
                "stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            }
        )
    if not stock:
        env.company.omnichannel_default_team_id = team
    return {"messages": SIZES[size], "next": 0}


def _measure(env, state, stock):
    count = state["messages"]
    first = state["next"]
    state["next"] += count + 10
    if stock:
        return time_each(
            lambda i: env["mail.thread"].message_process(
                "helpdesk.ticket", email_message(i, f"new{i}@bench.example.com")
            ),
            range(first, first + count + 10),
        )
    from odoo.addons.omnichannel_crm.tools.inbound import InboundContact  # noqa: PLC0415

    Event = env["omnichannel.inbound.event"]

    def receive(index):
        Event._store(
            [
                InboundContact(
                    channel="sms",
                    source="bench,0",
                    external_ref=f"bench-sms-{index}",
                    company_id=env.company.id,
                    identifiers=[("phone", f"+86137{index:08d}")],
                    text=f"Is breakfast included on day {index}?",
                )
            ]
        )
        Event._process_pending()

    return time_each(receive, range(first, first + count + 10))


PAIR = Pair(
    key="inbound",
    title="Inbound message → customer → interaction + ticket",
    ours_label="SMS stored and processed by the pipeline",
    stock_label="mail gateway, email → helpdesk ticket",
    prepare=_prepare,
    measure=_measure,
    goal=0.5,
    notes="per message, new senders, a team with SLA policies on both databases, in-process on "
    "both sides (the webhook's HTTP request and the mail server's delivery are not counted).",
)
