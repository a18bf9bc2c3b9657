# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Known-answer tests with the vectors of WeChat's own message-encryption samples."""

import base64

from odoo.tests import BaseCase, tagged

from ..tools import crypto, message_xml, signature

SAMPLE_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAMPLE_TOKEN = "spamtest"
SAMPLE_APPID = "wx2c2769f8efd9abc2"
SAMPLE_TIMESTAMP = "1409735669"
SAMPLE_NONCE = "1320562132"
SAMPLE_MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
SAMPLE_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFm"
    "OD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8"
    "dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfR"
    "d5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9eh"
    "VsNPfUM669WuMyVWQLCzpu9GhglF2PE="
)


@tagged("post_install", "-at_install")
class TestWechatTools(BaseCase):
    def test_msg_signature_of_the_official_sample(self):
        self.assertEqual(
            signature.wechat_signature(
                SAMPLE_TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE, SAMPLE_ENCRYPT
            ),
            SAMPLE_MSG_SIGNATURE,
        )
        self.assertTrue(
            signature.signature_matches(
                (SAMPLE_TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE, SAMPLE_ENCRYPT),
                SAMPLE_MSG_SIGNATURE.upper(),
            )
        )
        self.assertFalse(signature.signature_matches((SAMPLE_TOKEN, "1", "2"), ""))

    def test_a_missing_part_or_a_signature_in_another_script_never_matches(self):
        for missing in (None, False, ""):
            with self.subTest(token=missing):
                # What the missing Token signs as, which anyone can compute.
                forged = signature.wechat_signature(missing, SAMPLE_TIMESTAMP, SAMPLE_NONCE)
                self.assertFalse(
                    signature.signature_matches((missing, SAMPLE_TIMESTAMP, SAMPLE_NONCE), forged)
                )
        forged = signature.wechat_signature(SAMPLE_TOKEN, SAMPLE_TIMESTAMP, None)
        self.assertFalse(
            signature.signature_matches((SAMPLE_TOKEN, SAMPLE_TIMESTAMP, None), forged)
        )
        for other_script in ("签名", "é" * 40, "５d197aaffba7e9b25a30732f161a50dee96bd5fa"):
            with self.subTest(signature=other_script):
                self.assertFalse(
                    signature.signature_matches(
                        (SAMPLE_TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE, SAMPLE_ENCRYPT),
                        other_script,
                    )
                )

    def test_new_secrets_are_what_the_consoles_accept(self):
        token, key = signature.new_token(), crypto.new_encoding_aes_key()
        # Token: 3 to 32 letters and digits; EncodingAESKey: 43 letters and digits.
        self.assertRegex(token, r"^[A-Za-z0-9]{32}$")
        self.assertRegex(key, r"^[A-Za-z0-9]{43}$")
        self.assertEqual(len(crypto.aes_key(key)), 32)
        self.assertNotEqual(token, signature.new_token())
        self.assertNotEqual(key, crypto.new_encoding_aes_key())

    def test_decrypts_the_official_sample(self):
        message = message_xml.parse(crypto.decrypt(SAMPLE_ENCRYPT, SAMPLE_KEY, SAMPLE_APPID))
        self.assertEqual(message["FromUserName"], "oyORnuP8q7ou2gfYjqLzSIWZf0rs")
        self.assertEqual(message["MsgType"], "text")
        self.assertEqual(message["Content"], "abcdteT")
        self.assertEqual(message["MsgId"], "6054768590064713728")

    def test_encrypts_like_the_official_sample(self):
        # Sample with a fixed random prefix "aaaabbbbccccdddd" and AppID wxb11529c136998cb6.
        self.assertEqual(
            crypto.encrypt(
                "我是中文abcd123", SAMPLE_KEY, "wxb11529c136998cb6", b"aaaabbbbccccdddd"
            ),
            "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
        )

    def test_round_trip_and_refusals(self):
        sealed = crypto.encrypt("<xml><Content>你好</Content></xml>", SAMPLE_KEY, SAMPLE_APPID)
        self.assertEqual(
            crypto.decrypt(sealed, SAMPLE_KEY, SAMPLE_APPID), "<xml><Content>你好</Content></xml>"
        )
        with self.assertRaisesRegex(crypto.WechatCryptoError, "another AppID"):
            crypto.decrypt(sealed, SAMPLE_KEY, "wx0000000000000000")
        with self.assertRaisesRegex(crypto.WechatCryptoError, "padding"):
            crypto.decrypt(bad_padding_ciphertext(SAMPLE_KEY), SAMPLE_KEY, SAMPLE_APPID)
        with self.assertRaises(crypto.WechatCryptoError):
            crypto.decrypt("not base64!", SAMPLE_KEY, SAMPLE_APPID)
        with self.assertRaises(crypto.WechatCryptoError):
            crypto.aes_key("short")

    def test_xml_is_parsed_safely(self):
        self.assertEqual(
            message_xml.parse("<xml><MsgType><![CDATA[text]]></MsgType></xml>"), {"MsgType": "text"}
        )
        xxe = (
            '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            "<xml><Content>&xxe;</Content></xml>"
        )
        for body in (xxe, "<xml><unclosed></xml>", "<other/>", b"<xml>" + b"a" * 70000 + b"</xml>"):
            with self.subTest(body=body[:30]), self.assertRaises(message_xml.WechatXmlError):
                message_xml.parse(body)

    def test_xml_nesting_is_bounded(self):
        # The deepest message WeChat sends: a photo sent from the menu (pic_sysphoto).
        photo = (
            "<xml><MsgType>event</MsgType><SendPicsInfo><Count>1</Count><PicList><item>"
            "<PicMd5Sum>1b5f7c23b5bf75682a53e7b6d163e185</PicMd5Sum></item></PicList>"
            "</SendPicsInfo></xml>"
        )
        self.assertEqual(
            message_xml.parse(photo)["SendPicsInfo"]["PicList"]["item"]["PicMd5Sum"],
            "1b5f7c23b5bf75682a53e7b6d163e185",
        )
        depth = message_xml.MAX_DEPTH
        at_limit = "<xml>" + "<a>" * (depth - 1) + "</a>" * (depth - 1) + "</xml>"
        self.assertEqual(
            message_xml.parse(at_limit), {"a": {"a": {"a": {"a": {"a": {"a": {"a": ""}}}}}}}
        )
        for levels in (depth, 3000, 9000):
            with (
                self.subTest(levels=levels),
                self.assertRaisesRegex(message_xml.WechatXmlError, "nested too deep"),
            ):
                message_xml.parse("<xml>" + "<a>" * levels + "</a>" * levels + "</xml>")

    def test_xml_is_built_with_cdata(self):
        built = message_xml.build({"ToUserName": "o1", "CreateTime": 12, "Content": "a]]>b"})
        self.assertEqual(message_xml.parse(built)["Content"], "a]]>b")
        self.assertIn("<CreateTime>12</CreateTime>", built)


def bad_padding_ciphertext(encoding_aes_key):
    """A well-formed ciphertext whose last plaintext byte is not a valid PKCS#7 pad."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: PLC0415

    key = crypto.aes_key(encoding_aes_key)
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    plain = b"x" * 63 + b"\x00"
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
