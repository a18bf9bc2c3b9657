# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The pure helpers of the SMS gateways, against the providers' documented examples."""

from odoo.tests import BaseCase, tagged

from ..tools import keywords
from ..tools.gateways import aliyun, tencent, twilio
from ..tools.gateways.base import (
    GatewayConfig,
    OutgoingSms,
    WebhookError,
    WebhookRequest,
    json_path,
    parse_items,
)
from ..tools.gateways.http_gateway import render_body
from ..tools.outbox import RateLimiter


def webhook(body=b"", form=None, query=None):
    return WebhookRequest(
        url="https://example.com/hook", headers={}, form=form or {}, query=query or {}, body=body
    )


@tagged("post_install", "-at_install")
class TestSmsGatewayTools(BaseCase):
    def test_aliyun_signature_of_the_documented_example(self):
        # Aliyun's SendSms signature example (AccessKey testId / testSecret); the same value comes
        # out of aliyun-python-sdk-core's RPC signature composer.
        params = {
            "AccessKeyId": "testId",
            "Action": "SendSms",
            "Format": "XML",
            "OutId": "123",
            "PhoneNumbers": "15300000001",
            "RegionId": "cn-hangzhou",
            "SignName": "阿里云短信测试专用",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
            "SignatureVersion": "1.0",
            "TemplateCode": "SMS_71390007",
            "TemplateParam": '{"customer":"test"}',
            "Timestamp": "2017-07-12T02:42:19Z",
            "Version": "2017-05-25",
        }
        self.assertEqual(
            aliyun.rpc_signature("testSecret", "GET", params), "zJDF+Lrzhj/ThnlvIToysFRq6t4="
        )
        self.assertEqual(
            aliyun.rpc_signature("testSecret", "POST", params), "Xvhv7fPXrPkLVSnlt0jIr08o8NQ="
        )

    def test_tencent_tc3_signature_of_the_documented_example(self):
        # Tencent Cloud API 3.0's signature example (CVM DescribeInstances, 2019-02-25); the same
        # value comes out of tencentcloud-sdk-python's own signing code.
        payload = (
            '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], '
            '"Name": "instance-name"}]}'
        )
        self.assertEqual(
            tencent.tc3_authorization(
                "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                "cvm",
                "cvm.tencentcloudapi.com",
                payload,
                1551113065,
                content_type="application/json; charset=utf-8",
            ),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
            "tc3_request, SignedHeaders=content-type;host, "
            "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
        )

    def test_twilio_signature_of_the_documented_example(self):
        # Twilio's request validation example (auth token 12345); twilio-python agrees.
        form = {
            "CallSid": "CA1234567890ABCDE",
            "Caller": "+12349013030",
            "Digits": "1234",
            "From": "+12349013030",
            "To": "+18005551212",
        }
        self.assertEqual(
            twilio.twilio_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
        )

    def test_opt_out_keywords(self):
        words = keywords.keyword_set(keywords.DEFAULT_OPT_OUT)
        for text in ("STOP", "stop", "Stop!", " 退订。", "ＴＤ", "t", "unsubscribe"):
            self.assertTrue(keywords.matches(text, words), text)
        for text in ("please don't stop the tour", "退订了吗？我还要去", "", "START"):
            self.assertFalse(keywords.matches(text, words), text)
        self.assertTrue(keywords.matches("订阅", keywords.keyword_set(keywords.DEFAULT_OPT_IN)))

    def test_rate_limiter_spaces_calls(self):
        clock = [100.0]
        slept = []

        def sleep(seconds):
            slept.append(round(seconds, 3))
            clock[0] += seconds

        limiter = RateLimiter(4, clock=lambda: clock[0], sleep=sleep)
        for _call in range(5):
            limiter.wait()
        self.assertEqual(slept, [0.25, 0.25, 0.25, 0.25])
        # A call of 8 numbers counts 8: the next call waits 2 seconds.
        limiter.wait(8)
        limiter.wait()
        self.assertEqual(slept[-2:], [0.25, 2.0])
        del slept[4:]
        unlimited = RateLimiter(0, clock=lambda: clock[0], sleep=sleep)
        unlimited.wait()
        unlimited.wait()
        self.assertEqual(len(slept), 4)

    def test_aliyun_numbers(self):
        self.assertEqual(aliyun.aliyun_number("+8613800138000"), "13800138000")
        self.assertEqual(aliyun.aliyun_number("+85291234567"), "85291234567")

    def test_parse_items_keeps_the_good_items(self):
        request = webhook(b'[{"biz_id": "1", "success": true}, {"success": true}, 3]')
        receipts = aliyun.AliyunGateway(None).parse_receipts(request)
        self.assertEqual([receipt.provider_ref for receipt in receipts], ["1"])
        self.assertEqual(len(request.rejected), 2)
        with self.assertRaises(WebhookError):
            parse_items(webhook(b"{not json"), ("id",), dict)
        with self.assertRaises(WebhookError):
            aliyun.AliyunGateway(None).parse_receipts(webhook(b'{"biz_id": "1"}'))

    def test_generic_gateway_body_and_answer_path(self):
        body = render_body(
            '{"to": "{{number}}", "text": "{{body}}"}',
            {"number": "+8613800138000", "body": 'Say "hi"\n好'},
        )
        self.assertEqual(body, '{"to": "+8613800138000", "text": "Say \\"hi\\"\\n\\u597d"}')
        self.assertEqual(json_path({"data": [{"id": 7}]}, "data.0.id"), 7)
        self.assertIsNone(json_path({"data": []}, "data.0.id"))

    def test_twilio_inbound_opt_out_type(self):
        request = webhook(
            form={
                "MessageSid": "SM1",
                "From": "+15551230000",
                "Body": "arret",
                "OptOutType": "STOP",
            }
        )
        (message,) = twilio.TwilioGateway(None).parse_inbound(request)
        self.assertTrue(message.opt_out)

    def test_twilio_media_addresses(self):
        sid = "AC" + "0" * 32
        gateway = twilio.TwilioGateway(GatewayConfig(account=sid, secret="token"))
        media = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages/MM1/Media/ME1"
        self.assertTrue(gateway._is_own_media_url(media))
        for foreign in (
            media.replace("https://", "http://"),
            media.replace("api.twilio.com", "api.twilio.com.example.net"),
            media.replace("https://", "https://user@"),
            media.replace(sid, "AC" + "1" * 32),
            media + "?next=https://example.net/",
            f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json",
            f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages/MM1/Media/../../x",
        ):
            with self.subTest(url=foreign):
                self.assertFalse(gateway._is_own_media_url(foreign))
        self.assertTrue(gateway._may_redirect_to("https://s3-external-1.amazonaws.com/m/ME1"))
        self.assertFalse(gateway._may_redirect_to("http://s3-external-1.amazonaws.com/m/ME1"))
        self.assertFalse(gateway._may_redirect_to("https://user:pw@cdn.example/ME1"))
        request = webhook(
            form={
                "MessageSid": "MM1",
                "From": "+15551230000",
                "NumMedia": "2",
                "MediaUrl0": media,
                "MediaContentType0": "image/jpeg",
                "MediaUrl1": media.replace("ME1", "ME2"),
                "MediaContentType1": "audio/amr",
            }
        )
        (message,) = twilio.TwilioGateway(None).parse_inbound(request)
        self.assertEqual(
            message.media,
            [
                {"kind": "image", "ref": media},
                {"kind": "voice", "ref": media.replace("ME1", "ME2")},
            ],
        )

    def test_tencent_inbound_number(self):
        request = webhook(b'{"mobile": "13800138000", "nationcode": "86", "text": "TD", "time": 1}')
        (message,) = tencent.TencentGateway(None).parse_inbound(request)
        self.assertEqual(message.number, "+8613800138000")
        self.assertEqual(message.body, "TD")

    def test_batch_calls_group_messages_that_share_their_parameters(self):
        def sms(index, number, content="Delay"):
            return OutgoingSms(f"ref{index}", number, content, "T1", {"content": content})

        same = [sms(index, f"+86137{index:08d}") for index in range(450)]
        own = [sms(1000 + index, f"+86139{index:08d}", f"Seat {index}") for index in range(130)]
        # The same number twice: in two calls, as receipts tell a call's numbers apart.
        twice = [sms(2000, "+8613700000000", "Gate B"), sms(2001, "+8613700000000", "Gate B")]
        tencent_calls = tencent.TencentGateway(None).calls(same + twice)
        self.assertEqual(sorted(len(call) for call in tencent_calls), [1, 1, 50, 200, 200])
        aliyun_calls = aliyun.AliyunGateway(None).calls(same + own + twice)
        self.assertEqual(sorted(len(call) for call in aliyun_calls), [1, 31, 100, 450])
        for call in tencent_calls + aliyun_calls:
            self.assertEqual(len({message.number for message in call}), len(call))
        self.assertEqual(len(twilio.TwilioGateway(None).calls(same)), 450, "one message a call")
