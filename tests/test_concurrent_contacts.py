"""Two workers receiving the same message at once store it once: the database decides, and the
second webhook acknowledges the redelivery without an error.

Runs under pytest-odoo, not inside odoo-bin's test runner: there the registry lock is held while tests
run, so a second thread cannot open an environment."""

import threading

from odoo import api, sql_db
from odoo.tests import TransactionCase, tagged

from odoo.addons.omnichannel_crm.tools.inbound import InboundContact


@tagged("post_install", "-at_install")
class TestConcurrentDeliveries(TransactionCase):
    def test_two_cursors_storing_the_same_contact_make_one_event(self):
        # Real, independent connections: what two Odoo workers have.
        def new_cursor():
            return sql_db.db_connect(self.env.cr.dbname).cursor()

        def new_env(cr):
            return api.Environment(cr, self.env.uid, {})

        ref = "concurrent-msg-1"
        results, errors = {}, []
        first_inserted, release_first = threading.Event(), threading.Event()

        def deliver(name, wait_before_commit):
            try:
                with new_cursor() as cr:
                    cr.execute("SET lock_timeout = '5s'")
                    env = new_env(cr)
                    contact = InboundContact(
                        channel="sms",
                        source="test,0",
                        external_ref=ref,
                        company_id=env.company.id,
                        identifiers=[("phone", "+8613700000001")],
                        text="Same message",
                    )
                    results[name] = env["omnichannel.inbound.event"]._store([contact])
                    if wait_before_commit:
                        first_inserted.set()
                        release_first.wait(timeout=30)
            except Exception as error:
                errors.append(error)
                first_inserted.set()

        try:
            first = threading.Thread(target=deliver, args=("first", True))
            first.start()
            self.assertTrue(first_inserted.wait(timeout=30), f"{errors}")
            second = threading.Thread(target=deliver, args=("second", False))
            second.start()
            # The second blocks on the unique index until the first commits.
            second.join(timeout=1)
            self.assertTrue(second.is_alive(), f"the second delivery waits for the first {errors}")
            release_first.set()
            first.join(timeout=30)
            second.join(timeout=30)
            self.assertFalse(errors)
            [(first_id, first_stored)] = results["first"]
            [(second_id, second_stored)] = results["second"]
            self.assertTrue(first_id and first_stored)
            self.assertFalse(second_stored, "the redelivery is acknowledged, not stored again")
            self.assertIn(second_id, (first_id, None))
            with new_cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM omnichannel_inbound_event WHERE external_ref = %s", (ref,)
                )
                self.assertEqual(cr.fetchone()[0], 1)
        finally:
            release_first.set()
            with new_cursor() as cr:
                cr.execute("DELETE FROM omnichannel_inbound_event WHERE external_ref = %s", (ref,))
