# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time
from datetime import UTC, datetime

from odoo import models
from odoo.tools import plaintext2html

from odoo.addons.omnichannel_crm.tools.identity import (
    WECHAT_OPENID,
    WECHAT_UNIONID,
    normalize_identifier,
)
from odoo.addons.omnichannel_crm.tools.inbound import (
    EVENT,
    FOLLOW,
    MESSAGE,
    UNFOLLOW,
    InboundContact,
)
from odoo.addons.omnichannel_crm.tools.media import IMAGE, THUMB, VIDEO, VOICE
from odoo.addons.omnichannel_crm.tools.message_body import link_body, location_body

from ..tools import crypto, message_xml, signature

# The message types a follower writes (the others are events): they open or join a ticket.
MESSAGE_TYPES = ("text", "image", "voice", "video", "shortvideo", "location", "link")
# The elements read as text: one with children instead makes the message malformed.
TEXT_ELEMENTS = (
    "ToUserName",
    "FromUserName",
    "CreateTime",
    "MsgType",
    "MsgId",
    "Event",
    "EventKey",
    "UnionId",
    "Content",
    "Recognition",
    "MediaId",
    "PicUrl",
    "ThumbMediaId",
    "Label",
    "Location_X",
    "Location_Y",
    "Title",
    "Description",
    "Url",
)
# What the media of each message type are kept as (a video's ThumbMediaId: its still picture).
MEDIA_KINDS = {"image": IMAGE, "voice": VOICE, "video": VIDEO, "shortvideo": VIDEO}


