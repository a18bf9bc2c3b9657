"""The benchmark pairs: each of our speed claims against Odoo's (or OCA's) own way of doing the same
thing, measured in the same run on two databases with the same generated data: a stock one (Odoo
and OCA without our addons, so that the baseline never pays for our hooks) and ours. Repetitions
alternate between the two, each in a transaction rolled back afterwards; the table gives the median
of the repetitions and their spread.

    python -m tests.benchmarks.pairs CONFIG STOCK_DB OURS_DB SIZE [PAIR ...]

SIZE is "reduced" (every pair in a few minutes) or "full" (the sizes the README quotes). Never a
pass/fail test: it prints, it does not judge a build."""

import dataclasses
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing

STOCK, OURS = "stock", "ours"


@dataclasses.dataclass
class Pair:
    key: str
    title: str
    ours_label: str
    stock_label: str
    # prepare(env, size, stock) -> state: generates and commits the data (ids only in the state);
    # measure(env, state, stock) -> seconds of one repetition.
    prepare: Callable
    measure: Callable
    goal: float
    # A speed-up: the ratio is baseline / ours and the goal a minimum (else ours / baseline, and
    # the goal a maximum).
    speedup: bool = False
    reps: int = 5
    notes: str = ""


@dataclasses.dataclass
class Row:
    pair: Pair
    size: str
    ours: list
    stock: list

    @property
    def ratio(self):
        ours, stock = statistics.median(self.ours), statistics.median(self.stock)
        if self.pair.speedup:
            return stock / ours if ours else float("inf")
        return ours / stock if stock else float("inf")

    @property
    def met(self):
        return self.ratio >= self.pair.goal if self.pair.speedup else self.ratio <= self.pair.goal


def _figure(samples):
    median = statistics.median(samples)
    unit, scale = ("ms", 1000) if median < 1 else ("s", 1)
    return f"{median * scale:.3g} {unit} ({min(samples) * scale:.3g}–{max(samples) * scale:.3g})"


def table(rows):
    lines = [
        "| Pair | Size | Ours (median, spread) | Baseline on stock (median, spread) | Ratio | Goal "
        "| Met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        pair = row.pair
        if not pair.speedup:
            ratio, goal = f"{row.ratio:.2f}×", f"≤ {pair.goal:g}×"
        else:
            goal = f"≥ {pair.goal:g}× faster"
            ratio = f"{row.ratio:.1f}× faster" if row.ratio >= 1 else f"{1 / row.ratio:.1f}× slower"
        lines.append(
            f"| {pair.title} | {row.size} | {pair.ours_label}: {_figure(row.ours)} "
            f"| {pair.stock_label}: {_figure(row.stock)} | {ratio} | {goal} "
            f"| {'yes' if row.met else '**no**'} |"
        )
    return "\n".join(lines)


def vacuum(database):
    import psycopg2  # noqa: PLC0415

    import odoo  # noqa: PLC0415

    _name, info = odoo.sql_db.connection_info_for(database)
    with closing(psycopg2.connect(**info)) as connection:
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute("VACUUM ANALYZE")


def _in_transaction(registry, work, commit):
    import odoo  # noqa: PLC0415

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        result = work(env)
        if commit:
            cr.commit()
        else:
            cr.rollback()
        return result


def run_pair(pair, registries, size):
    states = {}
    for side in (STOCK, OURS):
        start = time.perf_counter()
        states[side] = _in_transaction(
            registries[side], lambda env, side=side: pair.prepare(env, size, side == STOCK), True
        )
        vacuum(registries[side].db_name)
        print(f"  {pair.key}: {side} data ready in {time.perf_counter() - start:.0f} s", flush=True)
    samples = {STOCK: [], OURS: []}
    # The queues and jobs commit as they go outside tests: these repetitions are rolled back.
    threading.current_thread().testing = True
    try:
        for rep in range(pair.reps):
            for side in (STOCK, OURS) if rep % 2 == 0 else (OURS, STOCK):
                samples[side].append(
                    _in_transaction(
                        registries[side],
                        lambda env, side=side: pair.measure(env, states[side], side == STOCK),
                        False,
                    )
                )
    finally:
        threading.current_thread().testing = False
    return Row(pair, size, samples[OURS], samples[STOCK])


def main(config, stock_db, ours_db, size, *only):
    import odoo  # noqa: PLC0415 -- Odoo's path is set by the caller

    odoo.tools.config.parse_config(["-c", config])
    odoo.modules.module.initialize_sys_path()
    from . import (  # noqa: PLC0415 -- needs the addons path first
        pair_identity,
        pair_inbound,
        pair_kpi,
        pair_notify,
        pair_sla,
        pair_timeline,
    )

    pairs = [
        pair_inbound.PAIR,
        pair_timeline.PAIR,
        pair_identity.PAIR,
        pair_sla.PAIR,
        *pair_notify.PAIRS,
        *pair_kpi.PAIRS,
    ]
    if only:
        pairs = [pair for pair in pairs if any(name in pair.key for name in only)]
    registries = {
        STOCK: odoo.modules.registry.Registry(stock_db),
        OURS: odoo.modules.registry.Registry(ours_db),
    }
    rows = []
    for pair in pairs:
        start = time.perf_counter()
        rows.append(run_pair(pair, registries, size))
        print(f"  {pair.key}: {time.perf_counter() - start:.0f} s in all", flush=True)
    cores, memory = os.cpu_count(), os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    output = (
        f"Measured {time.strftime('%Y-%m-%d')} on {cores} cores, {memory / 2**30:.0f} GiB "
        f"(size: {size}).\n\n{table(rows)}\n"
    )
    notes = [f"- {row.pair.title}: {row.pair.notes}" for row in rows if row.pair.notes]
    if notes:
        output += "\n" + "\n".join(notes) + "\n"
    print("\n" + output)
    results = os.path.join(os.environ.get("OMNI_RUN_DIR", "/tmp"), "bench-results.md")
    with open(results, "w", encoding="utf-8") as file:
        file.write(output)
    print(f"(also written to {results})")


if __name__ == "__main__":
    main(*sys.argv[1:])
