# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The product's shared vocabulary: selections used by several models, in one place."""

TICKET_PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]

# What an SLA policy targets.
SLA_TARGETS = [
    ("resolution", "Resolution"),
    ("first_response", "First response"),
    ("next_response", "Next response"),
]

# The ticket's SLA status is the worst of its open targets', in this order.
TICKET_SLA_STATUSES = [
    ("breached", "Breached"),
    ("at_risk", "At risk"),
    ("on_track", "On track"),
    ("paused", "Paused"),
    ("met", "Met"),
]