class OmnichannelWechatAccount(models.Model):
    """The account's side of the platform's callbacks: verify, decrypt, translate each message or
    event into one inbound contact, answer at the edge (FAQ) and seal the passive reply."""

    _inherit = "omnichannel.wechat.account"

    def _verify_server(self, timestamp, nonce, signature_value):
        """GET verification from the WeChat console."""
        self.ensure_one()
        return signature.signature_matches((self.sudo().token, timestamp, nonce), signature_value)

    def _open_callback(self, params, body):
        """The message WeChat sent, verified and decrypted, and whether the reply must be encrypted.
        Raises PermissionError (no secrets, signature, replay) or ValueError (malformed): nothing
        is written. What can be verified is verified before the body is parsed: the query's
        signature in plain text, the signature of the Encrypt element (from a bounded parse) when
        encrypted."""
        self.ensure_one()
        account = self.sudo()
        timestamp, nonce = params.get("timestamp"), params.get("nonce")
        encrypted = params.get("encrypt_type") == "aes"
        account._check_callback_request(timestamp, need_key=encrypted)
        if not encrypted:
            # Only the query is signed in plain text: the platform sends it so in plain text mode
            # alone, compatible and safe modes always add the Encrypt element and its signature.
            if account.message_mode != "plain":
                raise PermissionError("this account only accepts encrypted messages")
            signed = params.get("signature")
            if not signature.signature_matches((account.token, timestamp, nonce), signed):
                raise PermissionError("bad signature")
            if not self.env["omnichannel.wechat.nonce"]._claim(
                account, signed.strip().lower(), timestamp, body
            ):
                raise PermissionError("signed query replayed with another body")
            return message_xml.parse(body), False
        # In compatible mode the body also carries the message in plain text, covered by no
        # signature: only the Encrypt element is read.
        ciphertext = message_xml.parse(body).get("Encrypt")
        if not ciphertext:
            raise ValueError("encrypted message without Encrypt")
        if not signature.signature_matches(
            (account.token, timestamp, nonce, ciphertext), params.get("msg_signature")
        ):
            raise PermissionError("bad msg_signature")
        try:
            inner = crypto.decrypt(ciphertext, account.encoding_aes_key, account.app_id)
        except crypto.WechatCryptoError as error:
            raise ValueError(str(error)) from error
        return message_xml.parse(inner), True

    def _seal_reply(self, reply_xml, encrypted, nonce):
        """The passive reply as WeChat expects it: encrypted and signed when the message was."""
        self.ensure_one()
        if not encrypted:
            return reply_xml
        account = self.sudo()
        ciphertext = crypto.encrypt(reply_xml, account.encoding_aes_key, account.app_id)
        timestamp = str(int(time.time()))
        return message_xml.build(
            {
                "Encrypt": ciphertext,
                "MsgSignature": signature.wechat_signature(
                    account.token, timestamp, nonce, ciphertext
                ),
                "TimeStamp": int(timestamp),
                "Nonce": nonce,
            }
        )

    def _inbound_contact(self, message):
        """A follower's message or event, as an inbound contact; ValueError when it is malformed."""
        self.ensure_one()
        nested = [name for name in TEXT_ELEMENTS if isinstance(message.get(name), dict)]
        if nested:
            raise ValueError(f"elements with children instead of text: {', '.join(nested)}")
        openid = message.get("FromUserName")
        msg_type = message.get("MsgType")
        if not openid or not msg_type:
            raise ValueError("message without FromUserName or MsgType")
        try:
            created = datetime.fromtimestamp(int(message.get("CreateTime")), UTC).replace(
                tzinfo=None
            )
        except (TypeError, ValueError, OverflowError, OSError) as error:
            raise ValueError("message without a valid CreateTime") from error
        event = message.get("Event") if msg_type == "event" else None
        # What the platform reports (followed, image, menu click) is written for the agents.
        summary, body = self.with_context(lang=self.company_id._omnichannel_lang())._describe(
            message, msg_type, event
        )
        if event:
            external_ref = f"{openid}:{message.get('CreateTime')}:{event}"
        else:
            external_ref = message.get("MsgId") or f"{openid}:{message.get('CreateTime')}"
        identifiers = [(WECHAT_OPENID, openid), (WECHAT_UNIONID, message.get("UnionId"))]
        for kind, value in identifiers:
            if value:
                # A malformed id is the platform's payload at fault: 400, nothing stored.
                normalize_identifier(kind, value)
        # Downloaded later through the platform's API by media id; PicUrl, an address in the
        # payload, is never fetched.
        kind = MEDIA_KINDS.get(msg_type)
        media = [
            {"kind": each, "ref": message[field]}
            for each, field in ((kind, "MediaId"), (THUMB, "ThumbMediaId"))
            if kind and message.get(field)
        ]
        return InboundContact(
            channel="wechat",
            source=f"{self._name},{self.id}",
            external_ref=f"{self.app_id}:{external_ref}",
            company_id=self.company_id.id,
            identifiers=identifiers,
            kind=EVENT if event else MESSAGE,
            date=created,
            text=summary,
            body=body,
            media=media,
            consent={"subscribe": FOLLOW, "unsubscribe": UNFOLLOW}.get(event),
            team_id=self.team_id.id or None,
            open_ticket=msg_type in MESSAGE_TYPES,
            auto_reply=msg_type == "text",
            raw=message,
        )

    def _edge_reply(self, contact, message):
        """The passive reply of the callback itself, when one is due without looking anything up:
        the FAQ's answer to a text (noted on the contact, so that the pipeline records it), the
        welcome message to a new follower."""
        self.ensure_one()
        openid = contact.identifier(WECHAT_OPENID)
        if contact.auto_reply:
            answer = self.env["omnichannel.faq"]._edge_answer(
                self.company_id, "wechat", message.get("Content", "")
            )
            if answer:
                contact.answered = {
                    "kind": answer.kind,
                    "text": answer.text,
                    "faq_id": answer.faq.id or None,
                }
                return self._passive_text(openid, message, answer.text)
        if contact.consent == FOLLOW and self.welcome_message:
            return self._passive_text(
                openid,
                message,
                self.with_context(lang=self.company_id.partner_id.lang).welcome_message,
            )
        return None

    def _passive_text(self, openid, message, text):
        """A text answered within the callback's own response (WeChat's passive reply)."""
        return message_xml.build(
            {
                "ToUserName": openid,
                "FromUserName": message.get("ToUserName", ""),
                "CreateTime": int(time.time()),
                "MsgType": "text",
                "Content": text,
            }
        )

    def _describe(self, message, msg_type, event):
        """(summary, body) of a message for the timeline."""
        key = message.get("EventKey", "")
        describers = {
            # The summary is cut for the timeline; the body keeps every word.
            "text": lambda: (
                message.get("Content", ""),
                plaintext2html(message.get("Content", "")),
            ),
            "voice": lambda: (
                message.get("Recognition") or self.env._("[Voice message]"),
                plaintext2html(message["Recognition"]) if message.get("Recognition") else None,
            ),
            "image": lambda: (self.env._("[Image]"), None),
            "video": lambda: (self.env._("[Video]"), None),
            "shortvideo": lambda: (self.env._("[Video]"), None),
            "location": lambda: (
                self.env._(
                    "[Location] %(label)s (%(lat)s, %(lon)s)",
                    label=message.get("Label", ""),
                    lat=message.get("Location_X", ""),
                    lon=message.get("Location_Y", ""),
                ),
                location_body(
                    message.get("Label", ""),
                    message.get("Location_X"),
                    message.get("Location_Y"),
                    self.env._("Open the map"),
                ),
            ),
            "link": lambda: (
                message.get("Title") or self.env._("[Link]"),
                link_body(message.get("Title"), message.get("Description"), message.get("Url")),
            ),
            "subscribe": lambda: (
                self.env._("Followed the account (QR code %(scene)s)", scene=key[len("qrscene_") :])
                if key.startswith("qrscene_")
                else self.env._("Followed the account"),
                None,
            ),
            "unsubscribe": lambda: (self.env._("Unfollowed the account"), None),
            "SCAN": lambda: (self.env._("Scanned QR code %(scene)s", scene=key), None),
            "CLICK": lambda: (self.env._("Menu click: %(key)s", key=key), None),
            "VIEW": lambda: (self.env._("Opened menu link %(url)s", url=key), None),
        }
        describe = describers.get(event or msg_type)
        return describe() if describe else (self.env._("[%(type)s]", type=event or msg_type), None)
