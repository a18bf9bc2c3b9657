# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import freeze_time
from odoo.tools import mute_logger

from ..models.omnichannel_inbound_event import MAX_ATTEMPTS
from ..tools.inbound import InboundContact
from .common import create_staff, post_call


@tagged("post_install", "-at_install")
class TestInboundEvents(HttpCase):
    """The inbound pipeline seen from a telephony system posting calls over real HTTP: stored and
    acknowledged first, processed after, retried, parked, cleaned up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.integration = cls.env["omnichannel.phone.integration"].create(
            {"name": "Sanya PBX", "create_tickets": True}
        )
        cls.Event = cls.env["omnichannel.inbound.event"]
        cls.Interaction = cls.env["omnichannel.interaction"]

    def _post_call(self, call_id, number="+86 135 1234 5678", **values):
        return post_call(
            self,
            self.integration,
            {
                "call_id": call_id,
                "customer_number": number,
                "direction": "inbound",
                "status": "answered",
                "duration_seconds": 60,
                **values,
            },
        )

    def _contact(self, ref, sender):
        return InboundContact(
            channel="sms",
            source="test,0",
            external_ref=ref,
            company_id=self.env.company.id,
            identifiers=[("phone", sender)],
            text=f"Message {ref}",
        )

    @mute_logger("odoo.addons.omnichannel_crm.models.omnichannel_inbound_event")
    def test_a_processing_error_after_the_answer_parks_the_event_and_a_retry_lands_it(self):
        # An automated action configured wrongly makes every new ticket fail.
        automation = self.env["base.automation"].create(
            {
                "name": "Broken rule",
                "trigger": "on_create_or_write",
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
            }
        )
        action = self.env["ir.actions.server"].create(
            {
                "name": "Broken code",
                "base_automation_id": automation.id,
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                "state": "code",
                "code": "raise UserError('the rule is broken')",
            }
        )
        automation.write({"action_server_ids": [Command.link(action.id)]})
        response = self._post_call("pbx-broken")
        self.assertEqual(response.status_code, 200, "the error never reaches the platform")
        event = self.Event.browse(response.json()["event_id"])
        now = fields.Datetime.now()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            # Each retry waits for its delay; time moves on by an hour between them.
            with freeze_time(now + timedelta(hours=attempt)):
                self.Event._process_pending()
            self.assertEqual(event.attempts, attempt)
        self.assertEqual(event.state, "failed")
        self.assertIn("the rule is broken", event.error)
        self.assertFalse(self.Interaction.search([("external_ref", "=", "pbx-broken")]))
        # The manager fixes the rule and retries: the call is on the timeline, once.
        automation.active = False
        event.with_user(self._manager()).action_retry()
        self.assertEqual((event.state, event.attempts), ("pending", 0))
        self.Event._process_pending()
        self.assertEqual(event.state, "done")
        calls = self.Interaction.search([("external_ref", "=", "pbx-broken")])
        self.assertEqual(len(calls), 1)
        self.assertEqual(event.interaction_id, calls)
        self.assertTrue(calls.ticket_id)

    def test_one_senders_events_are_processed_one_at_a_time_in_arrival_order(self):
        stored = self.Event._store(
            [
                self._contact("order-1", "+8613811110001"),
                self._contact("order-2", "+8613811110001"),
                self._contact("order-3", "+8613811110002"),
            ]
        )
        self.assertEqual([new for _id, new in stored], [True, True, True])
        first, second, other = self.Event.browse([event_id for event_id, _new in stored])
        claimed = self.Event._claim()
        self.assertIn(first, claimed)
        self.assertIn(other, claimed)
        self.assertLess(
            claimed.ids.index(first.id),
            claimed.ids.index(second.id),
            "claimed with the sender's earlier event, processed after it",
        )
        self.Event._process_pending()
        self.assertEqual((first | second | other).mapped("state"), ["done"] * 3)
        self.assertLess(first.interaction_id.id, second.interaction_id.id)
        self.assertEqual(first.interaction_id.ticket_id, second.interaction_id.ticket_id)

    def test_an_unknown_webhook_path_is_not_found_while_the_database_is_up(self):
        # The database-less fallback answers 503 only when Odoo has no database; a stranger
        # probing /omnichannel/... on a running server gets a plain 404 and nothing stored.
        before = self.Event.search_count([])
        for method in ("get", "post"):
            response = getattr(self.opener, method)(
                f"{self.base_url()}/omnichannel/no-such-webhook/1", timeout=30
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self.Event.search_count([]), before)

    def test_a_redelivery_is_acknowledged_and_stored_once(self):
        first = self._post_call("pbx-twice")
        again = self._post_call("pbx-twice")
        self.assertEqual(first.json(), again.json())
        self.assertEqual(self.Event.search_count([("external_ref", "=", "pbx-twice")]), 1)

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_a_database_error_while_storing_is_answered_5xx_so_the_platform_retries(self):
        self.env.cr.execute(
            """
            ALTER TABLE omnichannel_inbound_event
              ADD CONSTRAINT test_refuses_poison CHECK (external_ref NOT LIKE 'poison%%')
            """
        )
        response = self._post_call("poison-1")
        self.assertEqual(response.status_code, 500)
        self.assertFalse(self.Event.search_count([("external_ref", "=", "poison-1")]))

    def test_a_redelivered_stop_logs_the_opt_out_once(self):
        # The same reply through two records (a provider re-created, a number on two accounts):
        # two events, one contact.
        stop = dict(
            channel="sms",
            external_ref="SM-stop-1",
            company_id=self.env.company.id,
            identifiers=[("phone", "+8613512340001")],
            text="退订",
            consent="stop",
        )
        self.Event._store(
            [InboundContact(source="test,1", **stop), InboundContact(source="test,2", **stop)]
        )
        self.Event._process_pending()
        consents = self.env["omnichannel.consent"].search(
            [("address", "=", "+8613512340001"), ("channel", "=", "sms")]
        )
        self.assertEqual(len(consents), 1, "one opt-out in the consent log")
        self.assertFalse(consents.granted)

    def test_a_busy_senders_events_are_claimed_many_at_a_time_in_arrival_order(self):
        # A WeCom page of messages from one customer: one claim takes a batch of them.
        sender = "+8613512340004"
        refs = [f"busy-{index}" for index in range(30)]
        self.Event._store([self._contact(ref, sender) for ref in refs])
        events = self.Event.search([("external_ref", "in", refs)], order="id")
        # The sixth waits for a retry: the ones after it wait behind it.
        events[5].next_attempt_date = fields.Datetime.now() + timedelta(minutes=1)
        claimed = self.Event._claim(limit=20)
        self.assertEqual(
            claimed.filtered(lambda event: event.external_ref in refs).mapped("external_ref"),
            refs[:5],
        )
        self.env.cr.execute("SAVEPOINT unlock")  # the claim's locks stay with this transaction
        events[5].next_attempt_date = False
        # The first one fails: the sender's next ones in the batch wait behind it.
        self.env.cr.execute(
            'UPDATE omnichannel_inbound_event SET payload = payload || \'{"kind": "fax"}\' '
            "WHERE id = %s",
            (events[0].id,),
        )
        events.invalidate_recordset()
        with mute_logger("odoo.addons.omnichannel_crm.models.omnichannel_inbound_event"):
            self.Event._process_pending()
        self.assertEqual(events[0].state, "pending")
        self.assertEqual(events[0].attempts, 1)
        self.assertEqual(set(events[1:].mapped("state")), {"pending"})
        self.assertEqual(set(events[1:].mapped("attempts")), {0})

    def test_an_event_stored_while_a_lane_runs_is_never_left_without_a_wake_up(self):
        lane = self.env.ref("omnichannel_crm.ir_cron_process_inbound_lane_1")
        Trigger = self.env["ir.cron.trigger"]
        Trigger.search([("cron_id", "=", lane.id)]).unlink()
        now = fields.Datetime.now()
        # Woken 2 s ago, the lane started 1 s ago and runs now.
        lane._trigger(at=now - timedelta(seconds=2))
        started = now - timedelta(seconds=1)
        self.Event.with_context(cron_id=lane.id)._consume_wake_ups()
        # A webhook stores an event after the lane's last claim, then the lane ends: Odoo deletes
        # the lane's wake-ups older than the run's start.
        self.Event._store([self._contact("during-a-run", "+8613512340002")])
        self.Event._store([self._contact("during-a-run-2", "+8613512340003")])
        Trigger.search([("cron_id", "=", lane.id), ("call_at", "<", started)]).unlink()
        self.assertEqual(
            Trigger.search_count([("cron_id", "=", lane.id)]),
            1,
            "one wake-up left, that Odoo runs the lane again for",
        )

    def test_processed_events_are_deleted_after_the_retention_period(self):
        self.env["ir.config_parameter"].set_param("omnichannel_crm.inbound_retention_days", 7)
        stored = self.Event._store(
            [self._contact(f"old-{index}", f"+86138222200{index:02d}") for index in range(3)]
        )
        old, recent, failed = self.Event.browse([event_id for event_id, _new in stored])
        self.Event._process_pending()
        old.processed_date = fields.Datetime.now() - timedelta(days=8)
        failed.write({"state": "failed", "processed_date": False})
        self.Event._cron_clean_up()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.assertTrue(failed.exists(), "failed events stay until retried")

    def test_only_managers_see_inbound_events(self):
        [(event_id, _new)] = self.Event._store([self._contact("acl-1", "+8613833330001")])
        agent = create_staff(self.env, "inbound_agent")
        with self.assertRaises(AccessError):
            self.Event.with_user(agent).browse(event_id).read(["state"])
        self.assertEqual(self.Event.with_user(self._manager()).browse(event_id).state, "pending")

    def _manager(self):
        return self.env["res.users"].search([("login", "=", "inbound_manager")]) or new_test_user(
            self.env,
            login="inbound_manager",
            groups="base.group_user,omnichannel_crm.group_omnichannel_manager",
        )
