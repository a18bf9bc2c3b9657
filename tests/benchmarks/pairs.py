"""The benchmark pairs: each of our speed claims against Odoo's (or OCA's) own way of doing the same
work, measured in the same run on two databases with the same generated data: a stock one (Odoo
and OCA without our addons, so that the baseline never pays for our hooks) and ours. Each pair (or
the pairs that share one data set) gets its own copy of both databases, dropped afterwards, so
that what one pair commits never reaches the next. Repetitions alternate between the two sides,
each in a transaction rolled back afterwards and after a VACUUM of its database; the table gives
the median of the repetitions and their spread.

    python -m tests.benchmarks.pairs CONFIG STOCK_DB OURS_DB SIZE [--queries] [--profile]
        [--latency-ms MS] [PAIR ...]

STOCK_DB and OURS_DB are the installed databases the copies are made from. SIZE is "reduced"
(every pair in a few minutes) or "full" (the sizes the README quotes). --queries adds the SQL
queries per operation (or per run) of each side, --profile prints the top cProfile entries of one
more repetition of each side, --latency-ms is what every call to a stand-in provider waits (50 by
default). Never a pass/fail test: it prints, it does not judge a build."""

import argparse
import cProfile
import dataclasses
import io
import os
import pstats
import shutil
import statistics
import threading
import time
import tracemalloc
from collections.abc import Callable
from contextlib import closing

from .common import PROVIDER_LATENCY, Sample

STOCK, OURS = "stock", "ours"
PEAK_MEMORY = "peak memory (MiB)"


@dataclasses.dataclass
class Pair:
    key: str
    title: str
    ours_label: str
    stock_label: str
    # prepare(env, size, stock) -> state: generates and commits the data (ids only in the state);
    # measure(env, state, stock) -> seconds of one repetition, or a Sample.
    prepare: Callable
    measure: Callable
    goal: float
    # A speed-up: the ratio is baseline / ours and the goal a minimum (else ours / baseline, and
    # the goal a maximum).
    speedup: bool = False
    reps: int = 5
    notes: str = ""
    # Pairs of the same data set share their databases (prepared by the first one).
    dataset: str = ""
    # finish(state): after the repetitions of a side (stops what prepare started).
    finish: Callable | None = None
    # Also the peak memory of each side: one more repetition, its allocations traced (tracing
    # slows Python down, so it is not one of the timed ones).
    memory: bool = False


@dataclasses.dataclass
class Row:
    pair: Pair
    size: str
    ours: list
    stock: list

    def median(self, side, part=None, count=None):
        samples = self.ours if side == OURS else self.stock
        if part:
            values = [sample.parts[part] for sample in samples if part in sample.parts]
        elif count:
            values = [sample.counts[count] for sample in samples if count in sample.counts]
        else:
            values = [sample.seconds for sample in samples]
        return statistics.median(values) if values else None

    @property
    def ratio(self):
        ours, stock = self.median(OURS), self.median(STOCK)
        if self.pair.speedup:
            return stock / ours if ours else float("inf")
        return ours / stock if stock else float("inf")

    @property
    def met(self):
        return self.ratio >= self.pair.goal if self.pair.speedup else self.ratio <= self.pair.goal


def _connect(database):
    import psycopg2  # noqa: PLC0415

    import odoo  # noqa: PLC0415

    _name, info = odoo.sql_db.connection_info_for(database)
    connection = psycopg2.connect(**info)
    connection.autocommit = True
    return connection


def vacuum(database, analyze=True):
    with closing(_connect(database)) as connection, connection.cursor() as cr:
        cr.execute("VACUUM ANALYZE" if analyze else "VACUUM")


def _copy_database(template, copy):
    """`copy` made from `template` (an installed database nobody is connected to), filestore too."""
    import odoo  # noqa: PLC0415

    with closing(_connect("postgres")) as connection, connection.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        cr.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
    filestore = odoo.tools.config.filestore
    if os.path.isdir(filestore(template)):
        shutil.rmtree(filestore(copy), ignore_errors=True)
        shutil.copytree(filestore(template), filestore(copy))


def _drop_database(database):
    import odoo  # noqa: PLC0415

    odoo.modules.registry.Registry.delete(database)
    odoo.sql_db.close_db(database)
    with closing(_connect("postgres")) as connection, connection.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{database}"')
    shutil.rmtree(odoo.tools.config.filestore(database), ignore_errors=True)


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


def _measured(pair, registry, state, stock):
    """One repetition of one side, rolled back: a Sample with its SQL queries (those of the whole
    run unless the pair counted them per operation) and its provider calls."""

    def work(env):
        server = state.get("server")
        queries, calls = env.cr.sql_log_count, server.calls if server else 0
        result = pair.measure(env, state, stock)
        sample = result if isinstance(result, Sample) else Sample(result)
        sample.counts.setdefault("queries", env.cr.sql_log_count - queries)
        if server:
            sample.counts["provider calls"] = server.calls - calls
        return sample

    return _in_transaction(registry, work, False)


