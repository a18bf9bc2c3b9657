"""Our addons on Odoo's own path: the same mail gateway script (a new customer's email → their
partner → a helpdesk ticket of the desk's team) on the stock database and on ours, where our
addons hook into it. What they add is itemised: the email captured on the timeline, the new
partner's identities, our default SLA policies' targets, the ticket's SLA status, its opening on
the timeline and the automated actions."""

from .common import Stopwatch, sample_each
from .pair_inbound import SIZES, WARMUP, desk, gateway
from .pairs import Pair

PARTS = {
    "email parsed": ("mail.thread", "message_parse"),
    "sender's partner found or created": ("mail.thread", "_mail_find_partner_from_emails"),
    "of which partner's identities synced": ("omnichannel.identity", "_sync_partner_identities"),
    "ticket created": ("helpdesk.ticket", "create"),
    "of which SLA targets planned (set_sla)": ("helpdesk.ticket", "set_sla"),
    "of which ticket's SLA status": ("helpdesk.ticket", "_omnichannel_refresh_sla_status"),
    "of which ticket's opening on the timeline": ("helpdesk.ticket", "_omnichannel_log_event"),
    "email posted on the ticket (message_post)": ("helpdesk.ticket", "message_post"),
    "of which email captured on the timeline": ("mail.message", "_omnichannel_capture"),
    "automated actions looked up": ("base.automation", "_get_actions"),
    "automated actions run": ("base.automation", "_process"),
}


def _prepare(env, size, stock):
    # The same desk on both: our default policies are ours only, they are what is itemised.
    return {"team": desk(env, stock, mirror_defaults=False), "messages": SIZES[size] + WARMUP}


def _measure(env, state, stock):
    with Stopwatch(env, PARTS) as stopwatch:
        sample = sample_each(
            lambda i: gateway(env, state["team"], i),
            range(state["messages"]),
            WARMUP,
            env.cr,
            stopwatch,
        )
    ticket = env["helpdesk.ticket"].search([], order="id desc", limit=1)
    sample.counts["SLA targets"] = len(ticket.ticket_sla_ids)
    return sample


PAIRS = [
    Pair(
        key="gateway",
        title="Odoo's email → ticket path, stock and with our addons",
        ours_label="mail gateway, our addons installed",
        stock_label="mail gateway",
        prepare=_prepare,
        measure=_measure,
        goal=1.2,
        notes="per message, new senders, the same script on both databases; the desk's team "
        "has the benchmark's two SLA policies on both, ours adds its default service-level "
        "policies.",
    ),
]
