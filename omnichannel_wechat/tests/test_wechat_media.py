# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Agents' attachments on WeChat and WeCom replies: uploaded as temporary media and sent as
image, voice, video or file messages after the text, each its own outbox entry; a file the
platform does not take is refused before any upload. The platforms are loopback stand-ins."""

import io
import time

from PIL import Image

from odoo.tests import BaseCase, TransactionCase, tagged

from odoo.addons.omnichannel_crm.tests.common import create_staff, receive

from ..tools import media
from .common import APP_ID, create_test_account, run_outbox, start_fake_wechat, start_fake_wecom
from .fake_wecom_api import CORP_ID

SEND = "/cgi-bin/message/custom/send"
UPLOAD = "/cgi-bin/media/upload"
KF_SEND = "/cgi-bin/kf/send_msg"
CUSTOMER = "wmIslandFamilyLin000001"
MB = 1024 * 1024


def png_bytes():
    """A real (small) PNG picture, as a phone's screenshot would be."""
    picture = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(picture, format="PNG")
    return picture.getvalue()


class MediaCase(TransactionCase):
    def _attachment(self, name, mimetype, raw):
        """A file the agent attached to their reply (uploaded by them, as the chatter does)."""
        return (
            self.env["ir.attachment"]
            .with_user(self.agent)
            .create({"name": name, "mimetype": mimetype, "raw": raw})
        )

    def _agent_replies(self, ticket, text, *attachments):
        """The agent's reply with `attachments`, and its timeline entries, text first."""
        message = ticket.with_user(self.agent).message_post(
            body=text,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=[attachment.id for attachment in attachments],
        )
        return self.env["omnichannel.interaction"].search(
            [("source_ref", "=", f"mail.message,{message.id}")], order="id"
        )

    def _notes(self, ticket):
        notes = ticket.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note"))
        return notes.mapped("body")


