# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time
from urllib.parse import urlencode

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.omnichannel_crm.tests.common import post_raw

from ..tools import crypto, message_xml, signature
from .common import (
    AES_KEY,
    APP_ID,
    TOKEN,
    build_callback,
    create_test_account,
    follower_message,
)
from .test_wechat_tools import bad_padding_ciphertext

CONTROLLER_LOGGER = "odoo.addons.omnichannel_wechat.controllers.callback"


@tagged("post_install", "-at_install")
class TestWechatCallback(HttpCase):
    """Callbacks built as the WeChat platform builds them, posted over real HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "WeChat care"})
        cls.account = create_test_account(
            cls.env, team_id=cls.team.id, welcome_message="欢迎关注海岛旅行！"
        )
        cls.Interaction = cls.env["omnichannel.interaction"]
        # Each test gives the questions it answers: the demo's stay out of the way.
        cls.env["omnichannel.faq"].search([]).action_archive()

    def _post(self, url, body):
        return self.url_open(url, data=body, headers={"Content-Type": "text/xml"})

    def _deliver(self, message, mode=None, **kwargs):
        url, body = build_callback(
            self.account.id, message, mode or self.account.message_mode, **kwargs
        )
        return self._post(url, body)

    def _process(self):
        # What the inbound pipeline's lanes, woken by the callback's commit, do.
        self.env["omnichannel.inbound.event"]._process_pending()

    def _events(self, openid):
        return self.env["omnichannel.inbound.event"].search(
            [("sender_key", "=", f"wechat:wechat_openid:{openid}")]
        )

    def _rows(self, openid):
        return self.Interaction.search([("identity_id.identifier", "=", openid)])

    def test_server_verification(self):
        timestamp, nonce = "1409735669", "1320562132"
        params = {
            "signature": signature.wechat_signature(TOKEN, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "echostr": "5838479218127813673",
        }
        response = self.url_open(f"/omnichannel/wechat/{self.account.id}?{urlencode(params)}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text, "5838479218127813673")
        params["signature"] = "0" * 40
        response = self.url_open(f"/omnichannel/wechat/{self.account.id}?{urlencode(params)}")
        self.assertEqual(response.status_code, 403)

    def test_text_message_in_every_mode_lands_on_a_ticket(self):
        for mode in ("plain", "compatible", "safe"):
            with self.subTest(mode=mode):
                self.account.message_mode = mode
                openid = f"oFollower{mode.capitalize():<12}".replace(" ", "x")[:28].ljust(28, "0")
                message = follower_message(
                    openid,
                    MsgType="text",
                    Content="可以加两个儿童座椅吗？",
                    MsgId=f"6054768590064{len(mode)}",
                )
                response = self._deliver(message, mode)
                self.assertEqual(response.status_code, 200, response.text)
                self.assertEqual(response.text, "success")
                # Acknowledged once stored: nothing is on the timeline before the pipeline runs.
                self.assertFalse(self._rows(openid))
                self.assertEqual(self._events(openid).state, "pending")
                self._process()
                self.assertEqual(self._events(openid).state, "done")
                row = self._rows(openid)
                self.assertEqual(len(row), 1)
                self.assertEqual(row.channel, "wechat")
                self.assertEqual(row.summary, "可以加两个儿童座椅吗？")
                self.assertIn("可以加两个儿童座椅吗？", row.ticket_id.message_ids[0].body)
                self.assertEqual(row.ticket_id.team_id, self.team)
                self.assertEqual(row.ticket_id.channel_id.omnichannel_channel, "wechat")

    def test_redeliveries_store_one_interaction(self):
        message = follower_message(
            "oRetriedFollower000000000001",
            MsgType="text",
            Content="在吗？",
            MsgId="7000000000000000001",
        )
        for _attempt in range(3):
            self.assertEqual(self._deliver(message).text, "success")
        self.assertEqual(len(self._events("oRetriedFollower000000000001")), 1)
        self._process()
        self.assertEqual(len(self._rows("oRetriedFollower000000000001")), 1)
        # Concurrent deliveries to a multi-worker server: tests/test_wechat_multiworker.py.

    def test_message_and_event_types(self):
        openid = "oEveryTypeFollower0000000001"
        cases = [
            (
                {
                    "MsgType": "image",
                    "PicUrl": "http://mmbiz.example/pic.jpg",
                    "MediaId": "m1",
                    "MsgId": "81",
                },
                "[Image]",
            ),
            (
                {
                    "MsgType": "voice",
                    "MediaId": "m2",
                    "Format": "amr",
                    "Recognition": "航班延误了吗",
                    "MsgId": "82",
                },
                "航班延误了吗",
            ),
            ({"MsgType": "video", "MediaId": "m3", "ThumbMediaId": "t3", "MsgId": "83"}, "[Video]"),
            (
                {
                    "MsgType": "location",
                    "Location_X": "18.25",
                    "Location_Y": "109.51",
                    "Scale": "15",
                    "Label": "三亚凤凰机场",
                    "MsgId": "84",
                },
                "三亚凤凰机场",
            ),
            (
                {
                    "MsgType": "link",
                    "Title": "Resort map",
                    "Description": "d",
                    "Url": "http://example.com/map",
                    "MsgId": "85",
                },
                "Resort map",
            ),
            (
                {"MsgType": "event", "Event": "SCAN", "EventKey": "island2026", "Ticket": "t"},
                "island2026",
            ),
            ({"MsgType": "event", "Event": "CLICK", "EventKey": "MY_BOOKING"}, "MY_BOOKING"),
            (
                {"MsgType": "event", "Event": "VIEW", "EventKey": "http://example.com/tours"},
                "http://example.com/tours",
            ),
        ]
        for index, (values, expected) in enumerate(cases):
            with self.subTest(type=values["MsgType"], event=values.get("Event")):
                message = follower_message(openid, **values)
                message["CreateTime"] += index
                self.assertEqual(self._deliver(message).text, "success")
                self._process()
                row = self._rows(openid)[:1]
                self.assertIn(expected, row.summary)
                self.assertEqual(row.interaction_type, "event" if "Event" in values else "message")
                self.assertEqual(bool(row.ticket_id), "Event" not in values)

    def test_faq_answers_inside_the_callback_response(self):
        self.env["omnichannel.faq"].create(
            {
                "name": "行李可以带多少？",
                "keywords": "行李, 托运",
                "answer": "经济舱每人可托运20公斤行李。",
            }
        )
        openid = "oFaqFollower0000000000000001"
        message = follower_message(
            openid, MsgType="text", Content="请问能托运几件行李？", MsgId="6054768590069001"
        )
        response = self._deliver(message, "safe")
        self.assertEqual(response.status_code, 200)
        envelope = message_xml.parse(response.content)
        reply = message_xml.parse(crypto.decrypt(envelope["Encrypt"], AES_KEY, APP_ID))
        self.assertEqual((reply["ToUserName"], reply["MsgType"]), (openid, "text"))
        self.assertEqual(reply["Content"], "经济舱每人可托运20公斤行李。")
        self._process()
        question = self._rows(openid).filtered(lambda row: row.direction == "inbound")
        self.assertFalse(question.ticket_id, "answered: no ticket")
        self.assertEqual(question.reply_id.state, "sent")
        self.assertEqual(question.reply_id.direction, "outbound")

    def test_follow_records_consent_answers_welcome_and_unfollow_opts_out(self):
        openid = "oNewSubscriber00000000000001"
        response = self._deliver(
            follower_message(
                openid,
                MsgType="event",
                Event="subscribe",
                EventKey="qrscene_summer",
                UnionId="uZhangUnion000000000000000001",
            )
        )
        self.assertEqual(response.status_code, 200)
        envelope = message_xml.parse(response.content)
        self.assertTrue(
            signature.signature_matches(
                (TOKEN, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"]),
                envelope["MsgSignature"],
            )
        )
        reply = message_xml.parse(crypto.decrypt(envelope["Encrypt"], AES_KEY, APP_ID))
        self.assertEqual(reply["ToUserName"], openid)
        self.assertEqual(reply["MsgType"], "text")
        self.assertEqual(reply["Content"], "欢迎关注海岛旅行！")
        self._process()
        row = self._rows(openid)
        self.assertIn("summer", row.summary)
        self.assertFalse(row.ticket_id)
        identity = row.identity_id
        self.assertTrue(identity.wechat_subscribed)
        self.assertEqual(
            self.env["omnichannel.identity"].find_partner(
                "wechat_unionid", "uZhangUnion000000000000000001"
            ),
            row.partner_id,
        )
        message = follower_message(openid, MsgType="event", Event="unsubscribe")
        message["CreateTime"] += 5
        self.assertEqual(self._deliver(message).text, "success")
        self._process()
        self.assertFalse(identity.wechat_subscribed)
        self.assertTrue(identity.wechat_unsubscribed_date)
        consents = self.env["omnichannel.consent"].search(
            [("partner_id", "=", row.partner_id.id)], order="id"
        )
        self.assertEqual(
            consents.mapped(lambda c: (c.channel, c.granted, c.source)),
            [("wechat", True, "wechat"), ("wechat", False, "wechat")],
            "following and unfollowing are in the customer's consent log",
        )

    @mute_logger(CONTROLLER_LOGGER)
    def test_forged_stale_foreign_and_malformed_callbacks_write_nothing(self):
        before = self.Interaction.search_count([])
        events = self.env["omnichannel.inbound.event"].search_count([])
        partners = self.env["res.partner"].search_count([])
        message = follower_message(
            "oAttacker0000000000000000001", MsgType="text", Content="x", MsgId="99"
        )
        url, body = build_callback(self.account.id, message, "safe", token="forged-token")
        self.assertEqual(self._post(url, body).status_code, 403, "forged signature")
        url, body = build_callback(
            self.account.id, message, "safe", timestamp=int(time.time()) - 3600
        )
        self.assertEqual(self._post(url, body).status_code, 403, "stale timestamp")
        url, body = build_callback(self.account.id, message, "plain")
        self.assertEqual(self._post(url, body).status_code, 403, "plain message to a safe account")
        url, body = build_callback(self.account.id, message, "safe", app_id="wx0000000000000000")
        self.assertEqual(self._post(url, body).status_code, 400, "wrong AppID")
        # Correctly signed and encrypted, but with an identifier no WeChat id looks like: refused
        # before anything is stored (a 4xx keeps nothing).
        malformed = follower_message(
            "oAttacker0000000000000000001", MsgType="text", Content="x", MsgId="98", UnionId="u!"
        )
        url, body = build_callback(self.account.id, malformed, "safe")
        self.assertEqual(self._post(url, body).status_code, 400, "malformed UnionID")
        # Bad padding: a correctly signed envelope around a ciphertext with an invalid pad.
        ciphertext = bad_padding_ciphertext(AES_KEY)
        url, _body = build_callback(self.account.id, message, "safe")
        timestamp, nonce = str(int(time.time())), "1320562132"
        params = {
            "timestamp": timestamp,
            "nonce": nonce,
            "encrypt_type": "aes",
            "msg_signature": signature.wechat_signature(TOKEN, timestamp, nonce, ciphertext),
        }
        padded = message_xml.build({"ToUserName": "gh_x", "Encrypt": ciphertext}).encode()
        response = self._post(f"/omnichannel/wechat/{self.account.id}?{urlencode(params)}", padded)
        self.assertEqual(response.status_code, 400, "bad padding")
        # XXE and oversized bodies never reach the parser's entity handling or the database.
        self.account.message_mode = "plain"
        timestamp = str(int(time.time()))

        def plain_url(nonce):
            # One signed query per body: a signed query carries one body only.
            params = {
                "signature": signature.wechat_signature(TOKEN, timestamp, nonce),
                "timestamp": timestamp,
                "nonce": nonce,
            }
            return f"/omnichannel/wechat/{self.account.id}?{urlencode(params)}"

        xxe = (
            b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b"<xml><ToUserName>gh</ToUserName><FromUserName>oX</FromUserName><CreateTime>1</CreateTime>"
            b"<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>"
        )
        self.assertEqual(self._post(plain_url("1"), xxe).status_code, 400, "XXE")
        huge = b"<xml><Content>" + b"a" * 100_000 + b"</Content></xml>"
        self.assertEqual(self._post(plain_url("2"), huge).status_code, 413, "oversized body")
        status, _body = post_raw(self.base_url(), plain_url("3"), [huge[:50], huge[50:]])
        self.assertEqual(status, 411, "a chunked body is not read")
        malformed = self._post(plain_url("4"), b"<xml><MsgType>text")
        self.assertEqual(malformed.status_code, 400, "malformed")
        self.assertEqual(self.env["omnichannel.inbound.event"].search_count([]), events)
        self.assertEqual(self.Interaction.search_count([]), before)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_unknown_account_is_404(self):
        message = follower_message(
            "oNobody000000000000000000001", MsgType="text", Content="x", MsgId="1"
        )
        url, body = build_callback(0, message, "plain")
        self.assertEqual(self._post(url, body).status_code, 404)


@tagged("post_install", "-at_install")
class TestWechatCallbackTrust(HttpCase):
    """A callback proves it comes from WeChat before anything is done with its body: an account
    without its Token hears nothing, a signed query carries one body only, a plain-text body is
    refused by an encrypted account, and what is no WeChat message is a 400, never a crash."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = create_test_account(cls.env, message_mode="plain")
        cls.Event = cls.env["omnichannel.inbound.event"]
        cls.env["omnichannel.faq"].search([]).action_archive()

    def _post(self, url, body):
        return self.url_open(url, data=body, headers={"Content-Type": "text/xml"})

    def _plain_url(self, nonce, token=TOKEN):
        timestamp = str(int(time.time()))
        query = {
            "signature": signature.wechat_signature(token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
        }
        return f"/omnichannel/wechat/{self.account.id}?{urlencode(query)}"

    def _events(self):
        return self.Event.search([("source", "=", f"{self.account._name},{self.account.id}")])

    def _forget_secrets(self, *fields):
        # What an account saved before a Token was required holds: no Token, no key.
        self.env.cr.execute(
            f"UPDATE omnichannel_wechat_account SET {', '.join(f'{f} = NULL' for f in fields)}"
            " WHERE id = %s",
            (self.account.id,),
        )
        self.account.invalidate_recordset()

    @mute_logger(CONTROLLER_LOGGER)
    def test_an_account_without_its_token_hears_nothing(self):
        self._forget_secrets("token")
        message = follower_message(
            "oForgerNoToken00000000000001", MsgType="event", Event="unsubscribe"
        )
        # A missing Token used to sign as the text "False": anyone could compute the signature.
        url, body = build_callback(self.account.id, message, "plain", token="False")
        self.assertEqual(self._post(url, body).status_code, 403)
        url, body = build_callback(self.account.id, message, "plain", token="")
        self.assertEqual(self._post(url, body).status_code, 403)
        timestamp, nonce = str(int(time.time())), "1320562132"
        for token in ("False", "None", ""):
            with self.subTest(token=token):
                params = {
                    "signature": signature.wechat_signature(token, timestamp, nonce),
                    "timestamp": timestamp,
                    "nonce": nonce,
                    "echostr": "probe",
                }
                url = f"/omnichannel/wechat/{self.account.id}?{urlencode(params)}"
                self.assertEqual(self.url_open(url).status_code, 403, "the URL check tells nothing")
        self.assertFalse(self._events())

    @mute_logger(CONTROLLER_LOGGER)
    def test_an_encrypted_callback_to_an_account_without_its_key_is_refused(self):
        self._forget_secrets("encoding_aes_key")
        message = follower_message(
            "oForgerNoKey0000000000000001", MsgType="text", Content="x", MsgId="31"
        )
        url, body = build_callback(self.account.id, message, "safe")
        self.assertEqual(self._post(url, body).status_code, 403)
        self.assertFalse(self._events())

    @mute_logger(CONTROLLER_LOGGER)
    def test_compatible_mode_reads_the_encrypted_message_only(self):
        self.account.message_mode = "compatible"
        openid = "oCompatibleFollower000000001"
        message = follower_message(openid, MsgType="text", Content="我要改签", MsgId="41")
        # The plain-text form carries no signature over its body: refused, nothing stored.
        url, body = build_callback(self.account.id, message, "plain")
        self.assertEqual(self._post(url, body).status_code, 403)
        self.assertFalse(self._events())
        # The platform's form holds both copies; the plain one, which nothing signs, is ignored.
        url, body = build_callback(self.account.id, message, "compatible")
        tampered = body.replace("我要改签".encode(), "退订所有通知".encode(), 1)
        self.assertNotEqual(tampered, body)
        response = self._post(url, tampered)
        self.assertEqual((response.status_code, response.text), (200, "success"))
        self.assertEqual(self._events().mapped("payload")[0]["text"], "我要改签")

    @mute_logger(CONTROLLER_LOGGER)
    def test_a_signed_query_carries_one_body(self):
        openid = "oReplayedFollower00000000001"
        message = follower_message(openid, MsgType="text", Content="几点登机？", MsgId="51")
        url, body = build_callback(self.account.id, message, "plain")
        self.assertEqual(self._post(url, body).text, "success")
        forged = message_xml.build(
            follower_message(openid, MsgType="event", Event="unsubscribe")
        ).encode()
        self.assertEqual(self._post(url, forged).status_code, 403, "another body: a replay")
        # The platform's retry of the same message is still acknowledged, and stored once.
        self.assertEqual(self._post(url, body).text, "success")
        events = self._events()
        self.assertEqual(len(events), 1)
        self.assertEqual(events.payload["text"], "几点登机？")

    def test_callbacks_past_the_tolerance_are_forgotten(self):
        Nonce = self.env["omnichannel.wechat.nonce"]
        now = int(time.time())
        for age in (10, 2 * self.account.timestamp_tolerance):
            timestamp = str(now - age)
            Nonce._claim(self.account, f"signature-{age}", timestamp, b"<xml/>")
        Nonce._gc_stale()
        self.assertEqual(
            Nonce.search([("account_id", "=", self.account.id)]).mapped("signature"),
            ["signature-10"],
        )

    @mute_logger(CONTROLLER_LOGGER)
    def test_what_is_no_wechat_message_is_a_400_never_a_crash(self):
        deep = b"<xml>" + b"<a>" * 3000 + b"</a>" * 3000 + b"</xml>"
        self.assertEqual(
            self._post(self._plain_url("101", token="forged"), deep).status_code,
            403,
            "the signature is checked before the body is read",
        )
        self.assertEqual(self._post(self._plain_url("102"), deep).status_code, 400)
        nested = message_xml.build(
            follower_message("oNested", MsgType="text", Content="x", MsgId="61")
        ).replace("<FromUserName><![CDATA[oNested]]>", "<FromUserName><a>oNested</a>")
        self.assertEqual(self._post(self._plain_url("103"), nested.encode()).status_code, 400)
        # Encrypted: deep nesting around the Encrypt element, then inside the ciphertext.
        self.account.message_mode = "safe"
        timestamp, nonce = str(int(time.time())), "104"
        ciphertext = crypto.encrypt(deep.decode(), AES_KEY, APP_ID)
        params = {
            "timestamp": timestamp,
            "nonce": nonce,
            "encrypt_type": "aes",
            "msg_signature": signature.wechat_signature(TOKEN, timestamp, nonce, ciphertext),
        }
        url = f"/omnichannel/wechat/{self.account.id}?{urlencode(params)}"
        self.assertEqual(self._post(url, deep).status_code, 400)
        envelope = message_xml.build({"ToUserName": "gh_x", "Encrypt": ciphertext}).encode()
        self.assertEqual(self._post(url, envelope).status_code, 400)
        self.assertFalse(self._events())

    @mute_logger(CONTROLLER_LOGGER)
    def test_a_signature_in_another_script_is_a_403(self):
        message = follower_message("oScript00000000000000000001", MsgType="text", Content="x")
        path = f"/omnichannel/wechat/{self.account.id}"
        query = {"timestamp": str(int(time.time())), "nonce": "1320562132"}
        verification = {**query, "signature": "签名", "echostr": "e"}
        self.assertEqual(self.url_open(f"{path}?{urlencode(verification)}").status_code, 403)
        _url, body = build_callback(self.account.id, message, "plain")
        plain = {**query, "signature": "é" * 40}
        self.assertEqual(self._post(f"{path}?{urlencode(plain)}", body).status_code, 403)
        self.account.message_mode = "safe"
        _url, body = build_callback(self.account.id, message, "safe")
        encrypted = {**query, "encrypt_type": "aes", "msg_signature": "签名"}
        self.assertEqual(self._post(f"{path}?{urlencode(encrypted)}", body).status_code, 403)
        self.assertFalse(self._events())
