"""Inbound: a customer's message until it is on the customer's timeline and ticket, with the
ticket's SLA targets; a new customer's first message, and a known customer's follow-up on their
open ticket.

Ours: an SMS contact stored as the webhook stores it, then processed by the pipeline as a lane
processes it (resolve or create the customer and identity, record the interaction, open or find
the ticket with its SLA targets, post the customer's words on it). Stock: Odoo's mail gateway
(`message_process`) turning an email into a helpdesk ticket of the same team, with the same SLA
policies, on a database without our addons; for a new sender it first creates the sender's
partner (`_mail_find_partner_from_emails` with creation, as Odoo's own paths that must know the
customer do), for a follow-up it takes the reply path (the email answers the ticket's first one).
Both in-process, per message; our side's time is itemised."""

from odoo import Command

from .common import Stopwatch, sample_each
from .pairs import Pair

SIZES = {"reduced": 60, "full": 300}
WARMUP = 10
# Ours: what an SMS ticket of a Standard customer gets from our default service-level policies;
# the stock database gets the same two as plain OCA policies (OCA has no first or next response
# targets: there they run from the ticket's creation, as resolution targets do).
OUR_DEFAULT_POLICIES = (
    ("First response on email and SMS: 15 minutes", 0.25, False),
    ("Routine questions answered: 4 hours", 4, '[("priority", "!=", "3")]'),
)
BENCH_POLICIES = (("Bench answer", 1), ("Bench resolution", 8))
TARGETS = len(BENCH_POLICIES) + len(OUR_DEFAULT_POLICIES)

# Our side's parts: label -> (model, method). Labels starting with "of which" are inside the
# row above them.
OUR_PARTS = {
    "event stored (the webhook's insert)": ("omnichannel.inbound.event", "_store"),
    "event claimed by the lane": ("omnichannel.inbound.event", "_claim"),
    "identity: customer resolved or created": ("omnichannel.identity", "_resolve_many"),
    "customer's turn taken": ("omnichannel.customer.turn", "_take"),
    "interaction: timeline entry created": (
        "omnichannel.interaction",
        "_create_deduplicated_many",
    ),
    "ticket routed (found or opened, words posted)": (
        "omnichannel.interaction",
        "_route_to_tickets",
    ),
    "of which ticket created": ("helpdesk.ticket", "create"),
    "of which SLA targets planned (set_sla)": ("helpdesk.ticket", "set_sla"),
    # The lanes post a batch's messages together, as message_post posts each.
    "of which customer's words posted": ("helpdesk.ticket", "_omnichannel_post_comments"),
}
STOCK_PARTS = {
    "email parsed": ("mail.thread", "message_parse"),
    "sender's partner found or created": ("mail.thread", "_mail_find_partner_from_emails"),
    "of which ticket created": ("helpdesk.ticket", "create"),
    "of which SLA targets planned (set_sla)": ("helpdesk.ticket", "set_sla"),
    "of which customer's words posted": ("helpdesk.ticket", "message_post"),
}


def email_message(index, sender, reply=False):
    """The email of customer `index`: their first message, or with `reply` their answer to it."""
    subject = f"Question {index} about the island tour"
    headers = f"Message-ID: <bench-{index}@mail.example.com>\r\n"
    body = f"Is breakfast included on day {index}?"
    if reply:
        subject = f"Re: {subject}"
        headers = (
            f"Message-ID: <bench-{index}-reply@mail.example.com>\r\n"
            f"In-Reply-To: <bench-{index}@mail.example.com>\r\n"
            f"References: <bench-{index}@mail.example.com>\r\n"
        )
        body = "And is there a vegetarian option?"
    return (
        f"From: Customer {index} <{sender}>\r\n"
        f"To: care@island-tours.example.com\r\n"
        f"Subject: {subject}\r\n{headers}"
        f'Content-Type: text/plain; charset="utf-8"\r\n\r\n{body}\r\n'
    )


def sender(index):
    return f"customer{index}@bench.example.com"


def phone(index):
    return f"+86137{index:08d}"


