"""The load side of the inbound surge benchmarks: WeChat callbacks built and pushed open loop at a
steady rate, as the platform pushes them, to a real multi-worker Odoo; and a watcher that sees each
message reach its timeline entry and ticket, as an agent's screen would.

Data is committed (the servers are other processes) under a prefix per run; the benchmark
database is dropped by ./setup/bench afterwards."""

import asyncio
import math
import os
import statistics
import threading
import time
import uuid

from ..odoo_process import OdooServer, committed
from ..wechat_peer import create_account, text_callback

PORT = int(os.environ.get("OMNI_BENCH_PORT", "8569"))
# Odoo's sizing rule for HTTP workers: 2 per core, plus one.
WORKERS = 2 * (os.cpu_count() or 1) + 1
REQUEST_TIMEOUT = 30
# Bounded wait for the pipeline to drain (polled, printed; never a pass/fail limit).
DRAIN_POLLS, DRAIN_PAUSE = 480, 0.25
# A redelivery follows its first delivery this many deliveries later, as a platform retry would.
RETRY_DISTANCE = 20
LOG_FILE = os.path.join(os.environ.get("OMNI_RUN_DIR", "/tmp"), "logs", "bench-surge-server.log")


def setup_account(database):
    def work(env):
        if not env.company.omnichannel_default_team_id:
            env.company.omnichannel_default_team_id = env["helpdesk.ticket.team"].create(
                {"name": "Golden Week"}
            )
        account = create_account(env, f"wxsurge{uuid.uuid4().hex[:10]}")
        return account.id, account.app_id

    return committed(database, work)


def openid(prefix, index):
    return f"o{prefix}{index:09d}".ljust(28, "0")[:28]


def deliveries(account_id, app_id, prefix, messages, followers, share=0.5, forged=False):
    """(url, body, message index) in delivery order: `messages` texts from `followers` senders, and
    redeliveries making `share` of all deliveries (0.5: every message twice, WeChat's worst case),
    each `RETRY_DISTANCE` deliveries after its first."""
    firsts = []
    for index in range(messages):
        url, body = text_callback(
            account_id,
            app_id,
            openid(prefix, index % followers),
            f"{prefix}{index}",
            f"请问第{index}个问题：航班改到几点？",
        )
        if forged:
            url = url.replace("msg_signature=", "msg_signature=0")
        firsts.append((url, body, index))
    copies = round(messages * share / (1 - share)) if share < 1 else messages
    step = messages / copies if copies else 0
    copied = {int(number * step) for number in range(copies)}
    order, due = [], []
    for index, delivery in enumerate(firsts):
        order.append(delivery)
        if index in copied:
            due.append((index + RETRY_DISTANCE, delivery))
        while due and due[0][0] <= index:
            order.append(due.pop(0)[1])
    order.extend(delivery for _at, delivery in due)
    return order


def push(server, load, rate):
    """Open loop: delivery i leaves at start + i / rate, whatever the server's pace. Returns per
    delivery (status or "refused", latency in seconds, time of the answer).

    Each delivery is one connection and one write of the whole request, from one event loop, as a
    platform's servers send them. (A client thread per delivery, on a machine it shares with the
    server, starves itself of the CPU once answers slow down: hundreds of threads then take turns
    with Python's lock, and the server's workers sit waiting for request bodies that the client
    has not sent yet, which slows the answers further.)"""
    host, port = server.url.removeprefix("http://").split(":")
    return asyncio.run(_push(host, int(port), load, rate))


