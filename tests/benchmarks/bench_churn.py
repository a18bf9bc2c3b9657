"""Churn and RFM scoring benchmark (omnichannel_crm): the nightly job over 100,000 customers with
1,000,000 interactions over two years, loyalty points, ratings and open complaints, printed as time
per 10,000 customers and peak memory (Python allocations of the job, and the process's peak
resident size)."""

import resource
import time
import tracemalloc

from .common import insert_partners

CUSTOMERS = 100_000
INTERACTIONS = 1_000_000
CARDS = 30_000
RATINGS = 50_000
COMPLAINTS = 5_000


def _insert_data_set(env, customers):
    """Interactions, points, ratings and complaints spread with a fixed seed: a few customers
    write often, most rarely, so that every quintile and segment is populated."""
    cr = env.cr
    params = {
        "customers": customers,
        "n": len(customers),
        "company": env.company.id,
        "interactions": INTERACTIONS,
        "cards": CARDS,
        "ratings": RATINGS,
        "complaints": COMPLAINTS,
    }
    cr.execute("SELECT setseed(0.42)")
    # Skewed towards the first customers (random() squared); 60% inbound, 5% events.
    cr.execute(
        """
        INSERT INTO omnichannel_interaction
            (partner_id, commercial_partner_id, channel, direction, interaction_type, date, summary,
             company_id, create_uid, write_uid, create_date, write_date)
        SELECT p, p, (ARRAY['phone','wechat','email','sms'])[1 + g %% 4],
               CASE WHEN g %% 5 < 3 THEN 'inbound' ELSE 'outbound' END,
               CASE WHEN g %% 20 = 0 THEN 'event' ELSE 'message' END,
               now() - random() * interval '730 days', 'Message ' || g,
               %(company)s, 1, 1, now(), now()
          FROM (SELECT g, (%(customers)s::int[])[1 + floor(power(random(), 2) * %(n)s)::int] AS p
                  FROM generate_series(1, %(interactions)s) g) rows
        """,
        params,
    )
    program = env["loyalty.program"].create({"name": "Bench Club", "program_type": "loyalty"})
    params["program"] = program.id
    cr.execute("SELECT COALESCE(max(id), 0) FROM loyalty_card")
    params["first_card"] = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, create_uid,
                                  write_uid, create_date, write_date)
        SELECT %(program)s, %(company)s, (%(customers)s::int[])[1 + (g * 3) %% %(n)s],
               'CHURN' || g, 0, 1, 1, now(), now()
          FROM generate_series(1, %(cards)s) g
        """,
        params,
    )
    # Two lines per card over two years: about half within the 12-month window.
    cr.execute(
        """
        INSERT INTO loyalty_history (card_id, description, issued, used, create_uid, write_uid,
                                     create_date, write_date)
        SELECT card.id, 'Trip', floor(random() * 3000), 0, 1, 1,
               now() - random() * interval '730 days', now()
          FROM loyalty_card card, generate_series(1, 2)
         WHERE card.id > %(first_card)s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO rating_rating (res_model_id, res_model, res_id, partner_id, rating, consumed,
                                   access_token, create_uid, write_uid, create_date, write_date)
        SELECT model.id, 'res.partner', p, p, 1 + floor(random() * 5), random() < 0.8,
               md5(g::text), 1, 1, now(), now() - random() * interval '365 days'
          FROM (SELECT g, (%(customers)s::int[])[1 + floor(random() * %(n)s)::int] AS p
                  FROM generate_series(1, %(ratings)s) g) rows,
               ir_model model
         WHERE model.model = 'res.partner'
        """,
        params,
    )
    team = env["helpdesk.ticket.team"].create({"name": "Churn bench"})
    params["team"] = team.id
    params["open"] = env["helpdesk.ticket.stage"].search([("closed", "=", False)], limit=1).id
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (number, name, description, stage_id, team_id, company_id,
                                     partner_id, commercial_partner_id, priority, active,
                                     create_uid, write_uid, create_date, write_date)
        SELECT 'CHURN' || g, 'Complaint ' || g, '<p>bench</p>', %(open)s, %(team)s, %(company)s,
               p, p, '3', TRUE, 1, 1, now(), now()
          FROM (SELECT g, (%(customers)s::int[])[1 + floor(random() * %(n)s)::int] AS p
                  FROM generate_series(1, %(complaints)s) g) rows
        """,
        params,
    )
    # One customer in ten has an account manager: their crossings plan a to-do.
    cr.execute(
        "UPDATE res_partner SET omnichannel_account_manager_id = %s WHERE id = ANY(%s) AND id %% 10 = 0",
        (env.ref("base.user_admin").id, customers),
    )
    for table in (
        "res_partner",
        "omnichannel_interaction",
        "loyalty_card",
        "loyalty_history",
        "rating_rating",
        "helpdesk_ticket",
    ):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()


def bench_churn_scoring(env):
    cr = env.cr
    first_id = insert_partners(env, CUSTOMERS, "Churn customer")
    cr.execute("SELECT array_agg(id ORDER BY id) FROM res_partner WHERE id > %s", (first_id,))
    customers = cr.fetchone()[0]
    _insert_data_set(env, customers)
    Churn = env["omnichannel.churn"]

    tracemalloc.start()
    start = time.perf_counter()
    crossing = Churn._compute_scores()
    scoring = time.perf_counter() - start
    start = time.perf_counter()
    Churn._alert_crossing(crossing)
    alerting = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cr.execute(
        """
        SELECT count(*) FILTER (WHERE omnichannel_rfm_segment IS NOT NULL),
               count(*) FILTER (WHERE omnichannel_churn_risk)
          FROM res_partner
        """
    )
    scored, at_risk = cr.fetchone()
    todos = env["mail.activity"].search_count(
        [("res_model", "=", "res.partner"), ("res_id", "in", crossing.ids)]
    )
    start = time.perf_counter()
    Churn._cron_compute()
    steady = time.perf_counter() - start
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_10k = 10_000 / scored
    print(
        f"\n10. Churn and RFM scoring over {scored:,} customers and {INTERACTIONS:,} interactions"
    )
    print(
        f"  first run, scoring (one statement): {scoring:.1f} s, "
        f"{scoring * per_10k:.2f} s per 10k customers"
    )
    print(
        f"  first run, {len(crossing):,} customers crossing the threshold ({at_risk:,} at risk), "
        f"{todos:,} retention to-dos and alert dates: {alerting:.1f} s"
    )
    print(f"  next run: {steady:.1f} s, {steady * per_10k:.2f} s per 10k customers")
    print(
        f"  peak Python memory of the first run {peak / 1e6:.0f} MB, "
        f"process peak RSS {max_rss_mb:.0f} MB"
    )
    return scoring * per_10k


BENCHMARKS = [bench_churn_scoring]
