"""WeChat redelivers a message when it gets no answer within 5 seconds; on a multi-worker server the
copies arrive concurrently at different workers. Whatever the interleaving, one interaction is stored.

Starts a real Odoo server with two HTTP workers on the test database and posts the copies at once."""

import os
import threading

import requests

from odoo import api, sql_db
from odoo.tests import TransactionCase, tagged

from .odoo_process import OdooServer
from .wechat_peer import create_account, text_callback

PORT = int(os.environ.get("OMNI_MULTIWORKER_PORT", "8469"))
COPIES = 6
# The server's own log, for when this test fails.
LOG_FILE = os.path.join(os.environ.get("OMNI_RUN_DIR", "/tmp"), "logs", "multiworker-server.log")
OPENID = "oMultiWorkerFollower00000001"
MSG_ID = "9100000000000000001"


@tagged("post_install", "-at_install")
class TestWechatMultiWorker(TransactionCase):
    def _committed(self, work):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            result = work(api.Environment(cr, self.env.uid, {}))
            cr.commit()
            return result

    def test_concurrent_redeliveries_make_one_interaction(self):
        app_id = "wxmultiworker00001"
        account_id = self._committed(lambda env: create_account(env, app_id).id)
        url, body = text_callback(account_id, app_id, OPENID, MSG_ID, "我想改一下接机时间。")
        answers = []
        start = threading.Barrier(COPIES)

        def deliver(server):
            start.wait(timeout=30)
            response = requests.post(f"{server.url}{url}", data=body, timeout=60)
            answers.append((response.status_code, response.text))

        try:
            with OdooServer(self.env.cr.dbname, PORT, LOG_FILE) as server:
                threads = [threading.Thread(target=deliver, args=(server,)) for _ in range(COPIES)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=120)
            self.assertEqual(answers, [(200, "success")] * COPIES)
            count = self._committed(
                lambda env: env["omnichannel.interaction"].search_count(
                    [("external_ref", "=", f"{app_id}:{MSG_ID}")]
                )
            )
            self.assertEqual(count, 1)
        finally:
            self._committed(lambda env: _cleanup(env, account_id))


def _cleanup(env, account_id):
    rows = env["omnichannel.interaction"].search([("identity_id.identifier", "=", OPENID)])
    tickets, partners = rows.ticket_id, rows.partner_id
    rows.unlink()
    tickets.unlink()
    partners.unlink()
    env["omnichannel.wechat.account"].browse(account_id).unlink()
