"""Timeline benchmarks (omnichannel_crm):

1. recording one inbound contact through the entry point, against Odoo's mail gateway turning one
   inbound email into a helpdesk ticket;
2. the first page of a customer's timeline (10,000 rows in a table of 1,000,000), against the chatter
   fetching a partner's messages (10,000 messages);
3. an identity lookup among 100,000 customers, against Odoo's indexed phone_mobile_search.

Runs in one transaction that is rolled back: the database is left as it was."""

import random

from odoo.addons.mail.tools.discuss import Store
from odoo.addons.omnichannel_crm.tools.inbound import InboundContact

from .common import insert_partners, report, time_each

CONTACTS = 300
TIMELINE_ROWS = 1_000_000
CUSTOMER_ROWS = 10_000
LOOKUP_PARTNERS = 100_000
LOOKUPS = 2_000


def _email(index, sender):
    return (
        f"From: Customer {index} <{sender}>\r\n"
        f"To: care@island-tours.example.com\r\n"
        f"Subject: Question {index} about the island tour\r\n"
        f"Message-ID: <bench-{index}@mail.example.com>\r\n"
        f'Content-Type: text/plain; charset="utf-8"\r\n\r\n'
        f"Is breakfast included on day {index}?\r\n"
    )


def bench_record_contact(env):
    env.company.country_id = env.ref("base.cn")
    team = env["helpdesk.ticket.team"].create({"name": "Bench desk"})
    env.company.omnichannel_default_team_id = team
    partners = env["res.partner"].create(
        [
            {
                "name": f"Customer {i}",
                "mobile": f"+86137{i:08d}",
                "email": f"customer{i}@bench.example.com",
            }
            for i in range(CONTACTS * 2)
        ]
    )
    Interaction = env["omnichannel.interaction"]

    def record(index):
        Interaction._receive(
            InboundContact(
                channel="sms",
                source="bench,0",
                external_ref=f"bench-sms-{index}",
                company_id=env.company.id,
                identifiers=[("phone", f"+86137{index:08d}")],
                text=f"Is breakfast included on day {index}?",
            )
        )

    def gateway(index):
        env["mail.thread"].message_process("helpdesk.ticket", _email(index, partners[index].email))

    ours = time_each(record, range(CONTACTS))
    baseline = time_each(gateway, range(CONTACTS, CONTACTS * 2))
    return report(
        "1. One inbound contact (ticket created)",
        "inbound pipeline _receive (sms, known customer)",
        ours,
        "mail gateway message_process -> helpdesk.ticket",
        baseline,
    )


def bench_timeline_page(env):
    cr = env.cr
    customers = env["res.partner"].create([{"name": f"Timeline {i}"} for i in range(1000)])
    target = customers[0]
    others = customers[1:].ids
    env.flush_all()
    # 1,000,000 interactions: 10,000 for the target customer, the rest spread over 999 others.
    cr.execute(
        """
        INSERT INTO omnichannel_interaction
            (partner_id, commercial_partner_id, channel, direction, interaction_type, date, summary,
             company_id, create_uid, write_uid, create_date, write_date)
        SELECT p, p, (ARRAY['phone','wechat','email','sms'])[1 + g %% 4],
               CASE WHEN g %% 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'message',
               now() - (g || ' minutes')::interval, 'Message ' || g, %s, 1, 1, now(), now()
          FROM (SELECT g, CASE WHEN g <= %s THEN %s ELSE (%s::int[])[1 + g %% %s] END AS p
                  FROM generate_series(1, %s) g) rows
        """,
        (env.company.id, CUSTOMER_ROWS, target.id, others, len(others), TIMELINE_ROWS),
    )
    # The chatter baseline: a partner with 10,000 messages.
    chatter_partner = customers[1]
    author = env.user.partner_id.id
    subtype = env.ref("mail.mt_comment").id
    cr.execute(
        """
        INSERT INTO mail_message
            (model, res_id, message_type, subtype_id, body, author_id, date, message_id,
             create_uid, write_uid, create_date, write_date)
        SELECT 'res.partner', %s, 'comment', %s, '<p>Message ' || g || '</p>', %s,
               now() - (g || ' minutes')::interval, 'bench-chatter-' || g, 1, 1, now(), now()
          FROM generate_series(1, %s) g
        """,
        (chatter_partner.id, subtype, author, CUSTOMER_ROWS),
    )
    cr.execute("ANALYZE omnichannel_interaction")
    cr.execute("ANALYZE mail_message")
    env.invalidate_all()
    list_fields = {
        name: {}
        for name in ("date", "channel", "direction", "summary", "state", "interaction_type")
    }
    list_fields.update(
        {name: {"fields": {"display_name": {}}} for name in ("partner_id", "ticket_id", "user_id")}
    )

    def timeline_page(_):
        env.invalidate_all()
        env["omnichannel.interaction"].web_search_read(
            [("commercial_partner_id", "=", target.id)], list_fields, limit=80, count_limit=10001
        )

    def chatter_page(_):
        env.invalidate_all()
        result = env["mail.message"]._message_fetch(
            [
                ("res_id", "=", chatter_partner.id),
                ("model", "=", "res.partner"),
                ("message_type", "!=", "user_notification"),
            ],
            limit=30,
        )
        Store(result["messages"], for_current_user=True).get_result()

    ours = time_each(timeline_page, range(60))
    baseline = time_each(chatter_page, range(60))
    return report(
        f"2. First page of a timeline ({CUSTOMER_ROWS:,} rows of {TIMELINE_ROWS:,})",
        "timeline list: web_search_read, 80 rows + count",
        ours,
        f"chatter: _message_fetch + format, {CUSTOMER_ROWS:,} messages",
        baseline,
    )


def bench_identity_lookup(env):
    cr = env.cr
    first_id = insert_partners(env, LOOKUP_PARTNERS, "Lookup", mobile_prefix="+86139")
    # The identities the install hook or the partner sync would have written.
    cr.execute(
        """
        INSERT INTO omnichannel_identity (kind, identifier, partner_id, origin, active, create_uid,
                                          write_uid, create_date, write_date)
        SELECT 'phone', mobile, id, 'partner', TRUE, 1, 1, now(), now()
          FROM res_partner WHERE id > %s AND mobile IS NOT NULL
        """,
        (first_id,),
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE omnichannel_identity")
    env.invalidate_all()
    rng = random.Random(42)
    numbers = [f"+86139{rng.randint(1, LOOKUP_PARTNERS):08d}" for _ in range(LOOKUPS)]
    Identity = env["omnichannel.identity"]
    Partner = env["res.partner"]
    ours = time_each(lambda number: Identity.find_partner("phone", number), numbers)
    baseline = time_each(
        lambda number: Partner.search([("phone_mobile_search", "=", number)], limit=1), numbers
    )
    return report(
        f"3. Identity lookup among {LOOKUP_PARTNERS:,} customers",
        "omnichannel.identity.find_partner (phone)",
        ours,
        "res.partner search phone_mobile_search",
        baseline,
    )


BENCHMARKS = [bench_record_contact, bench_timeline_page, bench_identity_lookup]
