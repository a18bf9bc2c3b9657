# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The WeCom customer-service (微信客服) API, as a plain client (no Odoo): the access token, the
customer-service accounts, pulling messages with sync_msg, the customers' profiles and send_msg:
texts, and images, voices, videos and files uploaded as temporary media with the Official
Account client's upload_media (the same API).
Same JSON and errcode conventions as the Official Account's API."""

from datetime import timedelta

from .client import WechatClient

DEFAULT_WECOM_API_BASE = "https://qyapi.weixin.qq.com"
# Most items one sync_msg page holds (the platform's maximum), and customers per profile request.
SYNC_LIMIT = 1000
PROFILES_PER_CALL = 100
ACCOUNTS_PER_PAGE = 100
# Pages of the account list read at most: far more customer-service accounts than a company has.
MAX_ACCOUNT_PAGES = 50
# The callback's token is no longer valid (it lives 10 minutes): pull without it, within the
# platform's stricter rate limit for such pulls.
INVALID_CALLBACK_TOKEN_ERRCODE = 95007
# Who wrote a synced message: the customer, the platform (events), or an agent in the WeCom app.
ORIGIN_CUSTOMER = 3
ORIGIN_SYSTEM = 4
ORIGIN_SERVICER = 5
# The identity kind of a WeCom customer: their external_userid.
EXTERNAL_USERID_KIND = "wecom_external_userid"
# An agent may send this many messages in the 48 hours after the customer's last message.
REPLY_WINDOW = timedelta(hours=48)
REPLY_QUOTA = 5


class WecomPagingError(Exception):
    """The platform (or a gateway in front of it) kept paging without end: a page that does not
    move on, or more pages than any account holds. `count`: what was read before it stopped."""

    def __init__(self, message, count=0):
        super().__init__(message)
        self.count = count


class WecomClient(WechatClient):
    def __init__(self, base_url=DEFAULT_WECOM_API_BASE, **kwargs):
        super().__init__(base_url or DEFAULT_WECOM_API_BASE, **kwargs)

    def fetch_token(self, corp_id, secret):
        """(access token, seconds it lives) for the customer-service secret of `corp_id`."""
        data = self.call(
            "GET",
            "/cgi-bin/gettoken",
            params={"corpid": corp_id, "corpsecret": secret},
            secrets=(secret,),
        )
        return data["access_token"], int(data.get("expires_in", 7200))

    def list_accounts(self, token):
        """Every customer-service account: [{"open_kfid", "name", ...}], page by page, while the
        pages come back full. WecomPagingError when a full page brings no account not seen yet
        (the offset is ignored) or after MAX_ACCOUNT_PAGES pages."""
        accounts, seen = [], set()
        for number in range(MAX_ACCOUNT_PAGES):
            page = self.post(
                token,
                "/cgi-bin/kf/account/list",
                {"offset": number * ACCOUNTS_PER_PAGE, "limit": ACCOUNTS_PER_PAGE},
            ).get("account_list", [])
            before = len(accounts)
            for account in page:
                if account.get("open_kfid") not in seen:
                    seen.add(account.get("open_kfid"))
                    accounts.append(account)
            if len(page) < ACCOUNTS_PER_PAGE:
                return accounts
            if len(accounts) == before:
                raise WecomPagingError(
                    f"the account list repeats itself at offset {number * ACCOUNTS_PER_PAGE}",
                    len(accounts),
                )
        raise WecomPagingError(
            f"the account list goes on past {len(accounts)} accounts", len(accounts)
        )

    def sync_msg(self, token, open_kfid, cursor=None, callback_token=None, limit=SYNC_LIMIT):
        """One page of messages and events after `cursor`: {"next_cursor", "has_more",
        "msg_list"}."""
        payload = {"open_kfid": open_kfid, "limit": min(limit, SYNC_LIMIT), "voice_format": 0}
        if cursor:
            payload["cursor"] = cursor
        if callback_token:
            payload["token"] = callback_token
        return self.post(token, "/cgi-bin/kf/sync_msg", payload)

    def customers(self, token, external_userids):
        """{external_userid: profile} ("nickname", "unionid" when the account is bound to the Open
        Platform, ...)."""
        profiles = {}
        ids = list(dict.fromkeys(external_userids))
        for start in range(0, len(ids), PROFILES_PER_CALL):
            data = self.post(
                token,
                "/cgi-bin/kf/customer/batchget",
                {
                    "external_userid_list": ids[start : start + PROFILES_PER_CALL],
                    "need_enter_session_context": 0,
                },
            )
            for customer in data.get("customer_list", []):
                profiles[customer.get("external_userid")] = customer
        return profiles

    def send_text(self, token, open_kfid, external_userid, msgid, text):
        """A text to the customer from a customer-service account; `msgid` (ours, unique per
        account) makes a retry harmless."""
        return self.send_msg(token, open_kfid, external_userid, msgid, "text", {"content": text})

    def send_media(self, token, open_kfid, external_userid, msgid, kind, media_id):
        """An image, voice, video or file (`kind`) of uploaded media, like send_text."""
        return self.send_msg(token, open_kfid, external_userid, msgid, kind, {"media_id": media_id})

    def send_msg(self, token, open_kfid, external_userid, msgid, msgtype, content):
        return self.post(
            token,
            "/cgi-bin/kf/send_msg",
            {
                "touser": external_userid,
                "open_kfid": open_kfid,
                "msgid": msgid,
                "msgtype": msgtype,
                msgtype: content,
            },
        )
