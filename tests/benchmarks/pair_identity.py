"""Identity: finding the customer of an identifier, of every kind, among the customers, against
Odoo's indexed phone search (`phone_mobile_search`) on the stock database."""

import random

from .common import insert_partners, time_each
from .pairs import Pair

SIZES = {"reduced": 20_000, "full": 100_000}
LOOKUPS = 400


def _prepare(env, size, stock):
    count = SIZES[size]
    first_id = insert_partners(env, count, "Lookup", mobile_prefix="+86139")
    cr = env.cr
    # Customer n: mobile +86139 and n on 8 digits, email lookup<n>@..., member M<n>, an OpenID.
    cr.execute(
        "UPDATE res_partner SET email = 'lookup' || substr(mobile, 7)::int || '@bench.example.com'"
        " WHERE id > %s",
        (first_id,),
    )
    if not stock:
        # The identities the install hook or the partner sync would have written.
        cr.execute(
            """
            INSERT INTO omnichannel_identity (kind, identifier, partner_id, origin, active,
                                              create_uid, write_uid, create_date, write_date)
            SELECT kind, value, id, 'partner', TRUE, 1, 1, now(), now()
              FROM res_partner,
                   LATERAL (SELECT substr(mobile, 7)::int AS n) number,
                   LATERAL (VALUES ('phone', mobile), ('email', email), ('member', 'M' || n),
                                   ('wechat_openid', 'oBench' || lpad(n::text, 22, '0')))
                           AS identity(kind, value)
             WHERE id > %s
            """,
            (first_id,),
        )
    rng = random.Random(42)
    return {"picks": [rng.randint(1, count) for _ in range(LOOKUPS)]}


def _measure(env, state, stock):
    picks = state["picks"]
    if stock:
        Partner = env["res.partner"]
        return time_each(
            lambda n: Partner.search([("phone_mobile_search", "=", f"+86139{n:08d}")], limit=1),
            picks,
        )
    Identity = env["omnichannel.identity"]
    kinds = [
        ("phone", lambda n: f"+86139{n:08d}"),
        ("email", lambda n: f"lookup{n}@bench.example.com"),
        ("member", lambda n: f"M{n}"),
        ("wechat_openid", lambda n: f"oBench{n:022d}"),
    ]
    return time_each(
        lambda index: Identity.find_partner(kinds[index % 4][0], kinds[index % 4][1](picks[index])),
        range(len(picks)),
    )


PAIR = Pair(
    key="identity",
    title="Identity look-up (phone, email, member number, OpenID)",
    ours_label="find_partner, each kind in turn",
    stock_label="res.partner phone_mobile_search",
    prepare=_prepare,
    measure=_measure,
    goal=1.0,
)