async def _push(host, port, load, rate):
    start = time.perf_counter() + 0.2
    tasks = []
    for index, (url, body, _message) in enumerate(load):
        delay = start + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        request = (
            f"POST {url} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: text/xml\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode() + body
        tasks.append(asyncio.create_task(_deliver(host, port, request)))
    return await asyncio.gather(*tasks)


async def _deliver(host, port, request):
    began = time.perf_counter()
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(request)
                await writer.drain()
                status = int((await reader.readline()).split()[1])
                await reader.read()  # the rest of the answer, until the server closes
            finally:
                writer.close()
    except (OSError, TimeoutError, ValueError, IndexError):
        return ("refused", time.perf_counter() - began, time.time())
    return (status, time.perf_counter() - began, time.time())


def quantiles(values):
    values = sorted(value for value in values if not math.isnan(value))  # NaN: no answer
    if not values:
        return float("nan"), float("nan"), float("nan")
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return statistics.median(values), p99, values[-1]


class TicketWatch:
    """Polls, as an agent's list would, for the messages that have reached their timeline entry
    and a ticket; records when each was first seen there."""

    def __init__(self, database, app_id):
        self.database = database
        self.app_id = app_id
        self.seen = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join(timeout=30)

    def poll(self):
        def work(env):
            env.cr.execute(
                """
                SELECT external_ref FROM omnichannel_interaction
                 WHERE external_ref LIKE %s AND direction = 'inbound' AND ticket_id IS NOT NULL
                """,
                (f"{self.app_id}:%",),
            )
            return [row[0] for row in env.cr.fetchall()]

        now = time.time()
        for ref in committed(self.database, work):
            self.seen.setdefault(ref, now)

    def _watch(self):
        while not self._stop.is_set():
            self.poll()
            self._stop.wait(DRAIN_PAUSE)


def progress(database, app_id):
    def work(env):
        env.cr.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE state = 'done'),
                   count(*) FILTER (WHERE state = 'failed')
              FROM omnichannel_inbound_event WHERE external_ref LIKE %s
            """,
            (f"{app_id}:%",),
        )
        stored, done, failed = env.cr.fetchone()
        env.cr.execute(
            """
            SELECT count(*), count(DISTINCT external_ref), count(ticket_id)
              FROM omnichannel_interaction
             WHERE external_ref LIKE %s AND direction = 'inbound'
            """,
            (f"{app_id}:%",),
        )
        return (stored, done, failed, *env.cr.fetchone())

    return committed(database, work)


def wait_drained(database, app_id, expected):
    for _poll in range(DRAIN_POLLS):
        stored, done, failed, *_rest = progress(database, app_id)
        if stored >= expected and done + failed >= stored:
            return True
        time.sleep(DRAIN_PAUSE)
    return False


def warm(server, database, rate, forged):
    """Every worker loads the registry on its first request and its caches on its first callbacks:
    two seconds of callbacks at the measured rate, to an account of their own, before measuring.
    The floor's are forged too (refused, nothing stored); ours are valid and processed before the
    measured load starts, so that no warm-up event is processed beside it."""
    warm_id, warm_app = setup_account(database)
    prefix = uuid.uuid4().hex[:8]
    count = max(int(2 * rate), 4 * WORKERS)
    load = deliveries(warm_id, warm_app, prefix, count, count, share=0.0001, forged=forged)
    results = push(server, load, rate)
    if not forged:
        wait_drained(database, warm_app, sum(1 for result in results if result[0] == 200))


def run(database, rate, messages, followers, share, cron_workers, forged=False):
    """One measured surge on a fresh server: acknowledgement latencies, and for ours each message's
    time from its first acknowledgement to its ticket."""
    account_id, app_id = setup_account(database)
    prefix = uuid.uuid4().hex[:8]
    load = deliveries(account_id, app_id, prefix, messages, followers, share, forged)
    with OdooServer(database, PORT, LOG_FILE, workers=WORKERS, cron_workers=cron_workers) as server:
        warm(server, database, rate, forged)
        with TicketWatch(database, app_id) as watch:
            results = push(server, load, rate)
            acked = {}
            for (_url, _body, message), (status, _latency, answered) in zip(
                load, results, strict=True
            ):
                if status == 200:
                    acked[message] = min(acked.get(message, answered), answered)
            last_ack = max((result[2] for result in results), default=time.time())
            drained = forged or wait_drained(database, app_id, len(acked))
        watch.poll()
        to_ticket = [
            watch.seen[f"{app_id}:{prefix}{message}"] - answered
            for message, answered in acked.items()
            if f"{app_id}:{prefix}{message}" in watch.seen
        ]
        last_seen = max(watch.seen.values(), default=last_ack)
    return {
        "rate": rate,
        "latencies": [result[1] for result in results],
        "statuses": [result[0] for result in results],
        "acknowledged": len(acked),
        "progress": progress(database, app_id),
        "to_ticket": to_ticket,
        "drain": max(last_seen - last_ack, 0) if drained else float("inf"),
        "deliveries": len(load),
        "messages": messages,
    }


def describe(label, run_result, expected_status):
    """Prints one run's line(s); returns (ack p99, deliveries refused or failed)."""
    p50, p99, worst = quantiles(run_result["latencies"])
    statuses = run_result["statuses"]
    refused = sum(1 for status in statuses if status == "refused")
    failed = sum(1 for status in statuses if status not in (expected_status, "refused"))
    print(
        f"  {label:<30} ack p50 {p50 * 1000:6.0f} ms  p99 {p99 * 1000:7.0f} ms  max "
        f"{worst * 1000:7.0f} ms  refused {refused}  failed {failed}  of {run_result['deliveries']}"
    )
    if expected_status == 200:
        stored, done, failed_events, entries, distinct, routed = run_result["progress"]
        t50, t99, _tmax = quantiles(run_result["to_ticket"])
        print(
            f"  {'':<30} ack -> ticket p50 {t50:5.1f} s  p99 {t99:5.1f} s; drained "
            f"{run_result['drain']:.1f} s after the last delivery; {stored} stored, {done} "
            f"processed ({failed_events} failed), {entries} timeline entries for {distinct} of "
            f"{run_result['acknowledged']} acknowledged messages, {routed} on tickets"
        )
    return p99, refused + failed
