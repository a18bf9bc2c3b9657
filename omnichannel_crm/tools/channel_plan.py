# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which channels of a notification scenario to try for one customer, in which order, and why the
others are left out. Pure: the caller reads the customer's level, consents, addresses and
preferences from the database and hands them in."""

from dataclasses import dataclass

# Why a step cannot reach the customer.
CONSENT_WITHDRAWN = "consent_withdrawn"
NO_MARKETING_CONSENT = "no_marketing_consent"
NO_ADDRESS = "no_address"
OPTED_OUT = "opted_out"
NOT_INSTALLED = "not_installed"
NOT_SERVED = "not_served"  # not a channel of the customer's service level


@dataclass(frozen=True)
class Step:
    """One step of a scenario: `key` is the caller's own (a record); `min_level` the rank of the
    service level the step is reserved for (an upgrade), None when it is for every customer."""

    key: object
    channel: str
    min_level: int | None = None


@dataclass(frozen=True)
class Customer:
    """What the plan needs to know of one customer. `consents` and `addresses` per channel:
    a consent is True, False (withdrawn) or absent (never asked); an address is the address, False
    (opted out) or absent (none). `ranks`: {channel: rank} of their preferences, favourite 0.
    `channels`: the channels their service level is served on, None for every channel."""

    level: int = 0
    consents: dict | None = None
    addresses: dict | None = None
    ranks: dict | None = None
    channels: frozenset | None = None


def refusal(channel, purpose, consent, address, installed, served=True):
    """Why `channel` cannot reach a customer with this `consent` and `address` for `purpose`, or
    at all when their service level is not `served` on it; None when it can."""
    # In this order: the first that holds is the reason.
    checks = (
        (not served, NOT_SERVED),
        (consent is False, CONSENT_WITHDRAWN),
        (purpose == "marketing" and not consent, NO_MARKETING_CONSENT),
        (address is None, NO_ADDRESS),
        (address is False, OPTED_OUT),
        (not installed, NOT_INSTALLED),
    )
    return next((code for refused, code in checks if refused), None)


def plan(steps, customer, purpose, installed, tried=(), respect_preferences=True):
    """The steps to try, in order, and the refused ones with their reason: ([key], [(key, code)]).

    Steps on a channel already `tried` and upgrades above the customer's level are left out
    silently. With `respect_preferences`, upgrades come first, then the channels the customer
    prefers, then the others in the scenario's order."""
    consents = customer.consents or {}
    addresses = customer.addresses or {}
    ranks = customer.ranks or {}
    chosen, refused = [], []
    for step in steps:
        if step.channel in tried:
            continue
        if step.min_level is not None and customer.level < step.min_level:
            continue
        reason = refusal(
            step.channel,
            purpose,
            consents.get(step.channel),
            addresses.get(step.channel),
            step.channel in installed,
            served=customer.channels is None or step.channel in customer.channels,
        )
        if reason:
            refused.append((step.key, reason))
        else:
            chosen.append(step)
    if respect_preferences:
        # sorted() is stable: equal ranks keep the scenario's order.
        chosen.sort(key=lambda step: (step.min_level is None, ranks.get(step.channel, len(ranks))))
    return [step.key for step in chosen], refused
