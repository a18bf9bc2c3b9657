"""The SMS sending job killed while a group of calls is in flight (one message a call, or batch
calls of several numbers): nothing is lost and nothing is sent twice. The messages the provider
may have taken are not sent again: they show as failed, saying to check the provider's console;
the others go out once each on the next run.

Starts the sending job in a separate Odoo process against a loopback SMS provider on 127.0.0.1
that holds every call, kills it with SIGKILL, and runs the queue again."""

import json
import os
import signal
import time
from urllib.parse import parse_qsl

from odoo.tests import TransactionCase, tagged

from odoo.addons.omnichannel_sms.tests.fake_sms_providers import (
    TENCENT_APP,
    TENCENT_ID,
    TENCENT_KEY,
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeSmsProviders,
)
from odoo.addons.omnichannel_sms.tools.gateways.tencent import TencentGateway
from odoo.addons.omnichannel_sms.tools.gateways.twilio import TwilioGateway

from .odoo_process import CommittedWork, run_in_odoo, start_in_odoo

MESSAGES = 40
BODY = "航班 HU7281 延误至 18:40，接机时间已为您顺延。"
# Bounded polling of the other process (not a performance limit: a stuck run fails).
POLL_ROUNDS, POLL_PAUSE = 600, 0.2


@tagged("post_install", "-at_install")
class TestSmsSendKilled(CommittedWork, TransactionCase):
    def setUp(self):
        super().setUp()
        self.fake = FakeSmsProviders().__enter__()
        self.addCleanup(self.fake.__exit__, None, None, None)
        self.db = self.env.cr.dbname
        self.numbers = [f"+861370002{index:04d}" for index in range(MESSAGES)]

    def _queue(self, env, provider_values, bodies):
        provider = env["omnichannel.sms.provider"].create(
            {
                "name": "Killed job provider",
                "rate_limit": 0,
                "is_default": False,
                "opt_out_confirmation": False,
                **provider_values,
            }
        )
        messages = env["sms.sms"].create(
            [
                {
                    "number": number,
                    "body": body,
                    "state": "outgoing",
                    "omnichannel_provider_id": provider.id,
                }
                for number, body in zip(self.numbers, bodies, strict=True)
            ]
        )
        return provider.id, messages.ids

    def _queued(self, provider_values, bodies):
        self.provider_id, self.sms_ids = self._committed(
            lambda env: self._queue(env, provider_values, bodies)
        )
        self.addCleanup(self._committed, self._cleanup)

    def _cleanup(self, env):
        env["sms.sms"].browse(self.sms_ids).exists().unlink()
        env["omnichannel.sms.provider"].browse(self.provider_id).unlink()

    def _states(self, env):
        messages = env["sms.sms"].browse(self.sms_ids).exists()
        return {sms.number: (sms.state, sms.omnichannel_error_code) for sms in messages}

    def test_a_job_killed_mid_group_loses_nothing_and_sends_nothing_twice(self):
        self._queued(
            {
                "provider_type": "twilio",
                "sender": "+15005550006",
                "account": TWILIO_SID,
                "secret": TWILIO_TOKEN,
                "endpoint": self.fake.url,
            },
            [BODY] * MESSAGES,
        )
        self._kill_mid_group(
            1,
            lambda request: [dict(parse_qsl(request.body.decode()))["To"]],
            TwilioGateway.parallel_calls,
        )

    def test_a_job_killed_mid_group_of_batch_calls_loses_nothing_and_sends_nothing_twice(self):
        """Tencent takes the SMS that share their text in one call: twenty texts, two numbers
        each, are twenty calls, eight of them in flight (sixteen SMS) when the job is killed."""
        self._queued(
            {
                "provider_type": "tencent",
                "sender": "海岛旅行",
                "account": TENCENT_ID,
                "secret": TENCENT_KEY,
                "app_id": TENCENT_APP,
                "endpoint": f"{self.fake.url}/tencent",
                "default_template_code": "1110",
            },
            [f"{BODY} ({index % 20})" for index in range(MESSAGES)],
        )
        self._kill_mid_group(
            2,
            lambda request: json.loads(request.body)["PhoneNumberSet"],
            TencentGateway.parallel_calls,
        )

    def _kill_mid_group(self, per_call, sent_to, in_flight_calls):
        """Kill the sending job with a group of `in_flight_calls` calls (of `per_call` numbers)
        held by the provider; `sent_to` reads the numbers of a request."""
        queue = f'env["sms.sms"]._process_queue(ids={self.sms_ids!r})'
        self.fake.hold()
        job = start_in_odoo(self.db, queue)
        for _round in range(POLL_ROUNDS):
            if len(self.fake.held) >= in_flight_calls or job.poll() is not None:
                break
            time.sleep(POLL_PAUSE)
        self.assertEqual(len(self.fake.held), in_flight_calls, "a group of calls in flight")
        os.kill(job.pid, signal.SIGKILL)
        job.wait(timeout=30)
        self.fake.release()
        in_flight = {
            sms_number
            for sms_number, (state, _code) in self._committed(self._states).items()
            if state == "process"
        }
        self.assertEqual(
            len(in_flight),
            in_flight_calls * per_call,
            "on record as processing before they went out",
        )
        # Later (past the interruption delay), the queue runs again.
        self._committed(
            lambda env: env.cr.execute(
                "UPDATE sms_sms SET write_date = write_date - interval '1 hour' WHERE id IN %s",
                (tuple(self.sms_ids),),
            )
        )
        run_in_odoo(self.db, queue)
        states = self._committed(self._states)
        self.assertEqual(
            {number for number, state in states.items() if state == ("error", "interrupted")},
            in_flight,
            "those the provider may have taken are failed with the reason, not sent again",
        )
        self.assertEqual(
            {number for number, (state, _code) in states.items() if state in ("pending", "sent")},
            set(self.numbers) - in_flight,
            "the others went out",
        )
        sent = [number for request in self.fake.requests for number in sent_to(request)]
        self.assertEqual(sorted(sent), sorted(set(sent)), "no number called twice")
        self.assertEqual(set(sent), set(self.numbers), "every message reached the provider once")
