"""The inbound pipeline when a lane's worker dies (killed, out of memory, over its time limit) in
the middle of a batch: the attempt is counted all the same, the batch comes back, each event is
processed once, and an event that kills every worker that tries it is parked while the events
claimed with it go on.

Starts real Odoo processes on the test database (the lane, then SIGKILL), on 127.0.0.1 only."""

import os
import signal

from odoo import fields, sql_db
from odoo.tests import TransactionCase, tagged

from .odoo_process import CommittedWork, backends_waiting_on_lock, run_in_odoo, start_in_odoo

SENDERS = 6
MAX_ATTEMPTS = 5  # omnichannel_crm's, before an event is parked
LANE = 'env["omnichannel.inbound.event"]._cron_process()'


@tagged("post_install", "-at_install")
class TestPipelineFaults(CommittedWork, TransactionCase):
    def setUp(self):
        super().setUp()
        self.db = self.env.cr.dbname
        self.numbers = [f"+8613700{index:06d}" for index in range(SENDERS)]
        self.refs = [f"poison-{index}" for index in range(SENDERS)]
        self._committed(self._store)
        self.addCleanup(self._committed, self._cleanup)

    def _store(self, env):
        from odoo.addons.omnichannel_crm.tools.inbound import InboundContact  # noqa: PLC0415

        env["omnichannel.inbound.event"]._store(
            [
                InboundContact(
                    channel="sms",
                    source="test,0",
                    external_ref=ref,
                    company_id=env.company.id,
                    identifiers=[("phone", number)],
                    text="航班延误了，怎么改签？",
                )
                for number, ref in zip(self.numbers, self.refs, strict=True)
            ]
        )

    def _events(self, env):
        return env["omnichannel.inbound.event"].search(
            [("external_ref", "in", self.refs)], order="id"
        )

    def _make_due(self, env):
        self._events(env).write({"next_attempt_date": fields.Datetime.now()})

    def _cleanup(self, env):
        rows = env["omnichannel.interaction"].search([("external_ref", "in", self.refs)])
        identities = env["omnichannel.identity"].search([("identifier", "in", self.numbers)])
        tickets, partners = rows.ticket_id, rows.partner_id | identities.partner_id
        self._events(env).unlink()
        rows.unlink()
        tickets.unlink()
        partners.unlink()

    def _kill_a_lane_mid_batch(self):
        """A lane claims, then waits on its first insert into the timeline (held by a lock) and is
        killed there."""
        with sql_db.db_connect(self.db).cursor() as blocker:
            blocker.execute("LOCK TABLE omnichannel_interaction IN EXCLUSIVE MODE")
            lane = start_in_odoo(self.db, LANE)
            self._wait_for(
                lambda env: backends_waiting_on_lock(env.cr, self.db, "omnichannel_interaction"),
                "the lane to claim its batch and block",
            )
            os.kill(lane.pid, signal.SIGKILL)
            lane.wait(timeout=30)
            blocker.rollback()
        self._wait_for(
            lambda env: not backends_waiting_on_lock(env.cr, self.db, "omnichannel_interaction"),
            "the killed lane's transaction to end",
        )

    def test_a_killed_lane_counts_its_attempt_and_its_batch_comes_back_once(self):
        self._kill_a_lane_mid_batch()
        events = self._committed(
            lambda env: [(e.state, e.attempts, bool(e.error)) for e in self._events(env)]
        )
        self.assertEqual(events, [("pending", 1, True)] * SENDERS, "counted, kept, explained")
        self._committed(self._make_due)
        run_in_odoo(self.db, LANE)
        self.assertEqual(
            self._committed(lambda env: self._events(env).mapped("state")),
            ["done"] * SENDERS,
            self._committed(lambda env: self._events(env).mapped("error")),
        )
        counts = self._committed(
            lambda env: [
                env["omnichannel.interaction"].search_count([("external_ref", "=", ref)])
                for ref in self.refs
            ]
        )
        self.assertEqual(counts, [1] * SENDERS, "each message once on the timeline")

    def test_an_event_that_kills_every_lane_is_parked_and_the_others_go_on(self):
        # The first kill counts an attempt of the whole batch; from then on the lane tries the
        # events that were tried before one at a time, and the first one keeps killing it.
        for _kill in range(MAX_ATTEMPTS):
            self._kill_a_lane_mid_batch()
            self._committed(self._make_due)
        attempts = self._committed(lambda env: self._events(env).mapped("attempts"))
        self.assertEqual(attempts, [MAX_ATTEMPTS] + [1] * (SENDERS - 1))
        run_in_odoo(self.db, LANE)
        states = self._committed(lambda env: self._events(env).mapped("state"))
        self.assertEqual(states, ["failed"] + ["done"] * (SENDERS - 1))
        poison = self._committed(
            lambda env: env["omnichannel.interaction"].search_count(
                [("external_ref", "=", self.refs[0])]
            )
        )
        self.assertEqual(poison, 0, "parked without being tried once more")
