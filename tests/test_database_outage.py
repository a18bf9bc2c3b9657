"""PostgreSQL goes away in the middle of a burst of webhooks: every delivery is answered 200
(stored) or a 5xx / no answer (so the platform delivers it again), none is answered 200 and lost;
once the database is back, the platform's redeliveries are stored once and every stored event is
processed exactly once.

The outage: every connection of the Odoo server is terminated and new ones are refused for a
moment (what a restart does to the server), while the test's own connection stays. A real Odoo
server with HTTP workers on the test database, 127.0.0.1 only, a bounded number of requests."""

import json
import os
import threading
import time
from contextlib import closing

import psycopg2
import requests

from odoo.tests import TransactionCase, tagged

from .odoo_process import CommittedWork, OdooServer, db_params, run_in_odoo

PORT = int(os.environ.get("OMNI_OUTAGE_PORT", "8471"))
LOG_FILE = os.path.join(os.environ.get("OMNI_RUN_DIR", "/tmp"), "logs", "outage-server.log")
CALLS = 60
OUTAGE_AFTER = 20  # calls answered before the database goes away
OUTAGE_SECONDS = 1.5


@tagged("post_install", "-at_install")
class TestDatabaseOutage(CommittedWork, TransactionCase):
    def setUp(self):
        super().setUp()
        self.db = self.env.cr.dbname
        self.call_ids = [f"outage-{index}" for index in range(CALLS)]
        self.integration = self._committed(
            lambda env: (
                env["omnichannel.phone.integration"]
                .create({"name": "Outage PBX", "create_tickets": False})
                .read(["token", "secret"])[0]
            )
        )
        self.addCleanup(self._committed, self._cleanup)

    def _cleanup(self, env):
        events = env["omnichannel.inbound.event"].search([("external_ref", "like", "outage-%")])
        interactions = env["omnichannel.interaction"].search([("external_ref", "like", "outage-%")])
        partners = interactions.partner_id
        events.unlink()
        interactions.unlink()
        env["omnichannel.identity"].search([("partner_id", "in", partners.ids)]).unlink()
        partners.unlink()
        env["omnichannel.phone.integration"].browse(self.integration["id"]).unlink()

    def _post(self, url, call_id, index):
        from odoo.addons.omnichannel_crm.tools.telephony import sign_payload  # noqa: PLC0415

        body = json.dumps(
            {
                "call_id": call_id,
                "customer_number": f"+86 137 0001 {index:04d}",
                "direction": "inbound",
                "status": "missed",
                "duration_seconds": 0,
            }
        ).encode()
        timestamp = str(int(time.time()))
        try:
            response = requests.post(
                f"{url}/omnichannel/phone/{self.integration['token']}",
                data=body,
                headers={
                    "Content-Type": "application/json",
                    "X-Omnichannel-Timestamp": timestamp,
                    "X-Omnichannel-Signature": sign_payload(
                        self.integration["secret"], timestamp, body
                    ),
                },
                timeout=60,
            )
        except requests.RequestException:
            return None  # no answer: the platform delivers it again
        return response.status_code

    def _on_postgres(self, query, params=()):
        """A statement on the cluster's maintenance database (a database cannot refuse
        connections to itself from within)."""
        with closing(psycopg2.connect(dbname="postgres", **db_params())) as conn:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute(query, params)
                return cr.fetchone() if cr.description else None

    def _outage(self):
        """Refuse new connections to the database and terminate the server's: what a restart
        does to it. The test's own connections (this process's) stay."""
        self._on_postgres(f'ALTER DATABASE "{self.db}" WITH CONNECTION LIMIT 0')
        return self._on_postgres(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND application_name != %s",
            (self.db, f"odoo-{os.getpid()}"),
        )[0]

    def _back(self):
        self._on_postgres(f'ALTER DATABASE "{self.db}" WITH CONNECTION LIMIT -1')

    def _stored(self, env):
        events = env["omnichannel.inbound.event"].search([("external_ref", "like", "outage-%")])
        return set(events.mapped("external_ref"))

    def test_no_delivery_is_acknowledged_and_lost_when_the_database_goes_away(self):
        answers = {}
        with OdooServer(self.db, PORT, LOG_FILE, workers=2) as server:

            def burst(indexes):
                for index in indexes:
                    answers[self.call_ids[index]] = self._post(
                        server.url, self.call_ids[index], index
                    )

            first = threading.Thread(target=burst, args=(range(OUTAGE_AFTER),))
            first.start()
            first.join(timeout=120)
            rest = threading.Thread(target=burst, args=(range(OUTAGE_AFTER, CALLS),))
            rest.start()
            try:
                self.assertTrue(self._outage(), "the server's connections are cut")
                time.sleep(OUTAGE_SECONDS)
            finally:
                self._back()
            rest.join(timeout=300)
            self.assertFalse(rest.is_alive())
            self.assertEqual(set(answers), set(self.call_ids))
            self.assertTrue(
                all(status in (None, 200) or status >= 500 for status in answers.values()),
                f"only 200 or 5xx (or no answer): {sorted(set(answers.values()), key=str)}",
            )
            acknowledged = {call_id for call_id, status in answers.items() if status == 200}
            stored = self._committed(self._stored)
            self.assertLessEqual(acknowledged, stored, "every 200 is a stored event")
            # The platform delivers again what it got no 200 for.
            again = [
                (index, call_id)
                for index, call_id in enumerate(self.call_ids)
                if answers[call_id] != 200
            ]
            for index, call_id in again:
                self.assertEqual(self._post(server.url, call_id, index), 200)
        self.assertEqual(self._committed(self._stored), set(self.call_ids))
        run_in_odoo(self.db, 'env["omnichannel.inbound.event"]._process_pending()')
        states, counts = self._committed(
            lambda env: (
                env["omnichannel.inbound.event"]
                .search([("external_ref", "like", "outage-%")])
                .mapped("state"),
                [
                    env["omnichannel.interaction"].search_count(
                        [("external_ref", "=", call_id), ("channel", "=", "phone")]
                    )
                    for call_id in self.call_ids
                ],
            )
        )
        self.assertEqual(states, ["done"] * CALLS)
        self.assertEqual(counts, [1] * CALLS, "each call once on the timeline")
