"""Two workers receiving the same message at once store it once: the database decides, and the
second webhook acknowledges the redelivery without an error.

Runs under pytest-odoo, not inside odoo-bin's test runner: there the registry lock is held while tests
run, so a second thread cannot open an environment."""

import threading

from odoo import api, fields, sql_db
from odoo.tests import TransactionCase, tagged

from odoo.addons.omnichannel_crm.tools.inbound import InboundContact

from .odoo_process import backends_waiting_on_lock


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

    def _new_cursor(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def _lane(self, errors, done=None, release=None):
        """One lane's batch of one event: claimed, leased, processed; held before its commit when
        `release` is given."""
        try:
            with self._new_cursor() as cr:
                cr.execute("SET lock_timeout = '20s'")
                events = api.Environment(cr, self.env.uid, {})["omnichannel.inbound.event"]
                claimed = events._claim(limit=1)
                claimed._lease()
                cr.commit()
                claimed._process(counted=True)
                if release:
                    done.set()
                    release.wait(timeout=30)
        except Exception as error:
            errors.append(error)
            if done:
                done.set()

    def _waiting_on(self, table):
        with self._new_cursor() as cr:
            return backends_waiting_on_lock(cr, self.env.cr.dbname, table)

    def _race(self, errors, table):
        """Two lanes, the second started while the first holds its processed batch uncommitted;
        returns once both are done, asserting the second waited on `table`."""
        first_done, release_first = threading.Event(), threading.Event()
        self.addCleanup(release_first.set)
        first = threading.Thread(target=self._lane, args=(errors, first_done, release_first))
        first.start()
        self.assertTrue(first_done.wait(timeout=30), f"{errors}")
        second = threading.Thread(target=self._lane, args=(errors,))
        second.start()
        for _poll in range(300):
            if self._waiting_on(table) or not second.is_alive():
                break
            second.join(timeout=0.1)
        self.assertTrue(second.is_alive(), f"the second lane waits for the first {errors}")
        release_first.set()
        first.join(timeout=30)
        second.join(timeout=30)
        self.assertFalse(errors)

    def test_two_lanes_making_the_same_new_customer_settle_it_without_a_failure(self):
        """The same new customer calls and texts at once: two lanes create them, one wins, the
        other's event is tried again at once (no failure counted, no 10 s retry delay)."""
        number = "+8613700000002"
        with self._new_cursor() as cr:
            events = api.Environment(cr, self.env.uid, {})["omnichannel.inbound.event"]
            [(sms_id, _new), (chat_id, _new)] = events._store(
                [
                    InboundContact(
                        channel=channel,
                        source="test,0",
                        external_ref=f"same-new-{channel}",
                        company_id=self.env.company.id,
                        identifiers=[("phone", number)],
                        text="航班取消了，怎么办？",
                        open_ticket=False,
                    )
                    for channel in ("sms", "chat")
                ]
            )
        self.addCleanup(self._forget, [sms_id, chat_id], number)
        self._race([], "omnichannel_identity")
        with self._new_cursor() as cr:
            events = api.Environment(cr, self.env.uid, {})["omnichannel.inbound.event"]
            chat, sms = events.browse(chat_id), events.browse(sms_id)
            self.assertEqual((chat.state, chat.attempts, chat.error), ("pending", 0, False))
            self.assertLessEqual(chat.next_attempt_date, fields.Datetime.now(), "due at once")
            events._claim_leased()._process(counted=True)
            cr.commit()
            self.assertEqual((sms.state, chat.state), ("done", "done"))
            self.assertEqual(chat.interaction_id.partner_id, sms.interaction_id.partner_id)

    def _forget(self, event_ids, number):
        with self._new_cursor() as cr:
            env = api.Environment(cr, self.env.uid, {})
            events = env["omnichannel.inbound.event"].browse(event_ids).exists()
            interactions = events.interaction_id
            identities = env["omnichannel.identity"].search([("identifier", "=", number)])
            partners = interactions.partner_id | identities.partner_id
            events.unlink()
            interactions.unlink()
            identities.unlink()
            partners.unlink()

    def test_two_lanes_take_turns_on_one_customer(self):
        """A known customer texts and chats at once: the two contacts come under different
        senders, and still one lane works on the customer at a time, the second after the first."""
        number = "+8613700000003"
        with self._new_cursor() as cr:
            env = api.Environment(cr, self.env.uid, {})
            customer = env["res.partner"].create({"name": "Gao Min", "mobile": number})
            [(sms_id, _new), (chat_id, _new)] = env["omnichannel.inbound.event"]._store(
                [
                    InboundContact(
                        channel="sms",
                        source="test,0",
                        external_ref="turns-sms",
                        company_id=self.env.company.id,
                        identifiers=[("phone", number)],
                        text="行程改到周五",
                        open_ticket=False,
                    ),
                    InboundContact(
                        channel="chat",
                        source="test,0",
                        external_ref="turns-chat",
                        company_id=self.env.company.id,
                        partner_id=customer.id,
                        text="周五可以吗？",
                        open_ticket=False,
                    ),
                ]
            )
        self.addCleanup(self._forget, [sms_id, chat_id], number)
        self._race([], "omnichannel_customer_turn")
        with self._new_cursor() as cr:
            events = api.Environment(cr, self.env.uid, {})["omnichannel.inbound.event"]
            chat, sms = events.browse(chat_id), events.browse(sms_id)
            self.assertEqual(sms.state, "done")
            self.assertEqual((chat.state, chat.attempts), ("pending", 0), "waited its turn")
            events._claim_leased()._process(counted=True)
            cr.commit()
            self.assertEqual(chat.state, "done")
            self.assertEqual(chat.interaction_id.partner_id, sms.interaction_id.partner_id)
