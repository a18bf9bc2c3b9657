"""Timeline: the first page of a customer's timeline, 10,000 of their rows among the table's rows,
against the chatter's first page of a record with 10,000 messages among as many messages, on the
stock database."""

from .common import time_each
from .pairs import Pair

SIZES = {"reduced": 200_000, "full": 1_000_000}
CUSTOMER_ROWS = 10_000
PAGE_LOADS = 30
LIST_FIELDS = ("date", "channel", "direction", "summary", "state", "interaction_type")


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
                 summary, company_id, create_uid, write_uid, create_date, write_date)
            SELECT p, p, (ARRAY['phone','wechat','email','sms'])[1 + g %% 4],
                   CASE WHEN g %% 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'message',
                   now() - (g || ' minutes')::interval, 'Message ' || g, %s, 1, 1, now(), now()
              FROM (SELECT g, CASE WHEN g <= %s THEN %s ELSE (%s::int[])[1 + g %% %s] END AS p
                      FROM generate_series(1, %s) g) r
            """,
            (env.company.id, CUSTOMER_ROWS, target.id, others, len(others), rows),
        )
    return {"target": target.id}


def _measure(env, state, stock):
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
                limit=30,
            )
            Store(result["messages"], for_current_user=True).get_result()

    else:
        specification = {name: {} for name in LIST_FIELDS}
        specification.update(
            {name: {"fields": {"display_name": {}}} for name in ("partner_id", "ticket_id")}
        )

        def page(_):
            env.invalidate_all()
            env["omnichannel.interaction"].web_search_read(
                [("commercial_partner_id", "=", state["target"])],
                specification,
                limit=80,
                count_limit=CUSTOMER_ROWS + 1,
            )

    return time_each(page, range(PAGE_LOADS), warmup=5)


PAIR = Pair(
    key="timeline",
    title="Timeline first page (10,000 rows of a customer)",
    ours_label="timeline list, 80 rows + count",
    stock_label="chatter, 30 messages formatted",
    prepare=_prepare,
    measure=_measure,
    goal=1.0,
)
