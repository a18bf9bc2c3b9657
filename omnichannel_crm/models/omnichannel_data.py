# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The product's shared vocabulary: the selections and constants several models use, in one place
(model files import from here, never from each other)."""

from ..tools import identity as identity_tools

TICKET_PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]

# What an SLA policy targets.
SLA_TARGETS = [
    ("resolution", "Resolution"),
    ("first_response", "First response"),
    ("next_response", "Next response"),
]

# An SLA target in one of these still runs: the customer waits for an answer or the resolution.
SLA_OPEN_STATUSES = ("on_track", "at_risk", "paused")
# A target that can still be reached or breached (a next response also before the customer writes
# again): cancelled when its policy no longer applies to the ticket.
SLA_RUNNING_STATUSES = ("waiting", *SLA_OPEN_STATUSES)

# The ticket's SLA status is the worst of its open targets', in this order.
TICKET_SLA_STATUSES = [
    ("breached", "Breached"),
    ("at_risk", "At risk"),
    ("on_track", "On track"),
    ("paused", "Paused"),
    ("met", "Met"),
]

# Where a contact happens: the channel of every timeline entry.
CHANNELS = [
    ("phone", "Phone"),
    ("wechat", "WeChat"),
    ("email", "Email"),
    ("sms", "SMS"),
    ("chat", "Web chat"),
    ("visit", "Visit"),
    ("other", "Other"),
]

# The channels the business reaches customers on: consents, preferences, notification steps.
CONSENT_CHANNELS = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("phone", "Phone"),
    ("wechat", "WeChat"),
]

# What a message to a customer is for.
PURPOSES = [
    ("service", "Service messages"),
    ("marketing", "Marketing"),
]

LIFECYCLE_STAGES = [
    ("new", "New customer"),
    ("stable", "Stable"),
    ("declining", "Declining"),
]

# A customer is new for this long after their first contact.
NEW_CUSTOMER_DAYS = 30

# Declining: fewer than half the contacts of the previous period of this length, having had at
# least TREND_MIN_PREVIOUS then. The lifecycle stage and the churn risk read the trend alike.
TREND_DAYS = 90
TREND_MIN_PREVIOUS = 2

RFM_SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("promising", "Promising / New"),
    ("need_attention", "Need attention"),
    ("at_risk", "At risk"),
    ("hibernating", "Hibernating"),
]

# A rating below this is low: two of them within the window open an escalation.
LOW_RATING = 4

# Partner fields whose value is an identity of the partner, kept in sync with it.
PARTNER_IDENTITY_FIELDS = {
    "phone": identity_tools.PHONE,
    "mobile": identity_tools.PHONE,
    "email": identity_tools.EMAIL,
    "omnichannel_member_number": identity_tools.MEMBER,
}

# Inbound events claimed per transaction: small, so that a worker holds few rows and commits often.
INBOUND_BATCH_SIZE = 20
