"""Timeline: a customer with 10,000 contacts among many, read by an internal user (not the
superuser: the record rules apply). Two pairs: the first page of our timeline list against the
same page of Odoo's messages of a record (`mail.message` `web_search_read`, the same number of
plain and many2one fields, 80 rows and the count); and the page of our contacts' bodies with their
authors against the chatter's first page (30 messages formatted as the chatter receives them)."""

from odoo import Command

from .common import sample_each
from .pairs import Pair

SIZES = {"reduced": 200_000, "full": 1_000_000}
CUSTOMER_ROWS = 10_000
PAGE_LOADS = 30
# Six plain fields and two many2one fields (their display names) on each side.
LIST_FIELDS = {
    "stock": (
        ("date", "message_type", "subject", "email_from", "model", "message_id"),
        ("author_id", "subtype_id"),
    ),
    "ours": (
        ("date", "channel", "direction", "summary", "state", "interaction_type"),
        ("partner_id", "ticket_id"),
    ),
}
LIST_ROWS = 80
CHATTER_ROWS = 30


def _prepare(env, size, stock):
    cr = env.cr
    customers = env["res.partner"].create([{"name": f"Timeline {i}"} for i in range(1000)])
    target, others = customers[0], customers[1:].ids
    env.flush_all()
    rows = SIZES[size]
    if stock:
        cr.execute(
            """
            INSERT INTO mail_message
                (model, res_id, message_type, subtype_id, body, author_id, date, message_id,
                 create_uid, write_uid, create_date, write_date)
            SELECT 'res.partner',
                   CASE WHEN g <= %s THEN %s ELSE (%s::int[])[1 + g %% %s] END,
                   'comment', %s, '<p>Message ' || g || '</p>', %s,
                   now() - (g || ' minutes')::interval, 'bench-chatter-' || g, 1, 1, now(), now()
              FROM generate_series(1, %s) g
            """,
            (
                CUSTOMER_ROWS,
                target.id,
                others,
                len(others),
                env.ref("mail.mt_comment").id,
                env.user.partner_id.id,
                rows,
            ),
        )
    else:
        cr.execute(
            """
            INSERT INTO omnichannel_interaction
                (partner_id, commercial_partner_id, channel, direction, interaction_type, date,
                 summary, body, company_id, create_uid, write_uid, create_date, write_date)
            SELECT p, p, (ARRAY['phone','wechat','email','sms'])[1 + g %% 4],
                   CASE WHEN g %% 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'message',
                   now() - (g || ' minutes')::interval, 'Message ' || g,
                   '<p>Message ' || g || '</p>', %s, 1, 1, now(), now()
              FROM (SELECT g, CASE WHEN g <= %s THEN %s ELSE (%s::int[])[1 + g %% %s] END AS p
                      FROM generate_series(1, %s) g) r
            """,
            (env.company.id, CUSTOMER_ROWS, target.id, others, len(others), rows),
        )
    groups = [env.ref("base.group_user").id, env.ref("helpdesk_mgmt.group_helpdesk_user").id]
    if not stock:
        groups.append(env.ref("omnichannel_crm.group_omnichannel_user").id)
    agent = env["res.users"].create(
        {"name": "Bench agent", "login": "bench-agent", "groups_id": [Command.set(groups)]}
    )
    return {"target": target.id, "agent": agent.id}


def _specification(plain, many2one):
    specification = {name: {} for name in plain}
    specification.update({name: {"fields": {"display_name": {}}} for name in many2one})
    return specification


def _as_agent(env, state):
    return env(user=state["agent"], su=False)


def _measure_list(env, state, stock):
    env = _as_agent(env, state)
    plain, many2one = LIST_FIELDS["stock" if stock else "ours"]
    specification = _specification(plain, many2one)
    if stock:
        model = env["mail.message"]
        domain = [("model", "=", "res.partner"), ("res_id", "=", state["target"])]
    else:
        model = env["omnichannel.interaction"]
        domain = [("commercial_partner_id", "=", state["target"])]

    def page(_):
        env.invalidate_all()
        result = model.web_search_read(
            domain, specification, limit=LIST_ROWS, count_limit=CUSTOMER_ROWS + 1
        )
        # (and the record's creation note on the stock side: counted up to the same limit)
        if len(result["records"]) != LIST_ROWS or result["length"] < CUSTOMER_ROWS:
            raise AssertionError(f"the agent reads {result['length']} rows, not {CUSTOMER_ROWS}")

    return sample_each(page, range(PAGE_LOADS), warmup=5, cr=env.cr)


def _measure_bodies(env, state, stock):
    env = _as_agent(env, state)
    if stock:
        from odoo.addons.mail.tools.discuss import Store  # noqa: PLC0415

        def page(_):
            env.invalidate_all()
            result = env["mail.message"]._message_fetch(
                [
                    ("res_id", "=", state["target"]),
                    ("model", "=", "res.partner"),
                    ("message_type", "!=", "user_notification"),
                ],
                limit=CHATTER_ROWS,
            )
            Store(result["messages"], for_current_user=True).get_result()

    else:
        specification = _specification(("date", "body"), ("partner_id",))

        def page(_):
            env.invalidate_all()
            env["omnichannel.interaction"].web_search_read(
                [("commercial_partner_id", "=", state["target"])],
                specification,
                limit=CHATTER_ROWS,
            )

    return sample_each(page, range(PAGE_LOADS), warmup=5, cr=env.cr)


NOTES = "10,000 rows of the customer among 200,000 (reduced) or 1,000,000 (full), as an internal "
NOTES += "user with the helpdesk user's (and on ours the Omnichannel user's) rights."
PAIRS = [
    Pair(
        key="timeline",
        title="Timeline list, first page (10,000 rows of a customer)",
        ours_label="timeline list, 80 rows + count",
        stock_label="mail.message list, 80 rows + count",
        prepare=_prepare,
        measure=_measure_list,
        goal=1.0,
        dataset="timeline",
        notes=NOTES,
    ),
    Pair(
        key="timeline-bodies",
        title="Timeline bodies and authors against the chatter (30 rows)",
        ours_label="30 contacts' body, author and date",
        stock_label="chatter, 30 messages formatted",
        prepare=_prepare,
        measure=_measure_bodies,
        goal=1.0,
        dataset="timeline",
    ),
]
