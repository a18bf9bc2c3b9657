# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import os
import threading
import time
from datetime import timedelta

from psycopg2.errors import TransactionRollbackError

from odoo import api, fields, models
from odoo.tools import config

from ..tools.server_load import waiting_connections
from .omnichannel_data import INBOUND_BATCH_SIZE
from .omnichannel_inbound_event import MAX_ATTEMPTS

_logger = logging.getLogger(__name__)

# A lane's claimed batch is its own this long: longer than any batch takes, short enough that the
# batch of a worker that died is taken up again soon.
LEASE_SECONDS = 120

# A lane's run hands over to a fresh run after this long, so that other jobs get the worker too.
RUN_SECONDS = 50
MAX_CLAIM_CONFLICTS = 10
# While events keep arriving, a lane pauses this many times as long as its last batch took, times
# how long the webhooks took to store them against this target: the slower the acknowledgements,
# the longer the pause (a proportional controller on what the platforms wait for).
DEFAULT_YIELD_FACTOR = 2.0
DEFAULT_ACK_TARGET_MS = 20
MIN_YIELD_SHARE = 0.25
MAX_YIELD_SECONDS = 5.0
# The OS scheduling priority (niceness) of a thread running a lane: webhooks' HTTP workers first.
DEFAULT_LANE_NICENESS = 10
# A lane with nothing to do looks again this often, for this long, before it ends.
IDLE_POLL_SECONDS = 0.25
IDLE_SECONDS = 2.0


def yield_seconds(batch_seconds, factor, stored_ms, target_ms):
    """How long a lane pauses after a batch that took `batch_seconds` while webhooks stored new
    events in `stored_ms` (their 90th percentile): `factor` times the batch, scaled by how far the
    webhooks are from `target_ms` (never below MIN_YIELD_SHARE of it, at most MAX_YIELD_SECONDS)."""
    if factor <= 0:
        return 0.0
    share = max((stored_ms or 0) / target_ms, MIN_YIELD_SHARE) if target_ms > 0 else 1.0
    return min(batch_seconds * factor * share, MAX_YIELD_SECONDS)


