# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Credentials masked in error texts and log lines, without a database."""

import logging
from urllib.parse import quote, quote_plus

from odoo.tests import BaseCase, tagged

from ..tools.redact import RedactingFilter, redact_secrets

# What requests says when WeCom's API is unreachable: the URL it called, query string included.
CONNECTION_ERROR = (
    "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: "
    "/cgi-bin/gettoken?corpid=ww5823bf96d3bd56c7&corpsecret=kf-Secret%2B1 (Caused by "
    "NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish "
    "a new connection: [Errno 111] Connection refused'))"
)


@tagged("post_install", "-at_install")
class TestRedact(BaseCase):
    def test_credential_parameters_are_masked_and_the_rest_kept(self):
        text = redact_secrets(CONNECTION_ERROR)
        self.assertNotIn("kf-Secret", text)
        self.assertIn("corpsecret=***", text)
        self.assertIn("corpid=ww5823bf96d3bd56c7", text, "ids are no secret: the admin needs them")
        self.assertIn("Connection refused", text)
        for query in (
            "?secret=s3cr3t-value&appid=wx1",
            "?access_token=TOKEN-abc&x=1",
            "?appsecret=s3cr3t-value",
            "?token=s3cr3t-value",
            "?api_key=s3cr3t-value",
            "?AccessKeySecret=s3cr3t-value",
            "?sign=s3cr3t-value",
            "?msg_signature=s3cr3t-value",
            "?password=s3cr3t-value",
        ):
            with self.subTest(query=query):
                masked = redact_secrets(f"GET https://api.example.com/send{query} failed")
                self.assertNotIn("s3cr3t-value", masked)
                self.assertNotIn("TOKEN-abc", masked)
                self.assertIn("https://api.example.com/send?", masked)

    def test_json_and_reprs_of_payloads_are_masked(self):
        text = redact_secrets(
            """{"open_kfid": "wk1", "token": "ENCApHxnGDNAV", 'secret': 'abc-secret-1'}"""
        )
        self.assertNotIn("ENCApHxnGDNAV", text)
        self.assertNotIn("abc-secret-1", text)
        self.assertIn('"open_kfid": "wk1"', text)

    def test_authorization_headers_and_url_passwords_are_masked(self):
        text = redact_secrets(
            "headers {'Authorization': 'Bearer gateway-token'} for "
            "https://odoo:hunter22@sms.example.com/send\nAuthorization: Basic b2RvbzpodW50ZXIy\nnext"
        )
        for secret in ("gateway-token", "hunter22", "b2RvbzpodW50ZXIy", "odoo:"):
            self.assertNotIn(secret, text)
        self.assertIn("https://***@sms.example.com/send", text)
        self.assertTrue(text.endswith("\nnext"), "a header is masked to the end of its line only")

    def test_known_secrets_are_masked_anywhere_as_is_or_url_encoded(self):
        secret = "ab+c/d=e"
        text = redact_secrets(
            f"gateway said: bad key {secret} (sent {quote(secret, safe='')}, {quote_plus(secret)})",
            secrets=[secret, None, "", "ok"],
        )
        self.assertNotIn("ab+c", text)
        self.assertNotIn("ab%2B", text)
        self.assertEqual(redact_secrets("ok, 1 sent", ["ok", "1"]), "ok, 1 sent")
        self.assertEqual(redact_secrets(""), "")
        self.assertIsNone(redact_secrets(None))
        self.assertEqual(redact_secrets(ValueError("token=abcdef")), "token=***")

    def test_access_log_lines_lose_their_tokens(self):
        record = logging.LogRecord(
            "werkzeug",
            logging.INFO,
            __file__,
            1,
            '127.0.0.1 - - [02/Jul/2026 10:00:00] "%s" %s %s',
            ("POST /omnichannel/sms/7/status?token=Zq8yT-webhook-token HTTP/1.1", "200", "-"),
            None,
        )
        self.assertTrue(RedactingFilter().filter(record))
        self.assertEqual(
            record.getMessage(),
            '127.0.0.1 - - [02/Jul/2026 10:00:00] "POST /omnichannel/sms/7/status?token=*** '
            'HTTP/1.1" 200 -',
        )
