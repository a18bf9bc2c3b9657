"""WeChat redelivers a message when it gets no answer within 5 seconds; on a multi-worker server the
copies arrive concurrently at different workers. Whatever the interleaving, the message is stored
once and becomes one interaction; a processing worker killed in the middle of a batch loses and
duplicates nothing.

Starts real Odoo servers and processes on the test database."""

import os
import signal
import threading

import requests

from odoo import sql_db
from odoo.tests import TransactionCase, tagged

from .odoo_process import (
    CommittedWork,
    OdooServer,
    backends_waiting_on_lock,
    run_in_odoo,
    start_in_odoo,
)
from .wechat_peer import create_account, text_callback

PORT = int(os.environ.get("OMNI_MULTIWORKER_PORT", "8469"))
COPIES = 6
# The server's own log, for when this test fails.
LOG_FILE = os.path.join(os.environ.get("OMNI_RUN_DIR", "/tmp"), "logs", "multiworker-server.log")
OPENID = "oMultiWorkerFollower00000001"
MSG_ID = "9100000000000000001"
PLAIN_MSG_ID = "9100000000000000002"


@tagged("post_install", "-at_install")
class TestWechatMultiWorker(CommittedWork, TransactionCase):
    def test_concurrent_redeliveries_make_one_event_and_one_interaction(self):
        self._deliver_concurrently("safe", "wxmultiworker00001", MSG_ID)

    def test_concurrent_plain_redeliveries_pass_the_replay_check_once(self):
        # Each copy claims the signed query: one wins the unique index, the others wait for its
        # commit and find the same body. Another body with that query is then a replay.
        def another_body(server, url, body):
            forged = body.replace("我想改一下接机时间。".encode(), "请取消我的订单。".encode())
            response = requests.post(f"{server.url}{url}", data=forged, timeout=60)
            self.assertEqual(response.status_code, 403)

        self._deliver_concurrently("plain", "wxmultiworker00002", PLAIN_MSG_ID, then=another_body)

    def _deliver_concurrently(self, mode, app_id, msg_id, then=None):
        """COPIES deliveries of one message at once to a multi-worker server, then `then(server,
        url, body)` while it still runs."""
        account_id = self._committed(lambda env: create_account(env, app_id, mode).id)
        url, body = text_callback(account_id, app_id, OPENID, msg_id, "我想改一下接机时间。", mode)
        answers = []
        start = threading.Barrier(COPIES)
        ref = f"{app_id}:{msg_id}"

        def deliver(server):
            start.wait(timeout=30)
            response = requests.post(f"{server.url}{url}", data=body, timeout=60)
            answers.append((response.status_code, response.text))

        try:
            with OdooServer(self.env.cr.dbname, PORT, LOG_FILE, cron_workers=1) as server:
                threads = [threading.Thread(target=deliver, args=(server,)) for _ in range(COPIES)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=120)
                self.assertEqual(answers, [(200, "success")] * COPIES)
                # The lane woken by the first stored copy records it on the timeline.
                self._wait_for(
                    lambda env: env["omnichannel.interaction"].search_count(
                        [("external_ref", "=", ref)]
                    ),
                    "the message on the timeline",
                )
                if then:
                    then(server, url, body)
            events = self._committed(
                lambda env: (
                    env["omnichannel.inbound.event"]
                    .search([("external_ref", "=", ref)])
                    .mapped("state")
                )
            )
            self.assertEqual(events, ["done"])
            count = self._committed(
                lambda env: env["omnichannel.interaction"].search_count(
                    [("external_ref", "=", ref)]
                )
            )
            self.assertEqual(count, 1)
        finally:
            self._committed(lambda env: _cleanup(env, [OPENID], account_id))

    def test_a_worker_killed_mid_batch_loses_and_repeats_nothing(self):
        openids = [f"oKilledWorkerFollower{index:07d}" for index in range(12)]
        refs = [f"killed-{index}" for index in range(len(openids))]

        def store(env):
            from odoo.addons.omnichannel_crm.tools.inbound import (  # noqa: PLC0415
                InboundContact,
            )

            env["omnichannel.inbound.event"]._store(
                [
                    InboundContact(
                        channel="wechat",
                        source="test,0",
                        external_ref=ref,
                        company_id=env.company.id,
                        identifiers=[("wechat_openid", openid)],
                        text="行李可以托运多少？",
                    )
                    for openid, ref in zip(openids, refs, strict=True)
                ]
            )

        def states(env):
            return sorted(
                env["omnichannel.inbound.event"]
                .search([("external_ref", "in", refs)])
                .mapped("state")
            )

        db = self.env.cr.dbname
        self._committed(store)
        try:
            # Hold the timeline's table: the worker claims its batch, then waits on its first insert.
            with sql_db.db_connect(db).cursor() as blocker:
                blocker.execute("LOCK TABLE omnichannel_interaction IN EXCLUSIVE MODE")
                worker = start_in_odoo(db, 'env["omnichannel.inbound.event"]._process_pending()')
                self._wait_for(
                    lambda env: backends_waiting_on_lock(env.cr, db, "omnichannel_interaction"),
                    "the worker to claim its batch and block",
                )
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait(timeout=30)
                blocker.rollback()
            self.assertEqual(self._committed(states), ["pending"] * len(refs))
            # A restarted worker takes everything again, once.
            run_in_odoo(db, 'env["omnichannel.inbound.event"]._process_pending()')
            self.assertEqual(self._committed(states), ["done"] * len(refs))
            counts = self._committed(
                lambda env: [
                    env["omnichannel.interaction"].search_count([("external_ref", "=", ref)])
                    for ref in refs
                ]
            )
            self.assertEqual(counts, [1] * len(refs))
        finally:
            self._committed(lambda env: _cleanup(env, openids))


def _cleanup(env, openids, account_id=None):
    identities = env["omnichannel.identity"].search([("identifier", "in", openids)])
    rows = env["omnichannel.interaction"].search([("partner_id", "in", identities.partner_id.ids)])
    tickets, partners = rows.ticket_id, rows.partner_id | identities.partner_id
    env["omnichannel.inbound.event"].search(
        [("sender_key", "in", [f"wechat:wechat_openid:{openid}" for openid in openids])]
    ).unlink()
    rows.unlink()
    tickets.unlink()
    partners.unlink()
    if account_id:
        env["omnichannel.wechat.account"].browse(account_id).unlink()
