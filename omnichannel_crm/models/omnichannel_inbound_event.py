# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import contextlib
import logging
import threading
import time
import traceback
from datetime import timedelta

from psycopg2 import DataError, IntegrityError, InternalError
from psycopg2.errors import SerializationFailure, TransactionRollbackError
from psycopg2.extras import Json, execute_values

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from ..tools.inbound import KINDS, InboundContact
from .omnichannel_data import INBOUND_BATCH_SIZE

_logger = logging.getLogger(__name__)

# Tries of one event before it is parked as failed, and the wait before each retry (seconds).
MAX_ATTEMPTS = 5
RETRY_DELAYS = (10, 60, 300, 1800)
# A wake-up of the pipeline younger than this is trusted to be heard: no new one is sent.
RECENT_WAKE_SECONDS = 5
DEFAULT_RETENTION_DAYS = 30
LANE_CRON = "omnichannel_crm.ir_cron_process_inbound_lane_1"


class InboundStoreError(Exception):
    """The database refused to store an inbound event: the webhook answers 500, the platform
    retries."""


class OmnichannelInboundEvent(models.Model):
    """A contact as a webhook received it, stored once before the platform gets its answer and
    processed afterwards by the inbound pipeline (customer, consent, timeline, FAQ, ticket).

    Storing is one insert that ignores a redelivery (unique per source and platform reference);
    processing claims small batches with FOR UPDATE SKIP LOCKED, so any number of cron workers on
    any number of servers share the work, and one sender's events go one at a time, in arrival
    order. A failing event is retried with growing delays, then parked as failed with its error."""

    _name = "omnichannel.inbound.event"
    _description = "Inbound Event"
    _order = "id desc"
    _rec_name = "external_ref"

    source = fields.Char(
        required=True, readonly=True, help="The record the event arrived through (model,id)."
    )
    external_ref = fields.Char(
        string="Platform reference", required=True, readonly=True, help="The platform's own id."
    )
    channel = fields.Char(required=True, readonly=True)
    kind = fields.Selection(
        [(kind, kind.capitalize()) for kind in KINDS], required=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    sender_key = fields.Char(
        required=True, readonly=True, help="Events of one sender are processed in order."
    )
    payload = fields.Json(readonly=True, help="The inbound contact as the connector read it.")
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Processed"), ("failed", "Failed")],
        required=True,
        default="pending",
        readonly=True,
    )
    attempts = fields.Integer(readonly=True)
    next_attempt_date = fields.Datetime(string="Next attempt", readonly=True)
    processed_date = fields.Datetime(string="Processed on", readonly=True)
    receive_ms = fields.Integer(
        string="Time to store (ms)",
        readonly=True,
        help="From the webhook request's arrival to this event stored; lanes slow down as it grows.",
    )
    error = fields.Text(readonly=True)
    interaction_id = fields.Many2one(
        "omnichannel.interaction", string="Timeline entry", readonly=True, ondelete="set null"
    )
    summary = fields.Char(compute="_compute_summary")

    _sql_constraints = [
        (
            "source_ref_unique",
            "unique(source, external_ref)",
            "This event was already received.",
        ),
    ]

    def init(self):
        # What the claim reads: pending events in arrival order, and the earlier ones per sender.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS omnichannel_inbound_event_pending_idx
                ON omnichannel_inbound_event (id) WHERE state = 'pending';
            CREATE INDEX IF NOT EXISTS omnichannel_inbound_event_sender_idx
                ON omnichannel_inbound_event (sender_key, id) WHERE state = 'pending';
            """
        )

    @api.depends("payload")
    def _compute_summary(self):
        for event in self:
            payload = event.payload or {}
            event.summary = (payload.get("text") or "")[:120]

    # ----------------------------------------------------------------------------------------------
    # Storing: the webhook's part
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _store(self, contacts):
        """Store inbound contacts once each and wake the pipeline. Returns, per contact, its event id
        and whether this call stored it (False for a redelivery; the id is None when a concurrent
        delivery stored it after this transaction began)."""
        if not contacts:
            return []
        now = fields.Datetime.now()
        uid = self.env.uid
        # Odoo marks when it began handling the request; none outside a request.
        request_began = getattr(threading.current_thread(), "perf_t0", None)
        receive_ms = int((time.time() - request_began) * 1000) if request_began else None
        # A redelivery of a stored event is found by a plain read, which waits for no one: the
        # insert's unique check would wait for a lane processing that event to commit its batch.
        keys = [(contact.source, contact.external_ref) for contact in contacts]
        ids = self._stored_ids(keys)
        rows = [
            (
                contact.source,
                contact.external_ref,
                contact.channel,
                contact.kind,
                contact.company_id,
                contact.sender_key,
                Json(contact.to_json()),
                "pending",
                0,
                uid,
                uid,
                now,
                now,
                receive_ms,
            )
            for contact, key in zip(contacts, keys, strict=True)
            if key not in ids
        ]
        try:
            stored = self._insert_new(rows) if rows else []
        except (IntegrityError, DataError, InternalError) as error:
            # Not the sender's fault: answered 5xx, so that the platform delivers it again (Odoo
            # would answer an integrity error 400, and the platform would drop the message).
            raise InboundStoreError(f"inbound events not stored: {error}") from error
        new = {(source, ref): event_id for event_id, source, ref in stored}
        ids.update(new)
        missing = [key for key in keys if key not in ids]
        if missing:
            ids.update(self._stored_ids(missing))
        if new:
            self._wake_pipeline()
        return [(ids.get(key), key in new) for key in keys]

    @api.model
    def _stored_ids(self, keys):
        """{(source, external_ref): id} of the events of `keys` this transaction sees."""
        self.env.cr.execute(
            "SELECT source, external_ref, id FROM omnichannel_inbound_event"
            " WHERE (source, external_ref) IN %s",
            (tuple(keys),),
        )
        return {(source, ref): event_id for source, ref, event_id in self.env.cr.fetchall()}

    @api.model
    def _wake_pipeline(self):
        """Wake the first lane, unless it was woken moments ago: a running lane takes every event
        stored meanwhile, so in a surge one wake-up (a row and a notification on another connection)
        every few seconds serves them all. An older one is not trusted: no worker may have heard it.
        The lane's id comes from the cached xmlid: env.ref would add an existence query."""
        lane_id = self.env["ir.model.data"]._xmlid_to_res_id(LANE_CRON, raise_if_not_found=True)
        self.env.cr.execute(
            "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at >= %s LIMIT 1",
            (lane_id, fields.Datetime.now() - timedelta(seconds=RECENT_WAKE_SECONDS)),
        )
        if not self.env.cr.fetchone():
            self.env["ir.cron"].sudo().browse(lane_id)._trigger()

    @api.model
    def _insert_new(self, rows):
        """Insert the rows not stored yet; returns (id, source, external_ref) of those inserted."""
        try:
            return self._insert_rows(rows)
        except SerializationFailure:
            # A concurrent delivery of one of them committed after this transaction began: its
            # row is there, invisible here. Insert one by one; those are already stored.
            stored = []
            for row in rows:
                with contextlib.suppress(SerializationFailure):
                    stored += self._insert_rows([row])
            return stored

    @api.model
    def _insert_rows(self, rows):
        with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
            return execute_values(
                self.env.cr,
                """
                INSERT INTO omnichannel_inbound_event
                       (source, external_ref, channel, kind, company_id, sender_key, payload, state,
                        attempts, create_uid, write_uid, create_date, write_date, receive_ms)
                VALUES %s
                ON CONFLICT (source, external_ref) DO NOTHING
                RETURNING id, source, external_ref
                """,
                rows,
                fetch=True,
            )

    # ----------------------------------------------------------------------------------------------
    # Processing: the pipeline's part
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _claim(self, limit=INBOUND_BATCH_SIZE, source=None):
        """Lock up to `limit` due events that no other worker holds: the earliest pending event of
        each sender, then the due events right after it of the same senders, so that a sender's
        events are processed in arrival order, and a busy sender's (a WeCom page of a thousand
        messages from one customer) many at a time rather than one claim each. With `source`
        ("model,id"), only the events that arrived through that record."""
        self.env.flush_all()
        now = fields.Datetime.now()
        self.env.cr.execute(
            """
            SELECT event.id, event.sender_key
              FROM omnichannel_inbound_event event
             WHERE event.state = 'pending'
               AND (%(source)s::varchar IS NULL OR event.source = %(source)s)
               AND (event.next_attempt_date IS NULL OR event.next_attempt_date <= %(now)s)
               AND NOT EXISTS (
                       SELECT 1 FROM omnichannel_inbound_event earlier
                        WHERE earlier.sender_key = event.sender_key
                          AND earlier.state = 'pending'
                          AND earlier.id < event.id)
             ORDER BY event.id
             LIMIT %(limit)s
               FOR UPDATE SKIP LOCKED
            """,
            {"source": source, "now": now, "limit": limit},
        )
        heads = self.env.cr.fetchall()
        ids = [event_id for event_id, _sender in heads]
        if heads and len(heads) < limit:
            # Nobody else takes these: each waits behind its sender's head, locked here. Up to
            # the first one not due yet (a retry's delay), which the rest wait behind.
            self.env.cr.execute(
                """
                SELECT follower.id
                  FROM omnichannel_inbound_event follower
                  JOIN unnest(%(ids)s, %(senders)s) AS head(id, sender_key)
                    ON follower.sender_key = head.sender_key AND follower.id > head.id
                 WHERE follower.state = 'pending'
                   AND (%(source)s::varchar IS NULL OR follower.source = %(source)s)
                   AND NOT EXISTS (
                           SELECT 1 FROM omnichannel_inbound_event held
                            WHERE held.sender_key = follower.sender_key
                              AND held.state = 'pending'
                              AND held.id > head.id AND held.id <= follower.id
                              AND (held.next_attempt_date > %(now)s
                                   OR (%(source)s::varchar IS NOT NULL
                                       AND held.source != %(source)s)))
                 ORDER BY follower.id
                 LIMIT %(limit)s
                   FOR UPDATE OF follower
                """,
                {
                    "ids": ids,
                    "senders": [sender for _id, sender in heads],
                    "source": source,
                    "now": now,
                    "limit": limit - len(heads),
                },
            )
            ids += [row[0] for row in self.env.cr.fetchall()]
        return self.browse(ids)

    def _process(self, counted=False):
        """Process claimed events one by one, each in its own savepoint: a failing event is rolled
        back alone and scheduled again, the others go on. `counted`: the attempt was counted by
        the lease. A sender's events come in arrival order: once one of them is not done, the
        sender's next ones in the batch wait behind it."""
        waiting = set()
        for event in self.sudo():
            if event.sender_key in waiting:
                if counted:
                    event._release_lease()
                continue
            try:
                with self.env.cr.savepoint():
                    contact = InboundContact.from_json(event.payload)
                    interaction = event.with_company(event.company_id)._process_contact(contact)
            except TransactionRollbackError as error:
                if not counted:
                    event._record_failure(error)
                    waiting.add(event.sender_key)
                    continue
                # A concurrent lane committed what this one was creating (the same new customer
                # calling and texting at once): no failure, tried again at once by the next claim,
                # in a transaction that sees what the other lane made.
                event._release_lease()
                waiting.add(event.sender_key)
                _logger.info("inbound event %s waits for a concurrent lane: %s", event.id, error)
                continue
            except Exception as error:
                event._record_failure(error, counted=counted)
                waiting.add(event.sender_key)
                continue
            event.write(
                {
                    "state": "done",
                    "processed_date": fields.Datetime.now(),
                    "interaction_id": interaction[:1].id,
                    "error": False,
                    "next_attempt_date": False,
                }
            )

    def _record_failure(self, error, counted=False):
        attempts = self.attempts if counted else self.attempts + 1
        values = {
            "attempts": attempts,
            "error": "".join(traceback.format_exception_only(type(error), error)).strip(),
        }
        if attempts >= MAX_ATTEMPTS:
            values.update(state="failed", next_attempt_date=False)
            _logger.warning(
                "inbound event %s parked after %s attempts: %s", self.id, attempts, error
            )
        else:
            delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
            values["next_attempt_date"] = fields.Datetime.now() + timedelta(seconds=delay)
            _logger.info("inbound event %s failed (attempt %s): %s", self.id, attempts, error)
        self.write(values)

    @api.model
    def _source_record(self, contact):
        """The record a contact arrived through ("model,id"), or None when it is no Odoo record."""
        model, _sep, record_id = contact.source.partition(",")
        if model not in self.env or not record_id.isdigit():
            return None
        return self.env[model].sudo().browse(int(record_id))

    def _process_contact(self, contact):
        """Turn one inbound contact into what it means; connectors extend this for the kinds only
        they understand (delivery receipts) and for what they send back (answers)."""
        return self.env["omnichannel.interaction"].sudo()._receive(contact)

    @api.model
    def _process_pending(self, limit=None, source=None):
        """Process due events in the current transaction until none is left (or `limit`): what the
        lanes do per batch, and what tests call. With `source`, only that record's events."""
        done = 0
        while limit is None or done < limit:
            events = self._claim(
                INBOUND_BATCH_SIZE if limit is None else min(INBOUND_BATCH_SIZE, limit - done),
                source=source,
            )
            if not events:
                break
            events._process()
            done += len(events)
        return done

    @api.model
    def _cron_clean_up(self):
        """Delete processed events older than the retention period; failed ones stay until retried
        or deleted by a manager."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("omnichannel_crm.inbound_retention_days", DEFAULT_RETENTION_DAYS)
        )
        self.flush_model()
        self.env.cr.execute(
            "DELETE FROM omnichannel_inbound_event WHERE state = 'done' AND processed_date < %s",
            (fields.Datetime.now() - timedelta(days=max(days, 1)),),
        )

    # ----------------------------------------------------------------------------------------------
    # Actions
    # ----------------------------------------------------------------------------------------------

    def action_retry(self):
        """Try failed events again now."""
        if self.filtered(lambda event: event.state == "done"):
            raise UserError(self.env._("Only pending or failed events can be tried again."))
        self.sudo().write({"state": "pending", "attempts": 0, "next_attempt_date": False})
        self.env.ref(LANE_CRON).sudo()._trigger()
        return True
