# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's story, planned: the two WeChat conversations the README tells (the summer island
family tour's child seats, the delayed flight HU7281), dated relative to the day given."""

from datetime import datetime, time, timedelta

from .demo_month import Conversation, Customer


def plan_story(now_local):
    """The two WeChat conversations of the demo's story, on their tickets (demo XML): Zhang Wei's
    child seats a week ago, Chen Jing's delayed flight two days ago. Their customers are the demo
    partners `zhang` and `chen`."""
    today = now_local.date()
    zhang = Customer("zhang", "Zhang Wei", "+86 138 0013 8000", "zhang.wei@example.com", "en_US", 0)
    chen = Customer("chen", "Chen Jing", "+86 139 1234 5678", "chen.jing@example.com", "zh_CN", 0)
    return [
        Conversation(
            key="s01",
            customer=zhang,
            channel="wechat",
            start=datetime.combine(today - timedelta(days=7), time(12, 15)),
            category="child_seats",
            messages=[
                (0, "customer", "可以在三亚接机时准备两个儿童座椅吗？"),
                (2, "customer", "孩子一个4岁，一个7岁，7月12日到三亚。"),
                (
                    9,
                    "agent",
                    "张先生您好！已为您预留两个儿童座椅（4岁和7岁各一个），司机接机时会装好。",
                ),
                (12, "customer", "太好了，谢谢！"),
            ],
            outcome="done",
            answer_minutes=9,
            rating=5,
            agent="demo",
        ),
        Conversation(
            key="s02",
            customer=chen,
            channel="wechat",
            start=datetime.combine(today - timedelta(days=2), time(9, 20)),
            category="rebooking",
            messages=[
                (0, "customer", "航班延误了，酒店接送怎么办？"),
                (1, "customer", "HU7281，原定 7:40 起飞，现在说要推迟三个小时。"),
                (
                    6,
                    "agent",
                    "陈女士您好，航司已通知我们：HU7281 改为 10:40 起飞。"
                    "接机司机会等您，酒店也为您保留了房间。",
                ),
                (15, "customer", "好的，那晚餐还能赶上吗？"),
                (19, "agent", "可以，已将您的晚餐改到 20:30，祝您旅途顺利！"),
            ],
            outcome="in_progress",
            answer_minutes=6,
        ),
    ]
