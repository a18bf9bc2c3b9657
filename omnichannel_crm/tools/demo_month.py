# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's month at a travel agency, planned: its customers and their conversations.

Pure and deterministic (a seeded random generator, dates relative to the day given, in the
company's local time): the same day gives the same month. Each addon's demo step plays the
conversations of its own channels through the product (omnichannel.demo)."""

import dataclasses
import random
from datetime import date, datetime, time, timedelta

DAYS = 30
SEED = 34

# A travel agency's channel mix: WeChat first, then the phone, live chat on the website.
CHANNEL_MIX = {"wechat": 34, "phone": 20, "chat": 14, "wecom": 11, "sms": 11, "email": 10}
CONVERSATIONS = 220
# What happened to a ticket, by weight: most are solved.
OUTCOMES = {"done": 58, "in_progress": 12, "awaiting": 8, "new": 12, "cancelled": 6, "rejected": 4}
# Contacts per hour of the day, local time: the evening after work and the lunch break.
HOUR_WEIGHTS = [1, 0, 0, 0, 0, 0, 1, 2, 4, 6, 7, 7, 8, 6, 6, 6, 6, 6, 7, 9, 10, 9, 6, 3]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛"]
# Overseas travellers: (name, time zone, mobile number).
ENGLISH = [
    ("Emma Wilson", "Europe/London", "+44 7911 123456"),
    ("James Carter", "America/Los_Angeles", "+1 213 373 4253"),
    ("Sophie Martin", "Europe/Paris", "+33 6 12 34 56 78"),
    ("Lucas Meyer", "Europe/Berlin", "+49 1512 3456789"),
]

# (category, customer's messages, agent's answer): the category is the demo record
# omnichannel_crm.demo_ticket_category_<key>; {code} is the booking reference.
CATEGORIES = [
    (
        "rebooking",
        [
            "我的航班 {code} 能改到后天吗？",
            "我想把三亚行程推迟一周，可以改签吗？",
            "Can I move my flight {code} to Friday?",
        ],
        "已为您查询改签方案，差价和新航班信息稍后发给您。",
    ),
    (
        "refund",
        [
            "订单 {code} 取消了，退款什么时候到账？",
            "酒店退订后押金还没退回来。",
            "When will the refund for booking {code} arrive?",
        ],
        "退款已提交，一般 3-7 个工作日原路退回。",
    ),
    (
        "visa",
        [
            "去日本的签证材料需要准备哪些？",
            "签证办好了吗？下周就出发了。",
            "Which documents do I need for the Schengen visa?",
        ],
        "签证材料清单已发给您，有问题随时联系我们。",
    ),
    (
        "hotel",
        [
            "酒店能安排海景房吗？订单 {code}",
            "入住时间能提前到中午吗？",
            "Can the hotel give us a late check-out on booking {code}?",
        ],
        "已与酒店确认，会尽量为您安排，入住前一天再跟您确认。",
    ),
    (
        "luggage",
        [
            "行李额是多少公斤？可以带婴儿车吗？",
            "我的行李在三亚机场丢了，怎么办？",
            "My suitcase did not arrive on flight {code}.",
        ],
        "已登记您的行李信息，航司找到后会直接送到酒店。",
    ),
    (
        "child_seats",
        [
            "接机的车上能准备儿童座椅吗？",
            "两个孩子，需要两个安全座椅。",
        ],
        "儿童座椅已预留，司机接机时会装好。",
    ),
    (
        "complaint",
        [
            "导游迟到了一个小时，非常不满意！",
            "酒店和宣传的完全不一样，我要投诉。",
            "The transfer never came. This is unacceptable.",
        ],
        "非常抱歉给您带来不便，我们已在处理，今天内给您答复。",
    ),
]
# Share of each category (by its index in CATEGORIES): complaints are the exception.
CATEGORY_SHARE = {0: 20, 1: 14, 2: 14, 3: 20, 4: 12, 5: 14, 6: 6}
CLOSED = ("done", "cancelled", "rejected")
CLOSING_WORD = "不客气，有问题随时联系我们。"
AGENT_FOLLOW_UPS = ["不客气，祝您旅途愉快！", "可以的，发票会发到您的邮箱。", "已加急处理。"]
FOLLOW_UPS = [
    "好的，谢谢！",
    "还有一个问题：可以开发票吗？",
    "收到，麻烦尽快。",
    "Thanks, that helps.",
]
LOW_FEEDBACK = ["等了太久才有人回复。", "问题还是没有解决。"]


@dataclasses.dataclass
class Customer:
    key: str
    name: str
    mobile: str
    email: str
    lang: str
    points: int  # earned over the last year: the loyalty tier job ranks them
    vip: bool = False
    tz: str = "Asia/Shanghai"
    # Booked on the summer island tour: alerted when flight HU7281 is delayed.
    on_trip: bool = False


@dataclasses.dataclass
class Conversation:
    key: str
    customer: Customer
    channel: str
    start: datetime  # local time of the customer's first message
    category: str
    messages: list  # [(minutes after start, "customer" or "agent", text)]
    outcome: str
    answer_minutes: int | None  # the agent's first answer, None: not answered yet
    rating: int | None = None
    feedback: str = ""
    agent: str = "admin"  # "admin" or "demo"


def _customers(rng):
    customers = []
    names = set()
    while len(names) < 36:
        names.add(rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))))
    chinese = [(name, "Asia/Shanghai", None) for name in sorted(names)]
    for index, (name, tz, mobile) in enumerate(chinese + ENGLISH):
        customers.append(
            Customer(
                key=f"c{index:02d}",
                name=name,
                mobile=mobile or f"+86 13{rng.randint(0, 9)} {rng.randint(1000, 9999)} {index:04d}",
                email=f"traveller{index:02d}@example.com",
                lang="zh_CN" if mobile is None else "en_US",
                # a few gold members, a quarter silver, most bronze, some not yet in a tier
                points=rng.choice((3200, 4500, 1200, 1800, 1500, 300, 450, 600, 800, 40, 0)),
                vip=index in (3, 17),
                tz=tz,
                # a third of the members and two of the overseas travellers, in two time zones
                on_trip=index % 3 == 0 or index in (len(chinese), len(chinese) + 1),
            )
        )
    return customers


def _pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _spike_days(today):
    """The Golden Week (1-7 October) days within the month, else the month's second weekend:
    the agency's busiest days are in every demo."""
    window = [today - timedelta(days=offset) for offset in range(DAYS, 0, -1)]
    golden = [day for day in window if day.month == 10 and day.day <= 7]
    return golden or window[12:16]


def _start(rng, today, spike):
    day = rng.choice(spike) if rng.random() < 0.25 else today - timedelta(days=rng.randint(0, DAYS))
    if day.weekday() >= 5 and rng.random() < 0.3:
        day -= timedelta(days=rng.choice((1, 2, 3)))  # weekends weigh more: drawn twice
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    return datetime.combine(day, time(hour, rng.randint(0, 59)))


def waves(conversations):
    """The conversations in waves where each customer has one conversation per channel, the
    waves in time order for each: a wave is played and its tickets closed before the next one, so
    that a message never joins a customer's later ticket on the channel."""
    seen = {}
    played = []
    for conversation in sorted(conversations, key=lambda conv: (conv.start, conv.key)):
        pair = (conversation.customer.key, conversation.channel)
        index = seen.get(pair, 0)
        seen[pair] = index + 1
        if index == len(played):
            played.append([])
        played[index].append(conversation)
    return played


def plan_month(today, now_local, seed=SEED):
    """The customers and the conversations of the `DAYS` days up to `today` (a date), none after
    `now_local` (the company's local time now). Returns (customers, conversations), the
    conversations sorted by start."""
    assert isinstance(today, date)
    rng = random.Random(seed)
    customers = _customers(rng)
    spike = _spike_days(today)
    busy = {}  # (customer, channel) and customer -> the starts of their conversations
    conversations = []
    while len(conversations) < CONVERSATIONS:
        customer = rng.choice(customers)
        channel = _pick(rng, CHANNEL_MIX)
        start = _start(rng, today, spike)
        recent = now_local - start
        # A new conversation on a channel is days after the last one there, and a day after the
        # customer's last one anywhere (a customer does not write on two channels at once).
        if (
            recent < timedelta(minutes=30)
            or any(
                abs(start - other) < timedelta(hours=96)
                for other in busy.get((customer.key, channel), ())
            )
            or any(abs(start - other) < timedelta(hours=24) for other in busy.get(customer.key, ()))
        ):
            continue
        busy.setdefault((customer.key, channel), []).append(start)
        busy.setdefault(customer.key, []).append(start)
        key, texts, answer = CATEGORIES[_pick(rng, CATEGORY_SHARE)]
        code = f"IT{rng.randint(10000, 99999)}"
        outcome = _pick(rng, OUTCOMES)
        if recent < timedelta(hours=12):
            outcome = rng.choice(("new", "new", "in_progress"))  # today's tickets are open
        # Most are answered within the hour, a few late (their first-response target breached),
        # new tickets not yet (running targets: on track, at risk or breached by the job).
        answer_minutes = None
        if outcome != "new":
            answer_minutes = (
                rng.choice((2, 3, 4, 6, 8, 12, 20, 35))
                if rng.random() < 0.9
                else (rng.choice((90, 150, 300)))
            )
        messages = [(0, "customer", rng.choice(texts).format(code=code))]
        for _extra in range(rng.choice((0, 0, 1, 1, 2))):
            messages.append((rng.randint(1, 4), "customer", rng.choice(FOLLOW_UPS)))
        if answer_minutes is not None:
            messages.append((answer_minutes, "agent", answer))
            minutes = answer_minutes
            for _round in range(rng.choice((0, 1, 1, 2))):
                minutes += rng.randint(5, 40)
                messages.append((minutes, "customer", rng.choice(FOLLOW_UPS)))
                if rng.random() < 0.6:
                    minutes += rng.randint(2, 15)
                    messages.append((minutes, "agent", rng.choice(AGENT_FOLLOW_UPS)))
        # Nothing after now: a message still to come is not in the demo.
        messages = [m for m in messages if start + timedelta(minutes=m[0]) < now_local]
        if not any(author == "agent" for _minutes, author, _text in messages):
            answer_minutes = None
            outcome = "new" if outcome != "awaiting" else outcome
        elif outcome in CLOSED and messages[-1][1] == "customer":
            # An agent closes a ticket once they answered the customer's last word.
            messages.append((messages[-1][0] + 3, "agent", CLOSING_WORD))
        rating = None
        feedback = ""
        if outcome == "done" and rng.random() < 0.6:
            late = answer_minutes and answer_minutes > 60
            rating = (
                rng.choice((2, 3, 4, 4, 5))
                if late
                else rng.choice((5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 1))
            )
            feedback = rng.choice(LOW_FEEDBACK) if rating <= 2 else ""
        conversations.append(
            Conversation(
                key=f"m{len(conversations):03d}",
                customer=customer,
                channel=channel,
                start=start,
                category=key,
                messages=messages,
                outcome=outcome,
                answer_minutes=answer_minutes,
                rating=rating,
                feedback=feedback,
                agent=rng.choice(("admin", "demo", "demo")),
            )
        )
    _complain_twice(conversations)
    conversations += _waiting_vips(customers, now_local, len(conversations))
    conversations.sort(key=lambda conversation: (conversation.start, conversation.key))
    return customers, conversations


def _complain_twice(conversations):
    """The first customer who complains, complains again on their next conversation: the demo's
    escalation (complaints on two tickets within 30 days)."""
    complaint_texts, complaint_answer = CATEGORIES[6][1], CATEGORIES[6][2]
    conversations.sort(key=lambda conversation: (conversation.start, conversation.key))
    first = next((conv for conv in conversations if conv.category == "complaint"), None)
    later = first and next(
        (
            conv
            for conv in conversations
            if conv.customer is first.customer
            and conv.start > first.start
            and conv.start - first.start < timedelta(days=25)
            and conv.category != "complaint"
        ),
        None,
    )
    if not later:
        return
    answer = next(text for key, _texts, text in CATEGORIES if key == later.category)
    later.category = "complaint"
    later.messages = [
        (
            minutes,
            author,
            complaint_texts[1] if index == 0 else (complaint_answer if text == answer else text),
        )
        for index, (minutes, author, text) in enumerate(later.messages)
    ]


def _waiting_vips(customers, now_local, first):
    """The two VIP customers still waiting for an answer, one who wrote 21 hours ago, one 2 hours
    ago: their 24-hour answer targets (around the clock) are at risk and on track whatever the
    hour of the install."""
    waiting = [
        (
            21,
            "email",
            "hotel",
            "Can you confirm the villa with a private pool for our anniversary?",
        ),
        (2, "wechat", "complaint", "上次的接送车迟到了，这次请务必准时，我们下午三点落地。"),
    ]
    vips = [customer for customer in customers if customer.vip]
    return [
        Conversation(
            key=f"m{first + index:03d}",
            customer=customer,
            channel=channel,
            start=now_local - timedelta(hours=hours),
            category=category,
            messages=[(0, "customer", text)],
            outcome="new",
            answer_minutes=None,
        )
        for index, (customer, (hours, channel, category, text)) in enumerate(
            zip(vips, waiting, strict=True)
        )
    ]


def plan_nps(count, seed=SEED):
    """The answers to the recommendation survey asked of `count` customers: (score, hours after
    the survey) each, None for the ones who did not answer. Mostly promoters, a few detractors."""
    rng = random.Random(seed)
    scores = (10, 10, 10, 9, 9, 9, 9, 8, 8, 7, 7, 6, 5, 3)
    return [
        (rng.choice(scores), rng.randint(1, 72)) if rng.random() < 0.7 else None
        for _index in range(count)
    ]
