"""Run the benchmarks of our database alone (those with no stock counterpart: churn, loyalty tiers,
the WeChat callback, the inbound surge, the KPI rows' refresh) against an Odoo database:
python -m tests.benchmarks.run CONFIG DATABASE [NAME]. The pairs against a stock database are in
pairs.py.

Each benchmark runs in its own transaction, rolled back afterwards; the database is vacuumed between
benchmarks so that one's dead rows do not slow the next."""

import sys
import time

from .pairs import vacuum


def main(config, database, only=None):
    import odoo  # noqa: PLC0415 -- Odoo's path is set by the caller

    odoo.tools.config.parse_config(["-c", config, "-d", database])
    odoo.modules.module.initialize_sys_path()
    from . import (  # noqa: PLC0415 -- need the addons path first
        bench_churn,
        bench_inbound_surge,
        bench_kpi,
        bench_loyalty,
        bench_wechat,
    )

    registry = odoo.modules.registry.Registry(database)
    benchmarks = bench_wechat.BENCHMARKS + bench_loyalty.BENCHMARKS + bench_kpi.BENCHMARKS
    benchmarks += bench_churn.BENCHMARKS + bench_inbound_surge.BENCHMARKS
    if only:  # a part of a benchmark's name, to run just that one
        benchmarks = [benchmark for benchmark in benchmarks if only in benchmark.__name__]
    for benchmark in benchmarks:
        vacuum(database)
        start = time.perf_counter()
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            benchmark(env)
            cr.rollback()
        print(f"  ({benchmark.__name__}: {time.perf_counter() - start:.0f} s with its data set)")


if __name__ == "__main__":
    main(*sys.argv[1:4])