def desk(env, stock, mirror_defaults=True):
    """The customer-service desk both databases get: a team with SLAs and the benchmark's two
    policies; on the stock one also our default policies as plain OCA ones (`mirror_defaults`).
    Our database makes it the company's default team. Returns the team's id."""
    env.company.country_id = env.ref("base.cn")
    # With working hours: without a calendar OCA plans no deadline at all.
    team = env["helpdesk.ticket.team"].create(
        {
            "name": "Bench desk",
            "use_sla": True,
            "resource_calendar_id": env.ref("resource.resource_calendar_std").id,
        }
    )
    policies = [(name, hours, False) for name, hours in BENCH_POLICIES]
    if stock and mirror_defaults:
        policies += OUR_DEFAULT_POLICIES
    for name, hours, domain in policies:
        env["helpdesk.sla"].create(
            {
                "name": name,
                "hours": hours,
                "domain": domain,
                "team_ids": [Command.set(team.ids)],
                "stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            }
        )
    if not stock:
        env.company.omnichannel_default_team_id = team
    return team.id


def gateway(env, team_id, index, reply=False):
    """Odoo's mail gateway receiving customer `index`'s email for the desk (as the team's alias
    would route it); a new sender's partner is created first."""
    if not reply:
        env["mail.thread"]._mail_find_partner_from_emails([sender(index)], force_create=True)
    return env["mail.thread"].message_process(
        "helpdesk.ticket",
        email_message(index, sender(index), reply=reply),
        custom_values={"team_id": team_id},
    )


def receive_sms(env, index, reply=False):
    from odoo.addons.omnichannel_crm.tools.inbound import InboundContact  # noqa: PLC0415

    Event = env["omnichannel.inbound.event"]
    Event._store(
        [
            InboundContact(
                channel="sms",
                source="bench,0",
                external_ref=f"bench-sms-{index}{'-reply' if reply else ''}",
                company_id=env.company.id,
                identifiers=[("phone", phone(index))],
                text="And is there a vegetarian option?"
                if reply
                else f"Is breakfast included on day {index}?",
            )
        ]
    )
    Event._process_pending()


def check_targets(env, stock, count=TARGETS):
    """Both sides' tickets have the same SLA targets: the benchmark compares nothing else."""
    ticket = env["helpdesk.ticket"].search([], order="id desc", limit=1)
    targets = ticket.ticket_sla_ids
    if len(targets) != count or not all(targets.mapped("deadline")):
        side = "stock" if stock else "ours"
        raise AssertionError(
            f"{side}: the benchmark's ticket has {len(targets)} SLA targets, not {count}, or "
            "one without a deadline: "
            + ", ".join(f"{line.sla_id.name} ({line.deadline})" for line in targets)
        )


def _prepare_new(env, size, stock):
    return {"team": desk(env, stock), "messages": SIZES[size] + WARMUP}


def _measure_new(env, state, stock):
    if stock:
        work = lambda i: gateway(env, state["team"], i)  # noqa: E731
    else:
        work = lambda i: receive_sms(env, i)  # noqa: E731
    with Stopwatch(env, STOCK_PARTS if stock else OUR_PARTS) as stopwatch:
        sample = sample_each(work, range(state["messages"]), WARMUP, env.cr, stopwatch)
    check_targets(env, stock)
    return sample


def _prepare_followup(env, size, stock):
    """The customers of the follow-ups, each with their first message on an open ticket."""
    state = _prepare_new(env, size, stock)
    for index in range(state["messages"]):
        if stock:
            gateway(env, state["team"], index)
        else:
            receive_sms(env, index)
    return state


def _measure_followup(env, state, stock):
    if stock:
        work = lambda i: gateway(env, state["team"], i, reply=True)  # noqa: E731
    else:
        work = lambda i: receive_sms(env, i, reply=True)  # noqa: E731
    tickets = env["helpdesk.ticket"].search_count([])
    with Stopwatch(env, STOCK_PARTS if stock else OUR_PARTS) as stopwatch:
        sample = sample_each(work, range(state["messages"]), WARMUP, env.cr, stopwatch)
    if env["helpdesk.ticket"].search_count([]) != tickets:
        raise AssertionError(f"{'stock' if stock else 'ours'}: a follow-up opened a new ticket")
    return sample


PAIRS = [
    Pair(
        key="inbound-new",
        title="Inbound: a new customer's message → customer, timeline, ticket with SLA targets",
        ours_label="SMS stored and processed by the pipeline",
        stock_label="mail gateway with the sender's partner created",
        prepare=_prepare_new,
        measure=_measure_new,
        goal=1.2,
        notes=f"per message, new senders, the same team and {TARGETS} SLA policies on both "
        "databases (asserted on the tickets), in-process on both sides (the webhook's HTTP "
        "request and the mail server's delivery are not counted).",
    ),
    Pair(
        key="inbound-followup",
        title="Inbound: a known customer's follow-up on their open ticket",
        ours_label="SMS stored and processed by the pipeline",
        stock_label="mail gateway, reply to the ticket",
        prepare=_prepare_followup,
        measure=_measure_followup,
        goal=1.0,
        notes="per message, each customer writing again on the ticket their first message "
        "opened; ours also starts the ticket's next-response target, OCA has none.",
    ),
]