class OmnichannelInboundEvent(models.Model):
    """The pipeline's lanes: cron jobs that claim, process and commit stored events batch after
    batch, in parallel on the cron workers, yielding to the webhooks during a surge."""

    _inherit = "omnichannel.inbound.event"

    @api.model
    def _cron_process(self):
        """One lane of the pipeline: claim, process and commit batch after batch. Lanes are cron
        jobs that run in parallel on the cron workers; a lane that finds a full batch wakes the
        others, and one that runs out of time hands over to a fresh run of itself."""
        deadline = time.monotonic() + RUN_SECONDS
        self._consume_wake_ups()
        woke_others = False
        conflicts = 0
        param = self.env["ir.config_parameter"].sudo().get_param
        yield_factor = float(param("omnichannel_crm.inbound_yield_factor", DEFAULT_YIELD_FACTOR))
        ack_target = float(param("omnichannel_crm.inbound_ack_target_ms", DEFAULT_ACK_TARGET_MS))
        self._lower_lane_priority(
            int(param("omnichannel_crm.inbound_lane_niceness", DEFAULT_LANE_NICENESS))
        )
        last_id, _stored_ms = self._arrivals_since(None)
        idle_since = None
        while True:
            began = time.monotonic()
            try:
                with self.env.registry.cursor() as cr:
                    lane = self.with_env(self.env(cr=cr))
                    events = lane._claim_leased()
                    lane._relax_commit()
                    events._process(counted=True)
            except TransactionRollbackError:
                # Another lane committed a row this claim was locking: claim again, a few times.
                conflicts += 1
                if conflicts > MAX_CLAIM_CONFLICTS:
                    self._wake_lanes()
                    return
                continue
            if not events:
                # Stay a moment for what webhooks store next, rather than end and be woken again.
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > IDLE_SECONDS:
                    return
                time.sleep(IDLE_POLL_SECONDS)
                continue
            idle_since = None
            if len(events) == INBOUND_BATCH_SIZE and not woke_others:
                self._wake_lanes()
                woke_others = True
            if time.monotonic() > deadline:
                self._wake_lanes()
                return
            # While webhooks keep storing events (a surge), leave them the CPU and the database in
            # proportion to how long they take: acknowledgements first, the backlog drains as
            # fast as they allow.
            self._wait_for_waiting_requests()
            newest_id, stored_ms = self._arrivals_since(last_id)
            if newest_id != last_id:
                time.sleep(
                    yield_seconds(time.monotonic() - began, yield_factor, stored_ms, ack_target)
                )
            last_id = newest_id

    @api.model
    def _consume_wake_ups(self):
        """The wake-ups that started this run are consumed now, not when it ends: a webhook that
        finds a recent wake-up while this run is on (and skips its own) finds one this run has not
        yet answered, which Odoo keeps and runs the lane again for. Otherwise an event stored after
        this run's last claim would wait for the lane's next scheduled run."""
        cron_id = self.env.context.get("cron_id")
        if not cron_id:
            return
        with self.env.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= %s",
                (cron_id, fields.Datetime.now()),
            )

    @api.model
    def _claim_leased(self):
        """Claim a batch and commit its lease, so that the attempts are counted even if this
        worker dies processing them. An event tried before goes alone: if it is the one that
        killed the previous worker, it takes no other event down with it."""
        events = self._claim()
        tried = events.filtered("attempts")
        if tried:
            events = tried[:1]._park_exhausted_leases()
        if events:
            events._lease()
        self.env.cr.commit()  # pylint: disable=invalid-commit
        return events

    @api.model
    def _arrivals_since(self, last_id):
        """The newest event's id, and how long the webhooks took to store the events that arrived
        after `last_id` (90th percentile, ms; None when none did, or with no `last_id`), read in a
        transaction of its own (a fresh snapshot)."""
        with self.env.registry.cursor() as cr:
            if last_id is None:
                cr.execute("SELECT max(id), NULL FROM omnichannel_inbound_event")
                return cr.fetchone()
            cr.execute(
                """
                SELECT max(id), percentile_disc(0.9) WITHIN GROUP (ORDER BY receive_ms)
                  FROM omnichannel_inbound_event WHERE id > %s
                """,
                (last_id,),
            )
            newest_id, stored_ms = cr.fetchone()
            return newest_id or last_id, stored_ms

    @api.model
    def _wait_for_waiting_requests(self):
        """While requests wait on this server for an HTTP worker (webhooks whose platform counts
        the seconds), the lane does not start another batch: until they are taken, or for at most
        MAX_YIELD_SECONDS. Odoo's own view of a request starts only once a worker takes it."""
        port = config.get("http_port")
        paused = 0.0
        while paused < MAX_YIELD_SECONDS and (waiting_connections(port) or 0) > 0:
            time.sleep(IDLE_POLL_SECONDS)
            paused += IDLE_POLL_SECONDS

    @api.model
    def _relax_commit(self):
        """Processing's commits need not wait for the disk: the event it processes was stored
        durably by its webhook, and a database crash loses at most the last moments of processing,
        whole transactions at a time, whose events are then pending again and processed anew.
        What anything did next with durable effect (a reply sent, committed) flushed them first:
        WAL is written in order. The flushes an acknowledgement waits for are its own."""
        self.env.cr.execute("SET LOCAL synchronous_commit TO OFF")

    @api.model
    def _lower_lane_priority(self, niceness):
        """Run this thread (a cron worker's, which only runs jobs) at a lower OS priority than the
        HTTP workers, so that a webhook never waits for the CPU behind processing. Lowering needs no
        privilege and cannot be undone without one: the cron worker keeps it, which suits
        background jobs. Skipped where the platform has no per-thread priorities."""
        if niceness <= 0 or not hasattr(os, "setpriority") or not self.env.context.get("cron_id"):
            return
        thread = threading.get_native_id()
        try:
            if os.getpriority(os.PRIO_PROCESS, thread) < niceness:
                os.setpriority(os.PRIO_PROCESS, thread, niceness)
        except OSError as error:
            _logger.info("inbound lane keeps its priority: %s", error)

    @api.model
    def _wake_lanes(self):
        lanes = (
            self.env["ir.cron"]
            .sudo()
            .search([("model_id.model", "=", self._name), ("code", "ilike", "_cron_process()")])
        )
        # In a transaction of its own: the lanes wake now, not when this run ends.
        with self.env.registry.cursor() as cr:
            for lane in lanes.with_env(self.env(cr=cr)):
                lane._trigger()

    def _lease(self):
        """Count the attempt before it is made, for a worker that dies processing: the claimed
        events come back, counted, once the lease runs out (committed by the caller before it
        processes them). An event that keeps killing its worker is parked like one that keeps
        failing, and the events claimed with it go on alone."""
        self.env.cr.execute(
            """
            UPDATE omnichannel_inbound_event
               SET attempts = attempts + 1, next_attempt_date = %s, error = %s
             WHERE id IN %s
            """,
            (
                fields.Datetime.now() + timedelta(seconds=LEASE_SECONDS),
                "The worker processing this event stopped before it finished (killed, out of "
                "memory or over its time limit).",
                tuple(self.ids),
            ),
        )
        self.invalidate_recordset(["attempts", "next_attempt_date", "error"])

    def _release_lease(self):
        """The leased attempt did not count: due again now."""
        self.write(
            {
                "attempts": self.attempts - 1,
                "next_attempt_date": fields.Datetime.now(),
                "error": False,
            }
        )

    def _park_exhausted_leases(self):
        """Events whose every attempt stopped its worker: parked, not tried once more."""
        exhausted = self.filtered(lambda event: event.attempts >= MAX_ATTEMPTS)
        if exhausted:
            exhausted.write({"state": "failed", "next_attempt_date": False})
            _logger.warning(
                "inbound events %s parked: their processing stopped the worker %s times",
                exhausted.ids,
                MAX_ATTEMPTS,
            )
        return self - exhausted
