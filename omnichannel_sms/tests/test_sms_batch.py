# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A flight delay notifies every passenger at once: the SMS go out in the providers' batch calls
(Tencent SendSms up to 200 numbers, Aliyun SendSms up to 1,000 with one parameter set and
SendBatchSms up to 100 with parameters per number), each SMS keeping its own outcome."""

import json
import time
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import parse_qsl

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .common import SmsProvidersMixin

NOTICE = "航班 HU7281 延误至 18:40，接机时间已为您顺延。"


def numbers(count, prefix="+86137"):
    return [f"{prefix}{index:08d}" for index in range(count)]


@tagged("post_install", "-at_install")
class TestSmsBatch(SmsProvidersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_fake_providers()
        cls.SmsSms = cls.env["sms.sms"]

    def setUp(self):
        super().setUp()
        self.reset_fake()

    def _send(self, kind, recipients, body=NOTICE):
        """One SMS to each of `recipients`, sent through provider `kind` as the queue does;
        `body` is a text, or a function of the recipient's index."""
        self.use(kind)
        sms = self.SmsSms.create(
            [
                {"number": number, "body": body(index) if callable(body) else body}
                for index, number in enumerate(recipients)
            ]
        )
        sms.send()
        return sms

    def _aliyun_calls(self):
        return [dict(parse_qsl(request.body.decode())) for request in self.fake.calls("/aliyun/")]

    def test_250_tencent_sms_go_in_two_calls_each_with_its_own_serial_number(self):
        sms = self._send("tencent", numbers(250))
        calls = [request.json for request in self.fake.calls("/tencent")]
        self.assertEqual(sorted(len(call["PhoneNumberSet"]) for call in calls), [50, 200])
        self.assertEqual(set(sms.mapped("state")), {"pending"}, "every number sent")
        self.assertEqual(len(set(sms.mapped("omnichannel_provider_ref"))), 250)
        self.assertTrue(
            all(ref.startswith("2028:") for ref in sms.mapped("omnichannel_provider_ref"))
        )
        for call in calls:
            carried = sms.filtered(
                lambda message, call=call: message.number in call["PhoneNumberSet"]
            )
            self.assertEqual(len(carried), len(call["PhoneNumberSet"]))
            self.assertEqual(
                set(carried.mapped("omnichannel_call_ref")),
                {call["SessionContext"]},
                "the call's reference, which its receipts echo, is on each of its SMS",
            )
        self.assertEqual(sorted(number for _kind, number, _ref in self.fake.accepted), numbers(250))

    def test_a_number_tencent_refuses_in_a_batch_fails_alone(self):
        recipients = numbers(3)
        self.fake.refuse_numbers[recipients[1]] = "InvalidParameterValue.IncorrectPhoneNumber"
        sms = self._send("tencent", recipients)
        self.assertEqual(len(self.fake.calls("/tencent")), 1)
        refused = sms.filtered(lambda message: message.number == recipients[1])
        self.assertEqual((refused.state, refused.failure_type), ("error", "sms_number_format"))
        self.assertEqual(
            refused.omnichannel_error_code, "InvalidParameterValue.IncorrectPhoneNumber"
        )
        self.assertEqual(set((sms - refused).mapped("state")), {"pending"})
        self.SmsSms._process_queue()
        self.assertEqual(
            len(self.fake.calls("/tencent")), 1, "the refused number is not tried again"
        )

    def test_1200_aliyun_sms_with_the_same_parameters_go_in_two_send_sms_calls(self):
        sms = self._send("aliyun", numbers(1200))
        calls = self._aliyun_calls()
        self.assertEqual([call["Action"] for call in calls], ["SendSms", "SendSms"])
        self.assertEqual(
            sorted(len(call["PhoneNumbers"].split(",")) for call in calls), [200, 1000]
        )
        self.assertEqual({json.loads(call["TemplateParam"])["content"] for call in calls}, {NOTICE})
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        # One BizId per call, on each SMS of the call, with the number as Aliyun got it.
        self.assertEqual(len(set(sms.mapped("omnichannel_provider_ref"))), 2)
        self.assertEqual(sorted(sms.mapped("omnichannel_number")), [n[3:] for n in numbers(1200)])

    def test_aliyun_sms_with_their_own_parameters_go_through_send_batch_sms(self):
        recipients = numbers(150)
        sms = self._send("aliyun", recipients, body=lambda index: f"{NOTICE} 座位 {index}")
        calls = self._aliyun_calls()
        self.assertEqual({call["Action"] for call in calls}, {"SendBatchSms"})
        self.assertEqual(
            sorted(len(json.loads(call["PhoneNumberJson"])) for call in calls), [50, 100]
        )
        sent = {}
        for call in calls:
            self.assertEqual(
                json.loads(call["SignNameJson"]),
                ["海岛旅行"] * len(json.loads(call["PhoneNumberJson"])),
            )
            for number, params in zip(
                json.loads(call["PhoneNumberJson"]),
                json.loads(call["TemplateParamJson"]),
                strict=True,
            ):
                sent[f"+86{number}"] = params["content"]
        self.assertEqual(sent, {message.number: message.body for message in sms})
        self.assertEqual(set(sms.mapped("state")), {"pending"})

    def test_a_number_aliyun_refuses_costs_its_batch_nothing(self):
        """Aliyun refuses a whole call for one number it cannot reach: nothing of it was sent,
        so its numbers go again one by one, and only that one fails."""
        recipients = numbers(5)
        self.fake.refuse_numbers[recipients[2][3:]] = "isv.MOBILE_NUMBER_ILLEGAL"
        sms = self._send("aliyun", recipients)
        refused = sms.filtered(lambda message: message.number == recipients[2])
        self.assertEqual((refused.state, refused.failure_type), ("error", "sms_number_format"))
        self.assertEqual(set((sms - refused).mapped("state")), {"pending"})
        self.assertEqual(
            sorted(number for _kind, number, _ref in self.fake.accepted),
            sorted(number[3:] for number in recipients if number != recipients[2]),
            "each other number taken once",
        )

    def test_an_outage_retries_the_whole_call_and_sends_each_number_once(self):
        self.use("tencent")
        recipients = numbers(20, "+86139")
        sms = self.SmsSms.create([{"number": number, "body": NOTICE} for number in recipients])
        # Tencent takes the 20 in one call: the first two rounds' calls answer 503.
        self.fake.down_for = 2
        now = fields.Datetime.now()
        for minute in range(0, 240, 5):
            with freeze_time(now + timedelta(minutes=minute)):
                self.SmsSms._process_queue()
            if all(state == "pending" for state in sms.mapped("state")):
                break
        self.assertEqual(set(sms.mapped("state")), {"pending"}, "none lost")
        self.assertEqual(
            sorted(number for _kind, number, _ref in self.fake.accepted),
            recipients,
            "every message taken exactly once",
        )
        self.assertEqual(len(self.fake.requests), 2 + 1)
        self.assertEqual(set(sms.mapped("omnichannel_attempts")), {3})

    def test_the_rate_limit_counts_numbers_not_calls(self):
        """At 10 messages a second, a call of 200 numbers holds the next call back 20 seconds."""
        self.providers["tencent"].rate_limit = 10
        slept = []
        with patch.object(time, "sleep", side_effect=slept.append):
            self._send("tencent", numbers(250))
        self.assertEqual(len(self.fake.calls("/tencent")), 2)
        waits = [seconds for seconds in slept if seconds > 0]
        self.assertEqual(len(waits), 1)
        self.assertGreater(waits[0], 19, "200 numbers at 10 a second")

    def test_twilio_and_the_http_gateway_stay_one_message_a_call(self):
        for kind, path in (("twilio", None), ("http", "/gateway/send")):
            with self.subTest(provider=kind):
                self.fake.requests.clear()
                sms = self._send(kind, numbers(5))
                self.assertEqual(set(sms.mapped("state")), {"pending"})
                requests = self.fake.calls(path) if path else self.fake.requests
                self.assertEqual(len(requests), 5)
