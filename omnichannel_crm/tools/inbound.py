# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one shape every connector translates its platform's payload into: an inbound contact.

A WeChat message, an SMS reply, a delivery receipt, a call reported by a telephony system: each
becomes an `InboundContact`, is stored once as an inbound event (the webhook's acknowledgement) and
processed later by the one pipeline. Pure data, no ORM: it round-trips through JSON so that the
stored event is exactly what the connector saw."""

import dataclasses
from datetime import datetime

# What an inbound contact is.
MESSAGE = "message"
CALL = "call"
EVENT = "event"
RECEIPT = "receipt"  # a delivery receipt of a message we sent
KINDS = (MESSAGE, CALL, EVENT, RECEIPT)

# What the customer said about being contacted on this channel.
FOLLOW = "follow"  # WeChat subscribe
UNFOLLOW = "unfollow"  # WeChat unsubscribe
STOP = "stop"  # SMS opt-out keyword
START = "start"  # SMS opt-in keyword
CONSENT_SIGNALS = (FOLLOW, UNFOLLOW, STOP, START)
GRANTING_SIGNALS = (FOLLOW, START)

_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


class InvalidInbound(ValueError):
    """The payload cannot become an inbound contact: the webhook answers 400, nothing is stored."""


@dataclasses.dataclass
class InboundContact:
    """One contact from a customer as a connector read it.

    `identifiers` lists the sender's identifiers as (kind, value) pairs, the one the channel knows
    the sender by first (phone for SMS and calls, OpenID for WeChat, ...); every one given is linked
    to the same customer. `partner_id` names the customer when the connector knows them for certain
    (a logged-in user, a live-chat visitor who proved who they are): the contact is theirs, and no
    identifier is looked up or linked to anyone. `source` is the Odoo record the contact arrived
    through ("model,id": the WeChat account, SMS provider or telephony integration); with
    `external_ref`, the platform's id of the contact, it makes the contact unique: a redelivery is
    stored once."""

    channel: str
    source: str
    external_ref: str
    company_id: int
    identifiers: list = dataclasses.field(default_factory=list)
    partner_id: int | None = None
    kind: str = MESSAGE
    direction: str = "inbound"
    date: datetime | None = None
    text: str = ""
    body: str | None = None  # HTML, when the platform's text needs more than the summary
    # Files the platform keeps for a while, downloaded after the contact is recorded (see
    # tools/media.py): [{"kind": "image"/"voice"/"video"/"file"/"thumb", "ref": media id, "name"}].
    media: list = dataclasses.field(default_factory=list)
    consent: str | None = None
    namespace: str | None = None  # for identifiers of kind "custom"
    sender_name: str | None = None
    team_id: int | None = None
    open_ticket: bool = True
    auto_reply: bool = False
    # An FAQ answer already given at the edge (WeChat's passive reply): {"kind", "text", "faq_id"}.
    answered: dict | None = None
    # Calls: {"outcome", "duration_minutes", "wait_seconds", "agent_email", "fallback_user_id"}.
    call: dict | None = None
    # Receipts and connector-specific facts that the pipeline hands back to the connector.
    data: dict = dataclasses.field(default_factory=dict)
    raw: dict = dataclasses.field(default_factory=dict)  # the platform's payload, for support

    def __post_init__(self):
        if self.kind not in KINDS:
            raise InvalidInbound(f"unknown kind {self.kind!r}")
        if self.consent not in (None, *CONSENT_SIGNALS):
            raise InvalidInbound(f"unknown consent signal {self.consent!r}")
        if not self.external_ref:
            raise InvalidInbound("a contact needs the platform's reference")
        self.identifiers = [(kind, value) for kind, value in self.identifiers if value]
        if self.kind != RECEIPT and not self.identifiers and not self.partner_id:
            raise InvalidInbound("a contact needs its customer or at least one sender identifier")

    @property
    def sender_key(self):
        """Events with the same key are processed one at a time, in arrival order."""
        if self.partner_id:
            return f"{self.channel}:partner:{self.partner_id}"
        if self.identifiers:
            kind, value = self.identifiers[0]
            return f"{self.channel}:{kind}:{value}"
        return f"{self.channel}:{self.external_ref}"

    def identifier(self, kind):
        return next((value for each, value in self.identifiers if each == kind), None)

    def to_json(self):
        values = dataclasses.asdict(self)
        values["identifiers"] = [list(pair) for pair in self.identifiers]
        values["date"] = self.date.strftime(_DATE_FORMAT) if self.date else None
        return values

    @classmethod
    def from_json(cls, values):
        values = dict(values)
        known = {field.name for field in dataclasses.fields(cls)}
        values = {key: value for key, value in values.items() if key in known}
        values["identifiers"] = [tuple(pair) for pair in values.get("identifiers") or ()]
        if values.get("date"):
            values["date"] = datetime.strptime(values["date"], _DATE_FORMAT)
        return cls(**values)
