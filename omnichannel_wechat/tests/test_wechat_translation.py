# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.omnichannel_crm.tools.inbound import EVENT, FOLLOW, MESSAGE, UNFOLLOW

from ..tools import message_xml
from .common import APP_ID, create_test_account

# Payloads as the WeChat platform documents them (after decryption in safe mode).
SUBSCRIBE = """<xml><ToUserName><![CDATA[gh_island]]></ToUserName>
<FromUserName><![CDATA[oZhangWeiRecordedOpenId00001]]></FromUserName>
<CreateTime>1783838400</CreateTime><MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_summer]]></EventKey>
<UnionId><![CDATA[uZhangWeiRecordedUnionId0001]]></UnionId></xml>"""
TEXT = """<xml><ToUserName><![CDATA[gh_island]]></ToUserName>
<FromUserName><![CDATA[oZhangWeiRecordedOpenId00001]]></FromUserName>
<CreateTime>1783838460</CreateTime><MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[航班延误了，接机怎么办？]]></Content><MsgId>24534654645645645</MsgId></xml>"""
IMAGE = """<xml><ToUserName><![CDATA[gh_island]]></ToUserName>
<FromUserName><![CDATA[oZhangWeiRecordedOpenId00001]]></FromUserName>
<CreateTime>1783838520</CreateTime><MsgType><![CDATA[image]]></MsgType>
<PicUrl><![CDATA[http://mmbiz.qpic.cn/boarding-pass.jpg]]></PicUrl>
<MediaId><![CDATA[media_boarding_pass]]></MediaId><MsgId>24534654645645646</MsgId></xml>"""
UNSUBSCRIBE = """<xml><ToUserName><![CDATA[gh_island]]></ToUserName>
<FromUserName><![CDATA[oZhangWeiRecordedOpenId00001]]></FromUserName>
<CreateTime>1783838580</CreateTime><MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[unsubscribe]]></Event></xml>"""


@tagged("post_install", "-at_install")
class TestWechatTranslation(TransactionCase):
    """The account only translates the platform's messages into inbound contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = create_test_account(cls.env)

    def _translate(self, xml):
        return self.account._inbound_contact(message_xml.parse(xml.encode()))

    def test_a_follow_carries_both_ids_and_the_consent(self):
        contact = self._translate(SUBSCRIBE)
        self.assertEqual(
            contact.identifiers,
            [
                ("wechat_openid", "oZhangWeiRecordedOpenId00001"),
                ("wechat_unionid", "uZhangWeiRecordedUnionId0001"),
            ],
        )
        self.assertEqual((contact.kind, contact.consent), (EVENT, FOLLOW))
        self.assertFalse(contact.open_ticket)
        self.assertEqual(
            contact.external_ref, f"{APP_ID}:oZhangWeiRecordedOpenId00001:1783838400:subscribe"
        )
        self.assertEqual(contact.source, f"omnichannel.wechat.account,{self.account.id}")
        self.assertIn("summer", contact.text)
        self.assertEqual(str(contact.date), "2026-07-12 06:40:00")

    def test_a_text_is_a_message_for_a_ticket_and_the_faq(self):
        contact = self._translate(TEXT)
        self.assertEqual((contact.kind, contact.consent), (MESSAGE, None))
        self.assertTrue(contact.open_ticket and contact.auto_reply)
        self.assertEqual(contact.text, "航班延误了，接机怎么办？")
        self.assertEqual(contact.external_ref, f"{APP_ID}:24534654645645645")
        self.assertEqual(contact.identifiers, [("wechat_openid", "oZhangWeiRecordedOpenId00001")])

    def test_an_image_is_queued_by_its_media_id_never_its_url(self):
        contact = self._translate(IMAGE)
        # Downloaded later through the platform's API; PicUrl, an address in the payload, is not.
        self.assertEqual(contact.media, [{"kind": "image", "ref": "media_boarding_pass"}])
        self.assertFalse(contact.auto_reply)

    def test_an_unfollow_withdraws_consent(self):
        contact = self._translate(UNSUBSCRIBE)
        self.assertEqual((contact.kind, contact.consent), (EVENT, UNFOLLOW))

    def test_malformed_ids_and_dates_are_refused(self):
        for xml in (
            TEXT.replace("oZhangWeiRecordedOpenId00001", "o-bad!"),
            SUBSCRIBE.replace("uZhangWeiRecordedUnionId0001", "u!"),
            TEXT.replace("1783838460", "yesterday"),
        ):
            with self.subTest(xml=xml[:60]), self.assertRaises(ValueError):
                self._translate(xml)

    def test_the_contact_survives_its_round_trip_through_the_event_store(self):
        contact = self._translate(SUBSCRIBE)
        [(event_id, stored)] = self.env["omnichannel.inbound.event"]._store([contact])
        self.assertTrue(stored)
        event = self.env["omnichannel.inbound.event"].browse(event_id)
        self.assertEqual(
            type(contact).from_json(event.payload).to_json(), contact.to_json(), "lossless"
        )
