"""Benchmark helpers: time operations in one process, one database, and print ratios against an
Odoo baseline measured in the same run. Never used as a pass/fail test."""

import statistics
import time


def time_each(operation, items, warmup=10):
    """Median seconds per call of operation(item) over items (after `warmup` untimed calls)."""
    items = list(items)
    for item in items[:warmup]:
        operation(item)
    durations = []
    for item in items[warmup:]:
        start = time.perf_counter()
        operation(item)
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def report(title, ours_label, ours, baseline_label, baseline, target=1.0):
    ratio = ours / baseline if baseline else float("inf")
    verdict = "within target" if ratio <= target else "OVER target"
    print(f"\n{title}")
    print(f"  {ours_label:<58} {ours * 1000:9.3f} ms")
    print(f"  {baseline_label:<58} {baseline * 1000:9.3f} ms")
    print(f"  ratio {ratio:.3f} (target <= {target:.1f}): {verdict}")
    return ratio


def insert_partners(env, count, name, mobile_prefix=None):
    """Insert `count` partners in one statement (name + number, and a mobile number made of
    `mobile_prefix` and 8 digits when given); return the id below the first one inserted."""
    cr = env.cr
    env.flush_all()
    cr.execute("SELECT COALESCE(max(id), 0) FROM res_partner")
    first_id = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO res_partner (name, mobile, active, type, is_company, create_uid, write_uid,
                                 create_date, write_date, autopost_bills)
        SELECT %s || ' ' || g, %s || lpad(g::text, 8, '0'), TRUE, 'contact', FALSE, 1, 1,
               now(), now(), 'ask'
          FROM generate_series(1, %s) g
        """,
        (name, mobile_prefix, count),
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id > %s", (first_id,))
    return first_id
