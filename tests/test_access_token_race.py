"""Two workers needing a new WeCom access token at once, each in its own committed transaction as
the sending and sync jobs run: the platform is asked once and both use its token (the one that
waited for the other's refresh used to get a serialization failure instead).

Runs under pytest-odoo, not inside odoo-bin's test runner: there the registry lock is held while
tests run, so a second thread cannot open an environment."""

import threading

from odoo import api
from odoo.tests import TransactionCase, tagged

from odoo.addons.omnichannel_wechat.tests.common import AES_KEY
from odoo.addons.omnichannel_wechat.tests.fake_wecom_api import CORP_ID, SECRET, FakeWecomApi

from .odoo_process import CommittedWork, backends_waiting_on_lock

TOKEN_PATH = "/cgi-bin/gettoken"


@tagged("post_install", "-at_install")
class TestAccessTokenRace(CommittedWork, TransactionCase):
    def setUp(self):
        super().setUp()
        self.api = FakeWecomApi().__enter__()
        self.addCleanup(self.api.__exit__, None, None, None)
        # Committed, as the jobs' transactions see it.
        self.account_id = self._committed(
            lambda env: (
                env["omnichannel.wecom.account"]
                .create(
                    {
                        "name": "Token race",
                        "corp_id": CORP_ID,
                        "secret": SECRET,
                        "encoding_aes_key": AES_KEY,
                        "api_base_url": self.api.url,
                    }
                )
                .id
            )
        )
        self.addCleanup(
            self._committed,
            lambda env: env["omnichannel.wecom.account"].browse(self.account_id).unlink(),
        )

    def _worker(self, name, results):
        """A job's transaction, from the registry as the job's: it reads the account (its
        snapshot has no token yet), then needs a token."""
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                account = env["omnichannel.wecom.account"].browse(self.account_id)
                if account.access_token:
                    raise AssertionError("the account already had a token")
                results[name] = account._get_access_token()
        except Exception as error:  # reported by the test
            results[name] = error

    def test_two_workers_refreshing_at_once_ask_the_platform_once(self):
        results = {}
        # The platform takes its time to answer the first worker's token request...
        self.api.hold(TOKEN_PATH)
        first = threading.Thread(target=self._worker, args=("first", results))
        first.start()
        self._wait_for(lambda env: self.api.held or results, "the first worker's token request")
        # ...while the second worker needs one too, and waits for the first one's refresh.
        second = threading.Thread(target=self._worker, args=("second", results))
        second.start()
        self._wait_for(
            lambda env: (
                backends_waiting_on_lock(env.cr, env.cr.dbname, "omnichannel_wecom_account")
                or "second" in results
            ),
            "the second worker waiting for the first",
        )
        self.api.release()
        first.join(timeout=60)
        second.join(timeout=60)
        self.assertEqual(results, {"first": "WW-1", "second": "WW-1"})
        self.assertEqual(len(self.api.calls(TOKEN_PATH)), 1)