@tagged("post_install", "-at_install")
class TestWechatMedia(MediaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = start_fake_wechat(cls)
        cls.account = create_test_account(cls.env)
        cls.agent = create_staff(cls.env, "media_agent")
        cls.openid = "oMediaFollower0000000000001"

    def setUp(self):
        super().setUp()
        self.api.requests.clear()
        self.api.queued_errors.clear()
        self.api.media_delivered.clear()

    def _ticket(self):
        return receive(
            self.env,
            "wechat",
            self.openid,
            summary="能发一张接机地点的图吗？",
            external_ref=f"{APP_ID}:m-media",
        ).ticket_id

    def test_an_image_goes_after_the_text_uploaded_then_sent_as_an_image(self):
        picture = png_bytes()
        ticket = self._ticket()
        text, image = self._agent_replies(
            ticket, "接机地点见图。", self._attachment("meeting-point.png", "image/png", picture)
        )
        self.assertEqual((text.state, image.state), ("queued", "queued"))
        self.assertFalse(self.api.requests, "the agent's request only queues them")
        run_outbox(self.env, "wechat")
        self.assertEqual((text.state, image.state), ("sent", "sent"), image.failure_reason)
        self.assertEqual(
            [request.path for request in self.api.requests if request.path != "/cgi-bin/token"],
            [SEND, UPLOAD, SEND],
            "the text first, then the image's upload and its message",
        )
        first, upload, second = (r for r in self.api.requests if r.path != "/cgi-bin/token")
        self.assertEqual(first.json["msgtype"], "text")
        self.assertIn("接机地点见图", first.json["text"]["content"])
        self.assertEqual(upload.query["type"], "image")
        self.assertTrue(upload.headers["content-type"].startswith("multipart/form-data"))
        self.assertEqual(second.json["msgtype"], "image")
        self.assertEqual(
            self.api.media_delivered, [(self.openid, "image", "meeting-point.png", picture)]
        )
        self.assertEqual((image.summary, image.outbox_media), ("meeting-point.png", "image"))

    def test_a_reply_of_a_picture_alone_is_one_image_message(self):
        ticket = self._ticket()
        [image] = self._agent_replies(
            ticket, "", self._attachment("map.png", "image/png", png_bytes())
        )
        run_outbox(self.env, "wechat")
        self.assertEqual(image.state, "sent", image.failure_reason)
        self.assertEqual([call.json["msgtype"] for call in self.api.calls(SEND)], ["image"])

    def test_an_oversize_image_is_refused_before_any_upload_and_the_agent_told(self):
        ticket = self._ticket()
        big = self._attachment("panorama.jpg", "image/jpeg", b"\xff\xd8\xff" + b"0" * (11 * MB))
        text, image = self._agent_replies(ticket, "全景图太大了吗？", big)
        self.assertEqual(image.state, "failed", "refused in the agent's request")
        self.assertIn(
            "The file is 11 MB; WeChat takes images of at most 10 MB", image.failure_reason
        )
        self.assertTrue(any("panorama.jpg" in note for note in self._notes(ticket)))
        run_outbox(self.env, "wechat")
        self.assertFalse(self.api.calls(UPLOAD))
        self.assertEqual(text.state, "sent")
        self.assertEqual(image.state, "failed")

    def test_a_document_is_not_sent_on_an_official_account_and_the_agent_told(self):
        ticket = self._ticket()
        pdf = self._attachment("itinerary.pdf", "application/pdf", b"%PDF-1.4 itinerary")
        text, document = self._agent_replies(ticket, "行程单见附件。", pdf)
        run_outbox(self.env, "wechat")
        self.assertEqual(text.state, "sent")
        self.assertEqual(document.state, "failed")
        self.assertIn("“itinerary.pdf” was not sent on WeChat", document.failure_reason)
        self.assertIn("carry no files", document.failure_reason)
        self.assertFalse(self.api.calls(UPLOAD))
        self.assertTrue(any("itinerary.pdf" in note for note in self._notes(ticket)))

    def test_an_upload_the_platform_refuses_fails_the_file_and_leaves_the_text_sent(self):
        ticket = self._ticket()
        self.api.queued_errors.append((UPLOAD, 40005, "invalid file type"))
        text, image = self._agent_replies(
            ticket, "接机地点见图。", self._attachment("gate.png", "image/png", png_bytes())
        )
        run_outbox(self.env, "wechat")
        self.assertEqual(text.state, "sent")
        self.assertEqual(image.state, "failed")
        self.assertIn("40005", image.failure_reason)
        self.assertTrue(any("gate.png" in note and "40005" in note for note in self._notes(ticket)))
        self.assertEqual([call.json["msgtype"] for call in self.api.calls(SEND)], ["text"])

    def test_a_busy_platform_sends_the_text_once_and_the_image_once_on_its_retry(self):
        ticket = self._ticket()
        self.api.queued_errors.append((UPLOAD, -1, "system error"))
        text, image = self._agent_replies(
            ticket, "接机地点见图。", self._attachment("gate.png", "image/png", png_bytes())
        )
        run_outbox(self.env, "wechat")
        self.assertEqual((text.state, image.state), ("sent", "queued"))
        run_outbox(self.env, "wechat", runs=3)
        self.assertEqual((text.state, image.state), ("sent", "sent"), image.failure_reason)
        self.assertEqual(
            [call.json["msgtype"] for call in self.api.calls(SEND)],
            ["text", "image"],
            "a retry of the image never sends the text again",
        )
        self.assertEqual(len(self.api.media_delivered), 1)


@tagged("post_install", "-at_install")
class TestWecomMedia(MediaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api, cls.account, cls.kf = start_fake_wecom(cls)
        cls.agent = create_staff(cls.env, "wecom_media_agent")

    def setUp(self):
        super().setUp()
        self.api.reset()

    def _ticket(self):
        self.api.customer_writes("msg-media", CUSTOMER, "有酒店的照片吗？", int(time.time()))
        self.kf._request_sync()
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.env["omnichannel.inbound.event"]._process_pending()
        return (
            self.env["omnichannel.interaction"]
            .search([("external_ref", "=", f"{CORP_ID}:msg-media")])
            .ticket_id
        )

    def test_an_image_goes_after_the_text_with_kf_send_msg(self):
        picture = png_bytes()
        ticket = self._ticket()
        text, image = self._agent_replies(
            ticket, "酒店照片如下。", self._attachment("lobby.png", "image/png", picture)
        )
        run_outbox(self.env, "wecom")
        self.assertEqual((text.state, image.state), ("sent", "sent"), image.failure_reason)
        [upload] = self.api.calls(UPLOAD)
        self.assertEqual(upload.query["type"], "image")
        first, second = self.api.calls(KF_SEND)
        self.assertEqual(first.json["msgtype"], "text")
        self.assertEqual(second.json["msgtype"], "image")
        self.assertEqual(second.json["msgid"], f"odoo-{image.id}")
        self.assertEqual(
            self.api.media_delivered,
            [(CUSTOMER, f"odoo-{image.id}", "image", "lobby.png", picture)],
        )

    def test_a_document_goes_as_a_file_and_a_gif_too(self):
        ticket = self._ticket()
        pdf = self._attachment("voucher.pdf", "application/pdf", b"%PDF-1.4 voucher")
        gif = self._attachment("wave.gif", "image/gif", b"GIF89a-wave-animation")
        _text, document, animation = self._agent_replies(ticket, "凭证和动图。", pdf, gif)
        run_outbox(self.env, "wecom")
        self.assertEqual((document.state, animation.state), ("sent", "sent"))
        self.assertEqual((document.outbox_media, animation.outbox_media), ("file", "file"))
        self.assertEqual([call.query["type"] for call in self.api.calls(UPLOAD)], ["file", "file"])
        self.assertEqual(
            [sent[2:4] for sent in self.api.media_delivered],
            [("file", "voucher.pdf"), ("file", "wave.gif")],
        )

    def test_a_file_over_20_mb_is_refused_before_any_upload(self):
        ticket = self._ticket()
        big = self._attachment("brochure.pdf", "application/pdf", b"%PDF" + b"0" * (21 * MB))
        text, document = self._agent_replies(ticket, "宣传册。", big)
        self.assertEqual(document.state, "failed")
        self.assertIn("WeCom takes files of at most 20 MB", document.failure_reason)
        run_outbox(self.env, "wecom")
        self.assertEqual(text.state, "sent")
        self.assertFalse(self.api.calls(UPLOAD))

    def test_a_job_stopped_after_sending_an_image_sends_it_again_with_its_msgid_once(self):
        """The sending job killed between WeCom's answer and its commit: the image goes again
        with the same msgid, which the platform delivers once."""
        ticket = self._ticket()
        _first, image = self._agent_replies(
            ticket,
            "",
            self._attachment("a.png", "image/png", png_bytes()),
            self._attachment("b.png", "image/png", png_bytes()),
        )
        # What the stopped job did with the second picture: claimed it, committed, uploaded and
        # sent it, and stopped before recording the answer.
        self.assertTrue(image._outbox_claim())
        image._send_wecom_message()
        self.assertEqual(image.state, "sending")
        run_outbox(self.env, "wecom", runs=2)
        self.assertEqual(image.state, "sent")
        self.assertEqual(
            [call.json["msgid"] for call in self.api.calls(KF_SEND)].count(f"odoo-{image.id}"), 2
        )
        self.assertEqual(
            [sent[3] for sent in self.api.media_delivered], ["b.png", "a.png"], "each once"
        )


@tagged("post_install", "-at_install")
class TestMediaLimits(BaseCase):
    """The platforms' temporary media limits, checked before an upload."""

    def test_each_platform_takes_its_own_formats_and_sizes(self):
        self.assertEqual(media.media_kind("wechat", "image/png", "a.PNG", 10 * MB), ("image", None))
        self.assertEqual(media.media_kind("wechat", "audio/mpeg", "v.mp3", MB), ("voice", None))
        self.assertEqual(media.media_kind("wecom", "audio/amr", "v.amr", MB), ("voice", None))
        self.assertEqual(media.media_kind("wecom", "video/mp4", "clip.mp4", MB), ("video", None))
        # A format WeCom does not take for its kind goes as a file; WeChat has no files.
        self.assertEqual(media.media_kind("wecom", "audio/mpeg", "v.mp3", MB), ("file", None))
        kind, refusal = media.media_kind("wechat", "image/webp", "a.webp", MB)
        self.assertEqual((kind, refusal.reason), (None, media.WRONG_FORMAT))
        kind, refusal = media.media_kind("wechat", "application/pdf", "a.pdf", MB)
        self.assertEqual((kind, refusal.reason), (None, media.NO_SUCH_MESSAGE))

    def test_the_limits_are_the_platforms_own(self):
        for platform, mimetype, name, limit in [
            ("wechat", "image/gif", "a.gif", 10 * MB),
            ("wechat", "audio/amr", "a.amr", 2 * MB),
            ("wechat", "video/mp4", "a.mp4", 10 * MB),
            ("wecom", "image/jpeg", "a.jpg", 10 * MB),
            ("wecom", "video/mp4", "a.mp4", 10 * MB),
            ("wecom", "audio/amr", "a.amr", 2 * MB),
            ("wecom", "application/zip", "a.zip", 20 * MB),
        ]:
            with self.subTest(platform=platform, name=name):
                self.assertIsNone(media.media_kind(platform, mimetype, name, limit)[1])
                _kind, refusal = media.media_kind(platform, mimetype, name, limit + 1)
                self.assertEqual(refusal.reason, media.TOO_LARGE)
        # WeCom refuses files of 5 bytes or fewer.
        self.assertEqual(media.media_kind("wecom", "text/plain", "a.txt", 5)[1].reason, media.EMPTY)
        self.assertEqual(media.size_label(64 * 1024), "64 KB")
