"""WeChat benchmarks (omnichannel_wechat):

1. an inbound text message in safe mode, from the callback body to the interaction and its ticket
   (signature check, decryption, XML parsing, recording), against Odoo's mail gateway turning one
   inbound email into a helpdesk ticket;
2. the acknowledgement latency (p50, p99) of 50 concurrent callbacks to a server with its HTTP
   workers (Odoo's sizing rule for the machine), against WeChat's 5-second limit."""

import os
import statistics
import threading
import time

import requests

from odoo import api, sql_db

from ..odoo_process import OdooServer
from ..wechat_peer import create_account, text_callback
from .bench_timeline import _email
from .common import report, time_each

MESSAGES = 300
CONCURRENT = 50
PORT = int(os.environ.get("OMNI_BENCH_PORT", "8569"))
# Odoo's sizing rule for HTTP workers: 2 per core, plus one.
WORKERS = 2 * (os.cpu_count() or 1) + 1


def bench_wechat_inbound(env):
    env.company.omnichannel_default_team_id = env["helpdesk.ticket.team"].create({"name": "Bench"})
    account = create_account(env, "wxbenchinbound0001")
    # Known followers, as the email baseline has known senders.
    env["res.partner"].create(
        [
            {
                "name": f"Follower {i}",
                "omnichannel_identity_ids": [
                    (0, 0, {"kind": "wechat_openid", "identifier": f"oBenchFollower{i:014d}"})
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
        account._handle_message(message)
        # The routing job's share of the work, which the webhook leaves for after its answer.
        env["omnichannel.interaction"]._cron_route_pending()

    partners = env["res.partner"].create(
        [{"name": f"Mail {i}", "email": f"mail{i}@bench.example.com"} for i in range(MESSAGES)]
    )

    def gateway(index):
        env["mail.thread"].message_process("helpdesk.ticket", _email(index, partners[index].email))

    ours = time_each(callback, callbacks)
    baseline = time_each(gateway, range(MESSAGES))
    return report(
        "4. One inbound WeChat text message (safe mode, known follower, ticket created)",
        "verify + decrypt + parse + record + route to ticket",
        ours,
        "mail gateway message_process -> helpdesk.ticket",
        baseline,
    )


def bench_wechat_ack_latency(env):
    # The server runs in other processes: its data must be committed.
    with sql_db.db_connect(env.cr.dbname).cursor() as cr:
        committed = api.Environment(cr, env.uid, {})
        committed.company.omnichannel_default_team_id = committed["helpdesk.ticket.team"].create(
            {"name": "Bench latency"}
        )
        account = create_account(committed, "wxbenchlatency0001")
        account_id, app_id = account.id, account.app_id
        cr.commit()
    requests_ = []
    for index in range(CONCURRENT):
        requests_.append(
            text_callback(
                account_id, app_id, f"oLatencyFollower{index:012d}", f"L{index}", "在吗？"
            )
        )
    log_file = os.path.join(os.environ.get("OMNI_RUN_DIR", "/tmp"), "logs", "bench-server.log")
    latencies, statuses = [], []
    start = threading.Barrier(CONCURRENT)
    with OdooServer(env.cr.dbname, PORT, log_file, workers=WORKERS) as server:
        # Each worker loads the registry on its first request: warm them all up first.
        warmers = [
            threading.Thread(
                target=requests.get, args=(f"{server.url}/omnichannel/wechat/{account_id}",)
            )
            for _ in range(4 * WORKERS)
        ]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join(timeout=60)

        def deliver(url, body):
            start.wait(timeout=60)
            began = time.perf_counter()
            response = requests.post(f"{server.url}{url}", data=body, timeout=60)
            latencies.append(time.perf_counter() - began)
            statuses.append(response.status_code)

        threads = [threading.Thread(target=deliver, args=item) for item in requests_]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    ok = statuses.count(200)
    print(
        f"\n5. Acknowledgement latency, {CONCURRENT} concurrent callbacks (new followers), "
        f"{WORKERS} HTTP workers on {os.cpu_count()} cores"
    )
    print(f"  answered 200: {ok}/{CONCURRENT}")
    print(f"  p50 {p50 * 1000:9.1f} ms   p99 {p99 * 1000:9.1f} ms   (WeChat waits 5000 ms)")
    print(f"  ratio p99 / 5 s: {p99 / 5.0:.3f}")
    return p99 / 5.0


BENCHMARKS = [bench_wechat_inbound, bench_wechat_ack_latency]