def _peak_memory(pair, registry, state, stock):
    """MiB at the peak of Python's allocations during one more repetition of one side."""
    tracemalloc.start()
    try:
        _measured(pair, registry, state, stock)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _profile(pair, registry, state, stock, top=25):
    """The top entries of one more repetition under cProfile, by cumulative and by own time; the
    whole profile is kept in the run directory (pstats file) for a closer look."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        _measured(pair, registry, state, stock)
    finally:
        profiler.disable()
    side = STOCK if stock else OURS
    path = os.path.join(os.environ.get("OMNI_RUN_DIR", "/tmp"), f"bench-{pair.key}-{side}.prof")
    profiler.dump_stats(path)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    print(f"(whole profile in {path})", file=out)
    return out.getvalue()


def run_pairs(pairs, templates, size, profile=False):
    """Rows of the pairs of one data set, on fresh copies of the template databases."""
    import odoo  # noqa: PLC0415

    dataset = pairs[0].dataset or pairs[0].key
    databases = {side: f"{templates[side]}_{dataset}".replace("-", "_") for side in templates}
    registries, states, rows = {}, {}, []
    try:
        for side in (STOCK, OURS):
            _copy_database(templates[side], databases[side])
            registries[side] = odoo.modules.registry.Registry(databases[side])
        for side in (STOCK, OURS):
            start = time.perf_counter()
            states[side] = _in_transaction(
                registries[side],
                lambda env, side=side: pairs[0].prepare(env, size, side == STOCK),
                True,
            )
            vacuum(databases[side])
            print(f"  {dataset}: {side} data ready in {time.perf_counter() - start:.0f} s")
        for pair in pairs:
            rows.append(_run_pair(pair, registries, databases, states, size, profile))
    finally:
        for state in states.values():
            if pairs[0].finish:
                pairs[0].finish(state)
        for database in databases.values():
            _drop_database(database)
    return rows


def _run_pair(pair, registries, databases, states, size, profile):
    start = time.perf_counter()
    samples = {STOCK: [], OURS: []}
    # The queues and jobs commit as they go outside tests: these repetitions are rolled back.
    threading.current_thread().testing = True
    try:
        for rep in range(pair.reps):
            for side in (STOCK, OURS) if rep % 2 == 0 else (OURS, STOCK):
                vacuum(databases[side], analyze=False)
                samples[side].append(_measured(pair, registries[side], states[side], side == STOCK))
        if pair.memory:
            for side in (STOCK, OURS):
                samples[side][0].counts[PEAK_MEMORY] = _peak_memory(
                    pair, registries[side], states[side], side == STOCK
                )
        if profile:
            for side in (STOCK, OURS):
                print(f"\n### cProfile, {pair.key}, {side}\n")
                print(_profile(pair, registries[side], states[side], side == STOCK))
    finally:
        threading.current_thread().testing = False
    print(f"  {pair.key}: {time.perf_counter() - start:.0f} s in all", flush=True)
    return Row(pair, size, samples[OURS], samples[STOCK])


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.pairs")
    parser.add_argument("config")
    parser.add_argument("stock_db")
    parser.add_argument("ours_db")
    parser.add_argument("size", choices=("reduced", "full"))
    parser.add_argument("only", nargs="*")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_intermixed_args(argv)
    PROVIDER_LATENCY["seconds"] = args.latency_ms / 1000

    import odoo  # noqa: PLC0415 -- Odoo's path is set by the caller

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    odoo.modules.module.initialize_sys_path()
    from . import (  # noqa: PLC0415 -- needs the addons path first
        pair_gateway,
        pair_identity,
        pair_inbound,
        pair_kpi,
        pair_notify,
        pair_sla,
        pair_timeline,
        pairs_table,
    )

    pairs = [
        *pair_inbound.PAIRS,
        *pair_gateway.PAIRS,
        *pair_timeline.PAIRS,
        *pair_identity.PAIRS,
        *pair_sla.PAIRS,
        *pair_notify.PAIRS,
        *pair_kpi.PAIRS,
    ]
    if args.only:
        pairs = [pair for pair in pairs if any(name in pair.key for name in args.only)]
    datasets = {}
    for pair in pairs:
        datasets.setdefault(pair.dataset or pair.key, []).append(pair)
    templates = {STOCK: args.stock_db, OURS: args.ours_db}
    rows = []
    for group in datasets.values():
        rows += run_pairs(group, templates, args.size, args.profile)
    cores, memory = os.cpu_count(), os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    output = (
        f"Measured {time.strftime('%Y-%m-%d')} on {cores} cores, {memory / 2**30:.0f} GiB "
        f"(size: {args.size}; provider latency {args.latency_ms:g} ms).\n\n"
        + pairs_table.render(rows, queries=args.queries)
    )
    print("\n" + output)
    results = os.path.join(os.environ.get("OMNI_RUN_DIR", "/tmp"), "bench-results.md")
    with open(results, "w", encoding="utf-8") as file:
        file.write(output)
    print(f"(also written to {results})")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
