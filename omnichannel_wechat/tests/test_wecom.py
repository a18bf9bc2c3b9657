# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WeCom customer service (微信客服): the callback over real HTTP, the sync job against a loopback
platform that checks the token, the cursor sequence and send_msg's fields, and agents' replies."""

import time
from datetime import timedelta
from urllib.parse import urlencode

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.omnichannel_crm.tests.common import create_scenario, create_staff, post_raw

from ..models.omnichannel_wecom_kf import MAX_PAGES_PER_RUN
from ..tools import crypto, message_xml, signature
from ..tools.wecom_client import ACCOUNTS_PER_PAGE, MAX_ACCOUNT_PAGES
from .common import AES_KEY, start_fake_wecom
from .fake_wecom_api import CORP_ID, OPEN_KFID, SECRET

CONTROLLER_LOGGER = "odoo.addons.omnichannel_wechat.controllers.wecom_callback"
KF_LOGGER = "odoo.addons.omnichannel_wechat.models.omnichannel_wecom_kf"
TOKEN = "wecom-callback-token"
# The token WeCom's callback carries, for the pull it announces.
CALLBACK_TOKEN = "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR"
SYNC = "/cgi-bin/kf/sync_msg"
SEND = "/cgi-bin/kf/send_msg"
BATCHGET = "/cgi-bin/kf/customer/batchget"
ACCOUNTS = "/cgi-bin/kf/account/list"
VIP_KFID = "wkIslandToursVip000002"
RACE_CORP = "wwIslandToursRace0001"
CUSTOMER = "wmIslandFamilyZhang000001"
UNIONID = "oUnionZhangWei00000000001"


@tagged("post_install", "-at_install")
class TestWecom(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api, cls.account, cls.kf = start_fake_wecom(cls)
        cls.agent = create_staff(cls.env, "wecom_agent")

    def setUp(self):
        super().setUp()
        self.api.reset()
        # The platform's tokens outlive a test's rollback: each test starts with a new one.
        self.account.access_token = False

    # ----------------------------------------------------------------------------------------------
    # Helpers
    # ----------------------------------------------------------------------------------------------

    def _signed(self, ciphertext, timestamp=None, token=TOKEN):
        timestamp = str(timestamp or int(time.time()))
        return {
            "msg_signature": signature.wechat_signature(token, timestamp, "1372623149", ciphertext),
            "timestamp": timestamp,
            "nonce": "1372623149",
        }

    def _callback(self, receiver=CORP_ID, **signing):
        query, body = self._callback_request(receiver, **signing)
        return self.url_open(
            f"/omnichannel/wecom/{self.account.id}?{urlencode(query)}",
            data=body,
            headers={"Content-Type": "text/xml"},
        )

    def _callback_request(self, receiver=CORP_ID, **signing):
        """(query, body) of WeCom's callback saying that messages wait on OPEN_KFID."""
        inner = message_xml.build(
            {
                "ToUserName": CORP_ID,
                "CreateTime": int(time.time()),
                "MsgType": "event",
                "Event": "kf_msg_or_event",
                "Token": CALLBACK_TOKEN,
                "OpenKfId": OPEN_KFID,
            }
        )
        ciphertext = crypto.encrypt(inner, AES_KEY, receiver)
        params = self._signed(ciphertext, **signing)
        body = message_xml.build({"ToUserName": CORP_ID, "Encrypt": ciphertext, "AgentID": ""})
        return params, body.encode()

    def _pull(self):
        """What the callback starts: the sync job, then the pipeline."""
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.env["omnichannel.inbound.event"]._process_pending()

    def _timeline(self, partner):
        return self.env["omnichannel.interaction"].search(
            [("partner_id", "=", partner.id), ("channel", "=", "wecom")], order="id"
        )

    def _customer(self):
        return (
            self.env["omnichannel.identity"]
            .search([("kind", "=", "wecom_external_userid"), ("identifier", "=", CUSTOMER)])
            .partner_id
        )

    def _customer_wrote(self, hours_ago=0, text="三亚附近有什么好吃的？", msgid="msg-1"):
        send_time = int(time.time()) - int(hours_ago * 3600)
        self.api.customer_writes(msgid, CUSTOMER, text, send_time)
        self.kf._request_sync()
        self._pull()
        return self._timeline(self._customer()).filtered(lambda i: i.external_ref.endswith(msgid))

    # ----------------------------------------------------------------------------------------------
    # Callback
    # ----------------------------------------------------------------------------------------------

    def test_the_platforms_published_vectors_verify_and_decrypt(self):
        account = self.env["omnichannel.wecom.account"].create(
            {
                "name": "WeCom sample company",
                "corp_id": "wx5823bf96d3bd56c7",
                "token": "QDG6eK",
                "encoding_aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
                # The samples were signed in 2014.
                "timestamp_tolerance": 2_000_000_000,
            }
        )
        echo = account._open(
            {
                "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
                "timestamp": "1409659589",
                "nonce": "263014780",
            },
            "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
        )
        self.assertEqual(echo, "1616140317555161061")
        message = account._open(
            {
                "msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6",
                "timestamp": "1409659813",
                "nonce": "1372623149",
            },
            "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3Qcz"
            "cdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8"
            "qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4z"
            "G4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS"
            "0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDA"
            "Ve0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
        )
        self.assertIn("<Content><![CDATA[hello]]></Content>", message)
        self.assertIn("<MsgId>4561255354251345929</MsgId>", message)

    def test_the_url_check_answers_the_decrypted_echo_string(self):
        echostr = crypto.encrypt("2766512840383172312", AES_KEY, CORP_ID)
        params = {**self._signed(echostr), "echostr": echostr}
        response = self.url_open(f"/omnichannel/wecom/{self.account.id}?{urlencode(params)}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text, "2766512840383172312")

    @mute_logger(CONTROLLER_LOGGER)
    def test_forged_stale_foreign_and_malformed_callbacks_write_nothing(self):
        self.assertEqual(self._callback(token="forged").status_code, 403)
        self.assertEqual(self._callback(timestamp=int(time.time()) - 3600).status_code, 403)
        self.assertEqual(self._callback(receiver="wwAnotherCompany0001").status_code, 400)
        params = self._signed("bm90IGEgY2lwaGVy")
        malformed = self.url_open(
            f"/omnichannel/wecom/{self.account.id}?{urlencode(params)}",
            data=b"<xml><Encrypt>bm90IGEgY2lwaGVy</Encrypt>",
            headers={"Content-Type": "text/xml"},
        )
        self.assertEqual(malformed.status_code, 400)
        self.assertEqual(
            self.url_open("/omnichannel/wecom/999999", data=b"<xml/>").status_code, 404
        )
        path = f"/omnichannel/wecom/{self.account.id}?{urlencode(self._signed('x'))}"
        oversized = b"<xml><Encrypt>" + b"A" * (70 * 1024) + b"</Encrypt></xml>"
        status, _body = post_raw(
            self.base_url(), path, [oversized], {"Content-Length": str(len(oversized))}
        )
        self.assertEqual(status, 413)
        self.assertFalse(self.kf.sync_requested)
        self.assertFalse(self.api.calls(SYNC), "nothing is pulled for a refused callback")

    @mute_logger(CONTROLLER_LOGGER)
    def test_an_account_without_its_token_or_key_hears_nothing(self):
        for missing in ("token", "encoding_aes_key"):
            with self.subTest(missing=missing):
                corp_id = f"wwNo{missing.title().replace('_', '')}"
                account = self.env["omnichannel.wecom.account"].create(
                    {
                        "name": corp_id,
                        "corp_id": corp_id,
                        "token": TOKEN,
                        "encoding_aes_key": AES_KEY,
                    }
                )
                # What an account saved before both were required holds.
                self.env.cr.execute(
                    f"UPDATE omnichannel_wecom_account SET {missing} = NULL WHERE id = %s",
                    (account.id,),
                )
                account.invalidate_recordset()
                # A missing Token used to sign as the text "False".
                token = "False" if missing == "token" else TOKEN
                inner = message_xml.build(
                    {"ToUserName": corp_id, "Event": "kf_msg_or_event", "OpenKfId": "wkNoSecret"}
                )
                ciphertext = crypto.encrypt(inner, AES_KEY, corp_id)
                params = self._signed(ciphertext, token=token)
                url = f"/omnichannel/wecom/{account.id}?{urlencode(params)}"
                body = message_xml.build({"ToUserName": corp_id, "Encrypt": ciphertext})
                self.assertEqual(self.url_open(url, data=body.encode()).status_code, 403)
                echostr = crypto.encrypt("2766512840383172312", AES_KEY, corp_id)
                params = {**self._signed(echostr, token=token), "echostr": echostr}
                url = f"/omnichannel/wecom/{account.id}?{urlencode(params)}"
                self.assertEqual(self.url_open(url).status_code, 403)
                self.assertFalse(account.kf_ids, "nothing learnt from the callback")

    def test_an_account_without_its_token_or_key_is_never_active(self):
        Account = self.env["omnichannel.wecom.account"]
        for missing in ("token", "encoding_aes_key"):
            with self.subTest(missing=missing):
                with (
                    self.assertRaisesRegex(ValidationError, "Sanya cannot receive messages"),
                    self.env.cr.savepoint(),
                ):
                    Account.create({"name": "Sanya", "corp_id": "wwSanya0001", missing: False})
                archived = Account.create(
                    {"name": "Haikou", "corp_id": f"ww{missing}", missing: False, "active": False}
                )
                with (
                    self.assertRaisesRegex(ValidationError, "Haikou cannot receive messages"),
                    self.env.cr.savepoint(),
                ):
                    archived.action_unarchive()
        fresh = Account.create({"name": "Wenchang", "corp_id": "wwWenchang0001"})
        self.assertRegex(fresh.token, r"^[0-9a-f]{32}$", "a new account has its own Token")
        self.assertRegex(fresh.encoding_aes_key, r"^[A-Za-z0-9]{43}$")

    @mute_logger(CONTROLLER_LOGGER)
    def test_a_signature_in_another_script_is_a_403(self):
        echostr = crypto.encrypt("2766512840383172312", AES_KEY, CORP_ID)
        params = {**self._signed(echostr), "echostr": echostr, "msg_signature": "签名"}
        url = f"/omnichannel/wecom/{self.account.id}?{urlencode(params)}"
        self.assertEqual(self.url_open(url).status_code, 403)
        body = message_xml.build({"ToUserName": CORP_ID, "Encrypt": echostr}).encode()
        self.assertEqual(self.url_open(url, data=body).status_code, 403)
        self.assertFalse(self.kf.sync_requested)

    # ----------------------------------------------------------------------------------------------
    # Pulling messages
    # ----------------------------------------------------------------------------------------------

    def test_a_callback_pulls_every_page_onto_the_customers_timeline(self):
        follower = self.env["res.partner"].create({"name": "Zhang Wei"})
        self.env["omnichannel.identity"].create(
            {"partner_id": follower.id, "kind": "wechat_unionid", "identifier": UNIONID}
        )
        self.api.profiles[CUSTOMER] = {
            "external_userid": CUSTOMER,
            "nickname": "张伟",
            "unionid": UNIONID,
        }
        now = int(time.time())
        self.api.event(
            "ev-1",
            {"event_type": "enter_session", "external_userid": CUSTOMER, "scene": "trip_qr"},
            now - 60,
        )
        self.api.customer_writes("msg-1", CUSTOMER, "我们到三亚了", now - 50)
        self.api.customer_writes("msg-2", CUSTOMER, "附近有什么好吃的？", now - 40)
        self.api.customer_writes("msg-3", CUSTOMER, "推荐海鲜就好", now - 30, origin=5)
        self.api.customer_writes("msg-4", CUSTOMER, "谢谢！", now - 20)
        response = self._callback()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text, "success")
        self.assertFalse(self.api.calls(SYNC), "the callback only acknowledges: the job pulls")
        self.assertTrue(self.kf.sync_requested)
        self._pull()
        pulls = [call.json for call in self.api.calls(SYNC)]
        self.assertEqual([pull.get("cursor") for pull in pulls], [None, "C2", "C4"])
        self.assertTrue(all(pull["token"].startswith("ENCA") for pull in pulls))
        self.assertTrue(
            all(pull["open_kfid"] == OPEN_KFID and pull["limit"] == 1000 for pull in pulls)
        )
        self.assertEqual(self.kf.cursor, "C5")
        self.assertFalse(self.kf.sync_requested)
        timeline = self._timeline(follower)
        self.assertEqual(len(timeline), 5, "linked to the Official Account follower by UnionID")
        self.assertEqual(
            timeline.mapped("direction"), ["inbound", "inbound", "inbound", "outbound", "inbound"]
        )
        self.assertIn("trip_qr", timeline[0].summary)
        self.assertEqual(timeline[0].interaction_type, "event")
        ticket = timeline[1].ticket_id
        self.assertTrue(ticket)
        self.assertEqual(
            ticket.channel_id, self.env.ref("omnichannel_wechat.helpdesk_ticket_channel_wecom")
        )
        self.assertEqual(timeline[4].ticket_id, ticket, "one conversation, one ticket")
        self.assertFalse(timeline[3].ticket_id, "an agent's message in the WeCom app opens nothing")

    def test_a_crash_between_two_pages_loses_and_duplicates_nothing(self):
        now = int(time.time())
        for index in range(1, 6):
            self.api.customer_writes(f"msg-{index}", CUSTOMER, f"第{index}条", now - 60 + index)
        self.kf._request_sync(callback_token="ENCAfresh")
        # The first page goes through, the second is refused (as a crash would stop the job).
        first_page = self.api.page_size
        original = self.api._sync_msg
        calls = []

        def failing_second(body):
            calls.append(body)
            if len(calls) == 2:
                return {"errcode": 45009, "errmsg": "api freq out of limit"}
            return original(body)

        self.api._sync_msg = failing_second
        try:
            self.env["omnichannel.wecom.kf"]._cron_sync()
            self.assertEqual(self.kf.cursor, f"C{first_page}", "the page stored keeps its cursor")
            self.assertTrue(self.kf.sync_requested)
            self.assertEqual(self.kf.sync_attempts, 1)
            self.assertIn("45009", self.kf.last_sync_error)
            self.assertGreater(self.kf.next_sync_at, fields.Datetime.now())
            self.kf.next_sync_at = fields.Datetime.now() - timedelta(seconds=1)
            self.env["omnichannel.wecom.kf"]._cron_sync()
        finally:
            self.api._sync_msg = original
        self.assertEqual([call.get("cursor") for call in calls], [None, "C2", "C2", "C4"])
        self.env["omnichannel.inbound.event"]._process_pending()
        timeline = self._timeline(self._customer())
        self.assertEqual(len(timeline), 5)
        self.assertEqual(len(set(timeline.mapped("external_ref"))), 5)

    def test_an_expired_callback_token_falls_back_to_a_plain_pull(self):
        self.api.customer_writes("msg-1", CUSTOMER, "你好", int(time.time()))
        self.kf._request_sync(callback_token="ENCAexpired")
        self.api.queued_errors.append((SYNC, 95007, "invalid msg token"))
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.assertTrue(self.kf.sync_requested)
        self.kf.next_sync_at = fields.Datetime.now() - timedelta(seconds=1)
        self.env["omnichannel.wecom.kf"]._cron_sync()
        first, second = [call.json for call in self.api.calls(SYNC)]
        self.assertEqual(first["token"], "ENCAexpired")
        self.assertNotIn("token", second)
        self.assertFalse(self.kf.sync_requested)
        self.assertEqual(self.kf.cursor, "C1")

    # ----------------------------------------------------------------------------------------------
    # Sync under faults: every announced message is pulled
    # ----------------------------------------------------------------------------------------------

    def _customer_of(self, external_userid):
        return (
            self.env["omnichannel.identity"]
            .search([("kind", "=", "wecom_external_userid"), ("identifier", "=", external_userid)])
            .partner_id
        )

    def test_a_refused_profile_look_up_holds_back_no_message(self):
        """WeCom refuses the customers' profiles (rate limits, a permission the secret lacks, an
        id it calls invalid): their messages reach the timeline and a ticket at once, under their
        WeCom id; a later run reads the profiles and names them, with their UnionID."""
        refusals = {
            45009: "api freq out of limit",
            45033: "api concurrent out of limit",
            48002: "api forbidden",
            40096: "invalid external userid",
        }
        now = int(time.time())
        customers = {}
        for errcode, errmsg in refusals.items():
            with self.subTest(errcode=errcode):
                external_userid = f"wmRefusedProfile{errcode}"
                self.api.failing[BATCHGET] = (errcode, errmsg)
                self.api.customer_writes(f"m-{errcode}", external_userid, "明天的船几点开？", now)
                self.kf._request_sync()
                self._pull()
                self.assertTrue(self.api.calls(BATCHGET), "the profile was asked for")
                self.assertFalse(self.kf.sync_requested, "the page is not held back")
                self.assertFalse(self.kf.last_sync_error)
                customer = self._customer_of(external_userid)
                self.assertEqual(customer.name, external_userid, "named by what is known")
                [message] = self._timeline(customer)
                self.assertEqual(message.summary, "明天的船几点开？")
                self.assertTrue(message.ticket_id)
                customers[errcode] = customer
        # Each run read the profiles of the customers made before, refused again: tried later.
        waiting = self.env["omnichannel.wecom.pending.profile"].search([])
        self.assertEqual(len(waiting), len(refusals))
        self.assertEqual(len(waiting.filtered("next_attempt_at")), len(refusals) - 1)
        waiting.next_attempt_at = fields.Datetime.now() - timedelta(seconds=1)
        self.api.failing.clear()
        for errcode in refusals:
            self.api.profiles[f"wmRefusedProfile{errcode}"] = {
                "external_userid": f"wmRefusedProfile{errcode}",
                "nickname": f"游客{errcode}",
                "unionid": f"oUnionRefusedProfile{errcode}",
            }
        self.env["omnichannel.wecom.kf"]._cron_sync()
        Identity = self.env["omnichannel.identity"]
        for errcode, customer in customers.items():
            self.assertEqual(customer.name, f"游客{errcode}")
            self.assertEqual(
                Identity.find_partner("wechat_unionid", f"oUnionRefusedProfile{errcode}"), customer
            )
        self.api.requests.clear()
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.assertFalse(self.api.calls(BATCHGET), "each profile is read once")

    def test_a_profile_read_later_joins_the_customer_to_their_follower(self):
        """The profile that links a WeCom customer to their Official Account follower (the
        UnionID) could not be read when they wrote: their chat waits for nothing, and once the
        profile is read the follower is the customer, with the chat on their timeline."""
        follower = self.env["res.partner"].create({"name": "Zhang Wei"})
        self.env["omnichannel.identity"].create(
            {"partner_id": follower.id, "kind": "wechat_unionid", "identifier": UNIONID}
        )
        self.api.failing[BATCHGET] = (45009, "api freq out of limit")
        now = int(time.time())
        self.api.customer_writes("msg-1", CUSTOMER, "我们到三亚了", now - 20)
        self.api.customer_writes("msg-2", CUSTOMER, "附近有什么好吃的？", now - 10)
        self.kf._request_sync()
        self._pull()
        stand_in = self._customer()
        self.assertNotEqual(stand_in, follower)
        self.assertEqual(len(self._timeline(stand_in)), 2, "no message waits for the profile")
        del self.api.failing[BATCHGET]
        self.api.profiles[CUSTOMER] = {
            "external_userid": CUSTOMER,
            "nickname": "张伟",
            "unionid": UNIONID,
        }
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.assertFalse(stand_in.exists(), "merged into the follower")
        self.assertEqual(self._customer(), follower)
        timeline = self._timeline(follower)
        self.assertEqual(timeline.mapped("summary"), ["我们到三亚了", "附近有什么好吃的？"])
        self.assertEqual(timeline.ticket_id.partner_id, follower)
        self.assertEqual(follower.name, "Zhang Wei")
        later = self._customer_wrote(text="谢谢！", msgid="msg-3")
        self.assertEqual(later.partner_id, follower)
        self.assertEqual(later.ticket_id, timeline.ticket_id, "one conversation, one ticket")

    def test_a_callback_during_the_last_page_is_pulled_by_the_next_run(self):
        """The customer writes again, and WeCom says so, while the sync job is reading what
        looks like its last page: the news is not lost with the pull that ends, the next run
        pulls the new message (with the new callback's token)."""
        now = int(time.time())
        self.api.customer_writes("msg-1", CUSTOMER, "你好", now - 10)
        self.kf._request_sync(callback_token="ENCAfirst")
        answers = []

        def customer_writes_meanwhile(_body):
            self.api.on_sync_msg = None
            self.api.customer_writes("msg-2", CUSTOMER, "还在吗？", now)
            answers.append(self._callback())

        self.api.on_sync_msg = customer_writes_meanwhile
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.assertEqual([(r.status_code, r.text) for r in answers], [(200, "success")])
        self.assertEqual(self.kf.cursor, "C1")
        self.assertTrue(self.kf.sync_requested, "the callback during the pull asks for another")
        self._pull()
        pulls = [call.json for call in self.api.calls(SYNC)]
        self.assertEqual([pull.get("cursor") for pull in pulls], [None, "C1"])
        self.assertEqual([pull["token"] for pull in pulls], ["ENCAfirst", CALLBACK_TOKEN])
        self.assertFalse(self.kf.sync_requested)
        self.assertEqual(self._timeline(self._customer()).mapped("summary"), ["你好", "还在吗？"])

    def test_a_cursor_that_does_not_move_stops_the_pull_and_says_so(self):
        """The platform (or a gateway) keeps saying that more messages wait but answers the same
        cursor: the pull stops at once, what it read is kept, and the account shows why."""
        now = int(time.time())
        for index in range(1, 4):
            self.api.customer_writes(f"msg-{index}", CUSTOMER, f"第{index}条", now - 10 + index)
        self.api.calls_allowed = 20
        self.api.on_sync_msg = lambda _body: setattr(self.api, "stuck_cursor", True)
        self.kf._request_sync()
        self._pull()
        self.assertEqual([call.json.get("cursor") for call in self.api.calls(SYNC)], [None, "C2"])
        self.assertEqual(self.kf.cursor, "C2")
        self.assertIn("no cursor past C2", self.kf.last_sync_error)
        self.assertTrue(self.kf.sync_requested, "tried again later")
        self.assertGreater(self.kf.next_sync_at, fields.Datetime.now())
        self.assertEqual(len(self._timeline(self._customer())), 3, "what was read is kept")

    def test_a_backlog_is_pulled_a_bounded_run_at_a_time(self):
        """More messages wait than one run pulls: the run stops after its pages, the cursor saved,
        and the next run (woken at once) pulls on from there."""
        now = int(time.time())
        backlog = MAX_PAGES_PER_RUN * self.api.page_size + 1
        for index in range(backlog):
            self.api.customer_writes(
                f"msg-{index}", CUSTOMER, f"第{index}条", now - backlog + index
            )
        self.kf._request_sync()
        cron = self.env.ref("omnichannel_wechat.ir_cron_wecom_sync")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.assertEqual(len(self.api.calls(SYNC)), MAX_PAGES_PER_RUN)
        self.assertEqual(self.kf.cursor, f"C{backlog - 1}")
        self.assertTrue(self.kf.sync_requested)
        self.assertFalse(self.kf.last_sync_error, "a backlog is no error")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers,
            "the next run is woken",
        )
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.assertEqual(len(self.api.calls(SYNC)), MAX_PAGES_PER_RUN + 1)
        self.assertEqual(self.kf.cursor, f"C{backlog}")
        self.assertFalse(self.kf.sync_requested)
        events = self.env["omnichannel.inbound.event"].search(
            [("source", "=", f"omnichannel.wecom.kf,{self.kf.id}")]
        )
        self.assertEqual(len(events), backlog)

    def test_fetch_accounts_stops_on_a_list_that_never_ends(self):
        """An account list whose pages come back full forever (a gateway that ignores the offset,
        or one that never runs out) is read a bounded number of pages, and the admin is told;
        the accounts listed stay as they were."""
        self.api.accounts += [
            {"open_kfid": f"wkIslandToursDesk{index:05d}", "name": f"Desk {index}"}
            for index in range(1, ACCOUNTS_PER_PAGE)
        ]
        self.api.ignore_offset = True
        self.api.calls_allowed = 2 * MAX_ACCOUNT_PAGES
        with self.assertRaises(UserError) as repeated:
            self.account.action_fetch_accounts()
        self.assertEqual(len(self.api.calls(ACCOUNTS)), 2, "the repeated page gives it away")
        self.assertIn("none was saved", str(repeated.exception))
        self.assertIn("offset", str(repeated.exception))
        self.api.reset()
        self.api.accounts += [
            {"open_kfid": f"wkIslandToursDesk{index:05d}", "name": f"Desk {index}"}
            for index in range(1, MAX_ACCOUNT_PAGES * ACCOUNTS_PER_PAGE + 1)
        ]
        with self.assertRaises(UserError) as endless:
            self.account.action_fetch_accounts()
        self.assertEqual(len(self.api.calls(ACCOUNTS)), MAX_ACCOUNT_PAGES)
        self.assertIn(f"{MAX_ACCOUNT_PAGES * ACCOUNTS_PER_PAGE} read", str(endless.exception))
        self.assertEqual(self.account.kf_ids, self.kf)

    def test_one_accounts_failure_leaves_the_others_pulled(self):
        """A customer-service account whose pull fails in an unexpected way (a page Odoo cannot
        read) does not stop the pull of the others: the failure is shown on it, without the
        credentials, and it is tried again later."""
        self.api.add_account(VIP_KFID, "VIP service")
        self.account.action_fetch_accounts()
        vip = self.account.kf_ids.filtered(lambda kf: kf.open_kfid == VIP_KFID)
        self.api.messages.append("not a message")
        self.api.customer_writes(
            "vip-1", CUSTOMER, "贵宾室在哪里？", int(time.time()), open_kfid=VIP_KFID
        )
        self.kf._request_sync(callback_token="ENCAsecretCallbackToken")
        vip._request_sync()
        with self.assertLogs(KF_LOGGER, "WARNING") as logs:
            self._pull()
        self.assertFalse(vip.sync_requested)
        self.assertEqual(self._timeline(self._customer()).mapped("summary"), ["贵宾室在哪里？"])
        self.assertTrue(self.kf.sync_requested)
        self.assertIn("AttributeError", self.kf.last_sync_error)
        self.assertGreater(self.kf.next_sync_at, fields.Datetime.now())
        self.assertIn("Traceback", "\n".join(logs.output))
        for text in ("\n".join(logs.output), self.kf.last_sync_error):
            self.assertNotIn("ENCAsecretCallbackToken", text)
            self.assertNotIn(SECRET, text)

    def test_a_callback_commits_while_the_sync_holds_the_account(self):
        """WeCom's callback is answered while the sync job holds the customer-service account
        it rewrites with every page and the account whose token it refreshes: the callback
        writes neither (a wait for them would fail at once here), and the next pull consumes
        what it stored. Two real database connections, as two Odoo workers have them."""
        db = self.env.cr.dbname

        def connect():
            cr = sql_db.db_connect(db).cursor()
            cr.execute("SET lock_timeout = '2s'")
            return cr

        self.api.corps[RACE_CORP] = SECRET
        with connect() as cr:
            cr.execute("SELECT COALESCE(max(id), 0) FROM ir_cron_trigger")
            [last_trigger] = cr.fetchone()
            env = api.Environment(cr, SUPERUSER_ID, {})
            account = env["omnichannel.wecom.account"].create(
                {
                    "name": "Island Tours (second corp)",
                    "corp_id": RACE_CORP,
                    "secret": SECRET,
                    "token": TOKEN,
                    "encoding_aes_key": AES_KEY,
                    "api_base_url": self.api.url,
                }
            )
            kf = env["omnichannel.wecom.kf"].create(
                {"account_id": account.id, "open_kfid": OPEN_KFID, "name": "Island Tours service"}
            )
            account_id, kf_id = account.id, kf.id
            # Committed: the other connections see it.
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._delete_committed_account, connect, account_id, last_trigger)
        sync = connect()
        try:
            sync.execute("SELECT 1 FROM omnichannel_wecom_kf WHERE id = %s FOR UPDATE", [kf_id])
            sync.execute(
                "SELECT 1 FROM omnichannel_wecom_account WHERE id = %s FOR UPDATE", [account_id]
            )
            query, body = self._callback_request(receiver=RACE_CORP)
            with connect() as cr:
                # What the controller does in the callback's transaction.
                account = api.Environment(cr, SUPERUSER_ID, {})["omnichannel.wecom.account"]
                account = account.browse(account_id)
                account._kf_event(account._open_event(query, body))
                cr.commit()  # pylint: disable=invalid-commit
        finally:
            sync.rollback()
            sync.close()
        self.api.customer_writes("msg-1", CUSTOMER, "你好", int(time.time()))
        with connect() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            kf = env["omnichannel.wecom.kf"].browse(kf_id)
            self.assertTrue(kf.sync_requested)
            env["omnichannel.wecom.kf"]._cron_sync()
            self.assertEqual(
                [call.json["token"] for call in self.api.calls(SYNC)], [CALLBACK_TOKEN]
            )
            self.assertFalse(kf.sync_requested)
            self.assertEqual(
                env["omnichannel.inbound.event"]
                .search([("source", "=", f"omnichannel.wecom.kf,{kf_id}")])
                .mapped("external_ref"),
                [f"{RACE_CORP}:msg-1"],
            )
            cr.rollback()

    def _delete_committed_account(self, connect, account_id, last_trigger):
        with connect() as cr:
            cr.execute(
                "DELETE FROM omnichannel_wecom_sync_request WHERE account_ref = %s", [account_id]
            )
            cr.execute("DELETE FROM omnichannel_wecom_account WHERE id = %s", [account_id])
            cr.execute("DELETE FROM ir_cron_trigger WHERE id > %s", [last_trigger])

    # ----------------------------------------------------------------------------------------------
    # Agents' replies
    # ----------------------------------------------------------------------------------------------

    def _agent_replies(self, ticket, text="海鲜排档在三亚湾路，步行五分钟。"):
        ticket.with_user(self.agent).message_post(
            body=text, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        reply = self.env["omnichannel.interaction"].search(
            [("ticket_id", "=", ticket.id), ("direction", "=", "outbound")], limit=1
        )
        self.assertEqual(reply.state, "queued")
        self.env["omnichannel.interaction"]._cron_send_wecom_outbox()
        return reply

    def test_an_agents_reply_goes_with_send_msg(self):
        question = self._customer_wrote()
        reply = self._agent_replies(question.ticket_id)
        self.assertEqual(reply.channel, "wecom")
        self.assertEqual(reply.state, "sent", reply.failure_reason)
        [sent] = self.api.calls(SEND)
        self.assertEqual(sent.json["touser"], CUSTOMER)
        self.assertEqual(sent.json["open_kfid"], OPEN_KFID)
        self.assertEqual(sent.json["msgid"], f"odoo-{reply.id}")
        self.assertEqual(sent.json["text"]["content"], "海鲜排档在三亚湾路，步行五分钟。")
        self.assertEqual(reply.external_ref, f"{CORP_ID}:odoo-{reply.id}")

    def test_a_sixth_reply_goes_by_the_next_channel_and_the_agent_is_told(self):
        question = self._customer_wrote()
        ticket = question.ticket_id
        ticket.partner_id.email = "zhang.wei@example.com"
        for index in range(5):
            self.assertEqual(self._agent_replies(ticket, f"第{index}条回复").state, "sent")
        sixth = self._agent_replies(ticket, "第六条回复")
        self.assertEqual(len(self.api.calls(SEND)), 5, "the platform's quota is never exceeded")
        self.assertEqual(sixth.state, "failed")
        self.assertIn("Sent by Email instead", sixth.failure_reason)
        mail = self.env["mail.mail"].search([("recipient_ids", "in", ticket.partner_id.ids)])
        self.assertIn("第六条回复", mail.body_html)

    def test_a_reply_after_48_hours_is_not_sent_on_wecom(self):
        question = self._customer_wrote(hours_ago=49)
        reply = self._agent_replies(question.ticket_id)
        self.assertFalse(self.api.calls(SEND))
        self.assertEqual(reply.state, "failed")
        self.assertIn("48 hours", reply.failure_reason)
        self.assertIn("No other channel reaches the customer", reply.failure_reason)

    def test_another_companys_account_answers_with_its_own_window(self):
        """A customer shared by two companies wrote to the second company's account 49 hours ago
        and to the first company's an hour ago: the second company's agent replies through its
        own account, whose window is closed; the first company's account and open window are
        not theirs to use."""
        customer = self.env["res.partner"].create({"name": "Zhang Wei"})
        self.env["omnichannel.identity"].create(
            {"kind": "wecom_external_userid", "identifier": CUSTOMER, "partner_id": customer.id}
        )
        resort = self.env["res.company"].create({"name": "Resort Sanya"})
        resort_account = (
            self.env["omnichannel.wecom.account"]
            .with_company(resort)
            .create(
                {
                    "name": "Resort customer service",
                    "corp_id": CORP_ID,
                    "secret": SECRET,
                    "token": TOKEN,
                    "encoding_aes_key": AES_KEY,
                    "api_base_url": self.api.url,
                }
            )
        )
        resort_account.action_fetch_accounts()
        self.api.customer_writes(
            "m-resort", CUSTOMER, "房间有加床吗？", int(time.time()) - 49 * 3600
        )
        resort_account.kf_ids._request_sync()
        self._pull()
        question = self._customer_wrote(msgid="m-tours")
        self.assertEqual(question.partner_id, customer)
        resort_ticket = self.env["helpdesk.ticket"].search(
            [("partner_id", "=", customer.id), ("company_id", "=", resort.id)]
        )
        self.assertEqual(len(resort_ticket), 1)
        self.api.requests.clear()
        resort_agent = create_staff(
            self.env, "resort_agent", company_id=resort.id, company_ids=resort.ids
        )
        resort_ticket.with_user(resort_agent).message_post(
            body="有的，加床免费。", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        reply = self.env["omnichannel.interaction"].search(
            [("ticket_id", "=", resort_ticket.id), ("direction", "=", "outbound")]
        )
        self.assertEqual(reply.wecom_kf_id, resort_account.kf_ids, "the company's own account")
        self.env["omnichannel.interaction"]._cron_send_wecom_outbox()
        self.assertFalse(self.api.calls(SEND), "not through the other company's open window")
        self.assertEqual(reply.state, "failed")
        self.assertIn("48 hours", reply.failure_reason)

    def test_a_failed_delivery_reported_by_the_platform_shows_on_the_reply(self):
        question = self._customer_wrote()
        reply = self._agent_replies(question.ticket_id)
        self.api.event(
            "ev-fail",
            {
                "event_type": "msg_send_fail",
                "external_userid": CUSTOMER,
                "fail_msgid": f"odoo-{reply.id}",
                "fail_type": 4,
            },
            int(time.time()),
        )
        self.kf._request_sync()
        self._pull()
        self.assertEqual(reply.state, "failed")
        self.assertIn("failure type 4", reply.failure_reason)

    def test_fetch_accounts_lists_the_customer_service_accounts(self):
        self.api.accounts.append({"open_kfid": "wkIslandToursVip000002", "name": "VIP service"})
        self.kf.name = "Old name"
        self.account.action_fetch_accounts()
        self.assertEqual(
            sorted(self.account.kf_ids.mapped("name")), ["Island Tours service", "VIP service"]
        )
        self.api.accounts.pop()

    # ----------------------------------------------------------------------------------------------
    # Notifications and settings
    # ----------------------------------------------------------------------------------------------

    def test_a_scenarios_wecom_step_reaches_customers_who_wrote_to_customer_service(self):
        question = self._customer_wrote()
        customer = question.partner_id
        scenario = create_scenario(
            self.env,
            "Flight delay",
            [{"channel": "wecom", "wecom_text": "{{ object.name }}，航班HU7281延误至18:40。"}],
            urgent=True,
        )
        notification = scenario.notify(customer)
        self.assertEqual((notification.state, notification.channel), ("sent", "wecom"))
        self.env["omnichannel.interaction"]._cron_send_wecom_outbox()
        [sent] = self.api.calls(SEND)
        self.assertEqual(sent.json["touser"], CUSTOMER)
        self.assertEqual(sent.json["text"]["content"], f"{customer.name}，航班HU7281延误至18:40。")
        stranger = self.env["res.partner"].create({"name": "Never wrote"})
        skipped = scenario.notify(stranger)
        self.assertEqual(skipped.state, "skipped")
        self.assertIn("no address", skipped.reason)

    def test_secrets_are_for_settings_admins_only(self):
        manager = create_staff(
            self.env, "wecom_manager", groups="omnichannel_crm.group_omnichannel_manager"
        )
        as_manager = self.account.with_user(manager)
        self.assertEqual(as_manager.corp_id, CORP_ID)
        for secret in ("secret", "token", "encoding_aes_key", "access_token"):
            with self.assertRaises(AccessError):
                as_manager.read([secret])
        self.kf._request_sync(callback_token="ENCAsecret")
        with self.assertRaises(AccessError):
            self.env["omnichannel.wecom.sync.request"].with_user(manager).search([])
