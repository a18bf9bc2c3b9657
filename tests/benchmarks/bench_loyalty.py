"""Loyalty tier benchmark (omnichannel_crm): the promotion / demotion job over 100,000 members of a
program, printed as time per 10,000 members and peak memory (Python allocations of the job, and the
process's peak resident size)."""

import resource
import time
import tracemalloc

from .common import insert_partners

MEMBERS = 100_000


def bench_tier_recompute(env):
    cr = env.cr
    program = env["loyalty.program"].create({"name": "Bench Club", "program_type": "loyalty"})
    env["omnichannel.loyalty.tier"].create(
        [
            {"name": "Bronze", "sequence": 10, "program_id": program.id, "min_points": 100},
            {"name": "Silver", "sequence": 20, "program_id": program.id, "min_points": 1000},
            {"name": "Gold", "sequence": 30, "program_id": program.id, "min_points": 3000},
        ]
    )
    first_id = insert_partners(env, MEMBERS, "Member")
    cr.execute(
        """
        INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, create_uid,
                                  write_uid, create_date, write_date)
        SELECT %s, %s, id, 'BENCH' || id, 0, 1, 1, now(), now() FROM res_partner WHERE id > %s
        """,
        (program.id, program.company_id.id, first_id),
    )
    # Points spread so that every tier, and no tier, is reached.
    cr.execute(
        """
        INSERT INTO loyalty_history (card_id, description, issued, used, create_uid, write_uid,
                                     create_date, write_date)
        SELECT id, 'Trip', (id * 7919) %% 4000, 0, 1, 1, now(), now()
          FROM loyalty_card WHERE program_id = %s
        """,
        (program.id,),
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE loyalty_card")
    cr.execute("ANALYZE loyalty_history")
    env.invalidate_all()
    tracemalloc.start()
    start = time.perf_counter()
    changed = env["omnichannel.loyalty.tier"]._recompute_program(program)
    first_run = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    start = time.perf_counter()
    env["omnichannel.loyalty.tier"]._recompute_program(program)
    steady_run = time.perf_counter() - start
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_10k = 10_000 / MEMBERS
    print(f"\n6. Loyalty tier job over {MEMBERS:,} members")
    print(
        f"  first run ({len(changed):,} promotions, history and timeline rows): "
        f"{first_run:.1f} s, {first_run * per_10k:.2f} s per 10k members"
    )
    print(
        f"  next run (no change): {steady_run:.2f} s, {steady_run * per_10k:.3f} s per 10k members"
    )
    print(
        f"  peak Python memory of the job {peak / 1e6:.0f} MB, process peak RSS {max_rss_mb:.0f} MB"
    )
    return first_run * per_10k


BENCHMARKS = [bench_tier_recompute]
