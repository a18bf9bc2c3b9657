"""Identity: finding the customer of an identifier among the customers, one pair per kind, each
against the stock database's own way of finding a partner by it: a phone number with Odoo's
indexed `phone_mobile_search`, an email with `email_normalized`, a member number and a WeChat
OpenID with the partner's indexed Internal Reference (`ref`, where a database without our addons
keeps a customer's number of another system; one kind per database, the OpenID pair has its own)."""

import random

from .common import insert_partners, sample_each
from .pairs import Pair

SIZES = {"reduced": 20_000, "full": 100_000}
LOOKUPS = 400


KINDS = {
    "phone": lambda n: f"+86139{n:08d}",
    "email": lambda n: f"lookup{n}@bench.example.com",
    "member": lambda n: f"M{n}",
    "wechat_openid": lambda n: f"oBench{n:022d}",
}


def _prepare(env, size, stock, ref_kind="member"):
    count = SIZES[size]
    first_id = insert_partners(env, count, "Lookup", mobile_prefix="+86139")
    cr = env.cr
    # Customer n: mobile +86139 and n on 8 digits, email lookup<n>@..., member M<n>, an OpenID.
    cr.execute(
        """
        UPDATE res_partner
           SET email = 'lookup' || substr(mobile, 7)::int || '@bench.example.com',
               email_normalized = 'lookup' || substr(mobile, 7)::int || '@bench.example.com',
               ref = CASE WHEN %s THEN 'M' || substr(mobile, 7)::int
                          ELSE 'oBench' || lpad(substr(mobile, 7)::int::text, 22, '0') END
         WHERE id > %s
        """,
        (ref_kind == "member", first_id),
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


def _stock_search(kind):
    if kind == "phone":
        return "phone_mobile_search"
    return "email_normalized" if kind == "email" else "ref"


def _measure(env, state, stock, kind):
    value = KINDS[kind]
    if stock:
        Partner, field = env["res.partner"], _stock_search(kind)
        work = lambda n: Partner.search([(field, "=", value(n))], limit=1)  # noqa: E731
    else:
        Identity = env["omnichannel.identity"]
        work = lambda n: Identity.find_partner(kind, value(n))  # noqa: E731
    return sample_each(work, state["picks"], cr=env.cr)


def _pair(kind):
    ref_kind = "wechat_openid" if kind == "wechat_openid" else "member"
    return Pair(
        key=f"identity-{kind}",
        title=f"Identity look-up: {kind.replace('_', ' ')}",
        ours_label=f"find_partner('{kind}')",
        stock_label=f"res.partner search on {_stock_search(kind)}",
        prepare=lambda env, size, stock: _prepare(env, size, stock, ref_kind),
        measure=lambda env, state, stock: _measure(env, state, stock, kind),
        goal=1.0,
        dataset=f"identity-{ref_kind}",
        notes="20,000 customers (reduced) or 100,000 (full), 400 look-ups of random ones."
        if kind == "phone"
        else "",
    )


PAIRS = [_pair(kind) for kind in KINDS]
