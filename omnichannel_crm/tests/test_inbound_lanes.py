# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os
import threading

from odoo.sql_db import db_connect
from odoo.tests import HttpCase, tagged

from ..models.omnichannel_inbound_lane import MAX_YIELD_SECONDS, MIN_YIELD_SHARE, yield_seconds
from ..tools.inbound import InboundContact
from .common import post_call


@tagged("post_install", "-at_install")
class TestInboundLanes(HttpCase):
    """How the pipeline's lanes leave the server to the acknowledgements during a surge: they pause
    in proportion to how long the webhooks take to store what arrives, run below the HTTP workers'
    OS priority, and commit without waiting for the disk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.integration = cls.env["omnichannel.phone.integration"].create({"name": "Lane PBX"})
        cls.Event = cls.env["omnichannel.inbound.event"]

    def test_a_webhook_records_how_long_it_took_to_store_its_event(self):
        before = self.Event._arrivals_since(None)[0] or 0
        response = post_call(
            self,
            self.integration,
            {
                "call_id": "lane-1",
                "customer_number": "+86 135 1234 5601",
                "direction": "inbound",
                "status": "answered",
                "duration_seconds": 60,
            },
        )
        self.assertEqual(response.status_code, 200)
        event = self.Event.search([("external_ref", "=", "lane-1")])
        newest, stored_ms = self.Event._arrivals_since(before)
        self.assertEqual(newest, event.id)
        self.assertIsNotNone(stored_ms, "the webhook's time to store is recorded")
        self.assertGreaterEqual(stored_ms, 0)
        self.assertEqual(stored_ms, event.receive_ms)
        # Stored outside a request (a job, a test): no webhook time to speak of.
        [(job_event_id, _new)] = self.Event._store(
            [
                InboundContact(
                    channel="sms",
                    source="test,0",
                    external_ref="lane-job",
                    company_id=self.env.company.id,
                    identifiers=[("phone", "+8613512345602")],
                )
            ]
        )
        self.assertEqual(self.Event._arrivals_since(newest), (job_event_id, None))

    def test_the_slower_the_acknowledgements_the_longer_a_lane_pauses(self):
        # Webhooks storing on target: the lane pauses as long as its batch took, times the factor.
        self.assertAlmostEqual(yield_seconds(0.2, 2.0, 20, 20), 0.4)
        # Five times slower than the target: five times the pause, up to the ceiling.
        self.assertAlmostEqual(yield_seconds(0.2, 2.0, 100, 20), 2.0)
        self.assertEqual(yield_seconds(0.2, 2.0, 10_000, 20), MAX_YIELD_SECONDS)
        # Quick acknowledgements: a short pause, never none while events arrive.
        self.assertAlmostEqual(yield_seconds(0.2, 2.0, 1, 20), 0.4 * MIN_YIELD_SHARE)
        self.assertAlmostEqual(yield_seconds(0.2, 2.0, None, 20), 0.4 * MIN_YIELD_SHARE)
        # An admin who turned yielding off (factor 0) or the target off.
        self.assertEqual(yield_seconds(0.2, 0, 500, 20), 0)
        self.assertAlmostEqual(yield_seconds(0.2, 2.0, 500, 0), 0.4)

    def test_a_lane_runs_below_the_http_workers_priority(self):
        seen = {}
        lane = self.Event.with_context(
            cron_id=self.env.ref("omnichannel_crm.ir_cron_process_inbound_lane_1").id
        )

        def run(key, model):
            thread = threading.get_native_id()
            before = os.getpriority(os.PRIO_PROCESS, thread)
            model._lower_lane_priority(before + 5)
            seen[key] = (before, os.getpriority(os.PRIO_PROCESS, thread))

        for key, model in (("lane", lane), ("not a cron job", self.Event)):
            thread = threading.Thread(target=run, args=(key, model))
            thread.start()
            thread.join()
        before, after = seen["lane"]
        self.assertEqual(after, before + 5, "the lane's thread runs at a lower priority")
        before, after = seen["not a cron job"]
        self.assertEqual(after, before, "outside a cron job nothing changes")
        self.assertEqual(
            os.getpriority(os.PRIO_PROCESS, threading.get_native_id()),
            before,
            "the other threads of the process keep theirs",
        )

    def test_processing_commits_without_waiting_for_the_disk_acknowledgements_do(self):
        with db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute("SHOW synchronous_commit")
            self.assertEqual(cr.fetchone()[0], "on", "an acknowledgement's commit is durable")
            self.Event.with_env(self.env(cr=cr))._relax_commit()
            cr.execute("SHOW synchronous_commit")
            self.assertEqual(cr.fetchone()[0], "off")
            cr.commit()  # pylint: disable=invalid-commit
            cr.execute("SHOW synchronous_commit")
            self.assertEqual(cr.fetchone()[0], "on", "for the lane's transaction only")

    def test_a_redelivery_never_waits_for_the_lane_processing_its_event(self):
        contact = InboundContact(
            channel="sms",
            source="test,0",
            external_ref=f"held-{self.env.cr.dbname}",
            company_id=self.env.company.id,
            identifiers=[("phone", "+8613512345603")],
        )
        database = self.env.cr.dbname
        event_id = None
        with db_connect(database).cursor() as webhook, db_connect(database).cursor() as lane:
            try:
                Event = self.Event.with_env(self.env(cr=webhook))
                [(event_id, stored)] = Event._store([contact])
                webhook.commit()
                self.assertTrue(stored)
                # A lane has claimed the event and is processing it, its batch not committed yet.
                lane.execute(
                    "UPDATE omnichannel_inbound_event SET state = 'done' WHERE id = %s", (event_id,)
                )
                # The platform's retry: answered at once, not after the lane's batch.
                webhook.execute("SET LOCAL lock_timeout = '500ms'")
                self.assertEqual(Event._store([contact]), [(event_id, False)])
            finally:
                lane.rollback()
                webhook.rollback()
                webhook.execute(
                    "DELETE FROM omnichannel_inbound_event WHERE id = %s", (event_id or 0,)
                )
                webhook.execute(
                    "DELETE FROM ir_cron_trigger WHERE call_at > now() - interval '1 minute'"
                )
                webhook.commit()
