"""Where a lane's time goes: one lane drains a backlog of stored WeChat texts in this process, batch
by batch as `_cron_process` does (claim and lease, commit, process, commit), timed and optionally
profiled.

    python -m tests.benchmarks.profile_drain CONFIG DATABASE [--new N] [--followups N]
                                             [--profile [TOP]] [--queries]

- new: N texts, each from a new follower (customer, identity, consent, timeline entry and ticket);
- followups: N texts from 100 followers already known, each with an open ticket (the timeline
  entry goes on that ticket).

Data is committed under a prefix of its own (the lanes commit); ./setup/bench drops the database."""

import argparse
import cProfile
import pstats
import time
import uuid

from odoo import api, sql_db

from ..wechat_peer import create_account

KNOWN_FOLLOWERS = 100


def _store_texts(env, account, prefix, openids, start=0):
    from odoo.addons.omnichannel_wechat.tests import platform  # noqa: PLC0415 -- Odoo's path

    contacts = [
        account._inbound_contact(
            platform.follower_message(
                openid,
                MsgType="text",
                Content=f"请问第{start + index}个问题：航班改到几点？",
                MsgId=f"{prefix}{start + index}",
            )
        )
        for index, openid in enumerate(openids)
    ]
    for first in range(0, len(contacts), 50):  # as webhooks store them: a few at a time
        env["omnichannel.inbound.event"]._store(contacts[first : first + 50])
    env.cr.commit()


def _count_queries(cursor_class):
    counter = {"queries": 0}
    original = cursor_class.execute

    def counted(self, *args, **kwargs):
        counter["queries"] += 1
        return original(self, *args, **kwargs)

    cursor_class.execute = counted
    return counter, lambda: setattr(cursor_class, "execute", original)


def drain(registry, events_model="omnichannel.inbound.event"):
    """Claim, lease, process and commit batch after batch until nothing is due: a lane's loop
    without its pauses. Returns the number of events processed."""
    processed = 0
    while True:
        with registry.cursor() as cr:
            events = api.Environment(cr, 1, {})[events_model]._claim_leased()
            if not events:
                return processed
            events._process(counted=True)
            processed += len(events)


def run(config, database, new, followups, profile_top=0, queries=False):
    import odoo  # noqa: PLC0415 -- Odoo's path is set by the caller

    odoo.tools.config.parse_config(["-c", config, "-d", database])
    odoo.modules.module.initialize_sys_path()
    registry = odoo.modules.registry.Registry(database)
    with sql_db.db_connect(database).cursor() as cr:
        env = api.Environment(cr, 1, {})
        if not env.company.omnichannel_default_team_id:
            env.company.omnichannel_default_team_id = env["helpdesk.ticket.team"].create(
                {"name": "Golden Week"}
            )
        account = create_account(env, f"wxdrain{uuid.uuid4().hex[:10]}")
        cr.commit()
        prefix = uuid.uuid4().hex[:8]
        known = [f"o{prefix}k{index:08d}".ljust(28, "0")[:28] for index in range(KNOWN_FOLLOWERS)]
        if followups:
            _store_texts(env, account, f"{prefix}k", known)
    if followups:
        drain(registry)  # the known followers' first messages: their customers and tickets
    cases = []
    if new:
        cases.append(
            ("new customers", [f"o{prefix}n{i:08d}".ljust(28, "0")[:28] for i in range(new)])
        )
    if followups:
        cases.append(("follow-ups", [known[i % KNOWN_FOLLOWERS] for i in range(followups)]))
    for label, openids in cases:
        with sql_db.db_connect(database).cursor() as cr:
            env = api.Environment(cr, 1, {})
            account = env["omnichannel.wechat.account"].browse(account.id)
            _store_texts(env, account, f"{prefix}{label[0]}", openids)
        profiler = cProfile.Profile() if profile_top else None
        counter, restore = _count_queries(sql_db.Cursor) if queries else (None, None)
        began = time.perf_counter()
        if profiler:
            profiler.enable()
        processed = drain(registry)
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - began
        if restore:
            restore()
        print(
            f"  {label}: {processed} events in {elapsed:.2f} s = {processed / elapsed:.1f} events/s "
            f"({elapsed / processed * 1000:.1f} ms each)"
            + (f", {counter['queries'] / processed:.1f} queries each" if counter else "")
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile_top)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(profile_top)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("database")
    parser.add_argument("--new", type=int, default=500)
    parser.add_argument("--followups", type=int, default=500)
    parser.add_argument("--profile", type=int, nargs="?", const=40, default=0)
    parser.add_argument("--queries", action="store_true")
    args = parser.parse_args()
    run(args.config, args.database, args.new, args.followups, args.profile, args.queries)


if __name__ == "__main__":
    main()
