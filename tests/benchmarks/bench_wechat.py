"""WeChat benchmark (omnichannel_wechat): an inbound text message in safe mode, from the callback
body to the interaction and its ticket (signature check, decryption, XML parsing, storing the event,
processing it), against Odoo's mail gateway turning one inbound email into a helpdesk ticket. The
acknowledgement under load is measured by bench_inbound_surge."""

from odoo import Command

from ..wechat_peer import create_account, text_callback
from .common import report, time_each
from .pair_inbound import email_message

MESSAGES = 300


def bench_wechat_inbound(env):
    env.company.omnichannel_default_team_id = env["helpdesk.ticket.team"].create({"name": "Bench"})
    account = create_account(env, "wxbenchinbound0001")
    # Known followers, as the email baseline has known senders.
    env["res.partner"].create(
        [
            {
                "name": f"Follower {i}",
                "omnichannel_identity_ids": [
                    Command.create(
                        {"kind": "wechat_openid", "identifier": f"oBenchFollower{i:014d}"}
                    )
                ],
            }
            for i in range(MESSAGES)
        ]
    )
    callbacks = []
    for index in range(MESSAGES):
        url, body = text_callback(
            account.id, account.app_id, f"oBenchFollower{index:014d}", str(index), f"问题 {index}"
        )
        params = dict(pair.split("=", 1) for pair in url.split("?", 1)[1].split("&"))
        callbacks.append((params, body))

    def callback(item):
        params, body = item
        message, _encrypted = account._open_callback(params, body)
        contact = account._inbound_contact(message)
        account._edge_reply(contact, message)
        env["omnichannel.inbound.event"]._store([contact])
        # The pipeline's share of the work, which the webhook leaves for after its answer.
        env["omnichannel.inbound.event"]._process_pending()

    partners = env["res.partner"].create(
        [{"name": f"Mail {i}", "email": f"mail{i}@bench.example.com"} for i in range(MESSAGES)]
    )

    def gateway(index):
        env["mail.thread"].message_process(
            "helpdesk.ticket", email_message(index, partners[index].email)
        )

    ours = time_each(callback, callbacks)
    baseline = time_each(gateway, range(MESSAGES))
    return report(
        "4. One inbound WeChat text message (safe mode, known follower, ticket created)",
        "verify + decrypt + parse + record + route to ticket",
        ours,
        "mail gateway message_process -> helpdesk.ticket",
        baseline,
    )


BENCHMARKS = [bench_wechat_inbound]
