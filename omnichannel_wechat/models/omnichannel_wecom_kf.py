# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
import traceback
from datetime import UTC, datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from odoo.addons.omnichannel_crm.tools.identity import WECHAT_UNIONID
from odoo.addons.omnichannel_crm.tools.inbound import EVENT, MESSAGE, InboundContact
from odoo.addons.omnichannel_crm.tools.redact import redact_secrets

from ..tools.client import WechatApiError
from ..tools.wecom_client import (
    EXTERNAL_USERID_KIND,
    INVALID_CALLBACK_TOKEN_ERRCODE,
    ORIGIN_CUSTOMER,
    ORIGIN_SERVICER,
    WecomPagingError,
)
from .omnichannel_wecom_sync_request import SYNC_CRON

_logger = logging.getLogger(__name__)

# Pulls without the callback's token are rate-limited by the platform: at most one a minute.
PLAIN_SYNC_INTERVAL = timedelta(minutes=1)
MAX_RETRY_DELAY = timedelta(hours=1)
# Pages one run pulls of one account at most (50,000 messages): a backlog beyond is pulled by the
# next run, so that the other accounts get their turn.
MAX_PAGES_PER_RUN = 50
# Errors the platform's client reports in words an administrator reads; others are unexpected and
# named by their type.
EXPECTED_ERRORS = (WechatApiError, WecomPagingError, UserError)


class OmnichannelWecomKf(models.Model):
    """One customer-service account (open_kfid) of a WeCom customer service, and how far its
    messages have been read: the platform's cursor, saved with the events of each page."""

    _name = "omnichannel.wecom.kf"
    _description = "WeCom Customer Service Account"
    _order = "account_id, name, id"

    account_id = fields.Many2one(
        "omnichannel.wecom.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    name = fields.Char(required=True)
    open_kfid = fields.Char(string="Open KF ID", required=True, readonly=True)
    active = fields.Boolean(default=True)
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Helpdesk team",
        help="Team of this account's tickets; the customer service's team when empty.",
    )
    cursor = fields.Char(readonly=True, copy=False, help="Where the next pull starts.")
    sync_requested = fields.Boolean(
        string="Messages waiting",
        compute="_compute_sync_requested",
        help="WeCom announced messages that are not pulled yet.",
    )
    next_sync_at = fields.Datetime(string="Next attempt", readonly=True, copy=False)
    sync_attempts = fields.Integer(readonly=True, copy=False)
    last_sync_error = fields.Char(string="Last error", readonly=True, copy=False)
    last_sync_date = fields.Datetime(string="Last read", readonly=True, copy=False)

    _sql_constraints = [
        ("open_kfid_uniq", "unique(account_id, open_kfid)", "This account is already listed."),
    ]

    @api.model
    def _route_to(self, partner, company=None):
        """(account, external_userid) of the customer's last WeCom message to `company`, or two
        empty values."""
        return self._routes_to(partner, company).get(partner.id, (self.browse(), False))

    @api.model
    def _routes_to(self, partners, company=None):
        """{partner id: (account, external_userid)} of each customer's last WeCom message (their
        company's, for its people) to an account of `company` (the current one by default), in
        one query; customers who never wrote to it are left out. Another company's accounts
        never answer for this one."""
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        if not commercial:
            return {}
        self.env["omnichannel.interaction"].flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (commercial_partner_id)
                   commercial_partner_id, wecom_kf_id, wecom_external_userid
              FROM omnichannel_interaction
             WHERE commercial_partner_id = ANY(%s)
               AND channel = 'wecom'
               AND direction = 'inbound'
               AND interaction_type = 'message'
               AND wecom_kf_id IS NOT NULL
               AND company_id = %s
             ORDER BY commercial_partner_id, date DESC, id DESC
            """,
            (list(set(commercial.values())), (company or self.env.company).id),
        )
        last = {row[0]: (self.browse(row[1]), row[2]) for row in self.env.cr.fetchall()}
        return {
            partner_id: last[customer]
            for partner_id, customer in commercial.items()
            if customer in last
        }

    def _compute_sync_requested(self):
        Request = self.env["omnichannel.wecom.sync.request"].sudo()
        for kf in self:
            kf.sync_requested = bool(kf.id and Request._of(kf))

    def _request_sync(self, callback_token=None):
        self.ensure_one()
        self.env["omnichannel.wecom.sync.request"]._request(
            self.account_id, self.open_kfid, callback_token
        )

    @api.model
    def _cron_sync(self):
        """Pull the accounts WeCom announced messages on, each on its own (one that fails is
        tried again later, the others go on), then read the customers' profiles still missing."""
        now = fields.Datetime.now()
        for kf in self.env["omnichannel.wecom.sync.request"].sudo()._requested_kfs():
            if (
                kf.active
                and kf.account_id.active
                and (not kf.next_sync_at or kf.next_sync_at <= now)
            ):
                kf._sync()
        self.env["omnichannel.wecom.pending.profile"].sudo()._read_due()

    def _sync(self):
        """Pull the waiting messages and events, page by page from the saved cursor. Each page's
        events and the cursor after it are committed together: a crash between two pages re-reads
        nothing and loses nothing. Whatever stops the pull (a refused page, a cursor that does
        not move, an unexpected error) stops it for this account alone: the pages before stay,
        the error is recorded on the account, and the pull is tried again later from the saved
        cursor. The requests it consumes are those it read when it started, once no page is
        left: one that came meanwhile asks for another pull. A backlog of more than
        MAX_PAGES_PER_RUN pages is pulled on by the next run, woken at once."""
        self.ensure_one()
        kf = self.sudo()
        commit = not getattr(threading.current_thread(), "testing", False)
        requests = self.env["omnichannel.wecom.sync.request"]._of(kf)
        callback_token = requests._fresh_callback_token()
        try:
            for _page in range(MAX_PAGES_PER_RUN):
                cursor = kf.cursor
                with self.env.cr.savepoint():
                    more = kf._pull_page(callback_token)
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                if not more:
                    break
                if kf.cursor == cursor:
                    raise WecomPagingError(
                        self.env._(
                            "WeCom says more messages wait, but gave no cursor past %(cursor)s: "
                            "the pull stopped there and is tried again later.",
                            cursor=cursor or "-",
                        )
                    )
            else:
                self.env.ref(SYNC_CRON).sudo()._trigger()
                return None
        except Exception as error:  # whatever it is, it stops this account's pull alone
            if commit:
                self.env.cr.rollback()
            kf._sync_failed(error, requests, callback_token)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            return None
        requests.unlink()
        return None

    def _pull_page(self, callback_token):
        """Pull the page after the saved cursor, store its events and save the cursor after it.
        Returns whether the platform says more wait."""
        page = self.account_id._with_token(
            lambda client, token: client.sync_msg(
                token, self.open_kfid, self.cursor, callback_token
            )
        )
        items = page.get("msg_list") or []
        self.env["omnichannel.inbound.event"].sudo()._store(self._contacts(items))
        self._apply_send_failures(items)
        self.write(
            {
                "cursor": page.get("next_cursor") or self.cursor,
                "last_sync_date": fields.Datetime.now(),
                "next_sync_at": False,
                "sync_attempts": 0,
                "last_sync_error": False,
            }
        )
        return bool(page.get("has_more"))

    def _sync_failed(self, error, requests, callback_token):
        """Try again from the saved cursor: at once without an expired callback token (within the
        rate limit of such pulls), else after a growing delay. The error is shown on the account
        and logged without the account's credentials."""
        secrets = (*self.account_id._secrets(), callback_token)
        if isinstance(error, EXPECTED_ERRORS):
            text = redact_secrets(str(error), secrets)
            _logger.info("WeCom %s: pull refused (%s), tried again later", self.open_kfid, text)
        else:
            text = redact_secrets(f"{type(error).__name__}: {error}", secrets)
            _logger.warning(
                "WeCom %s: pull failed, tried again later\n%s",
                self.open_kfid,
                redact_secrets("".join(traceback.format_exception(error)), secrets),
            )
        now = fields.Datetime.now()
        attempts = self.sync_attempts + 1
        if callback_token and getattr(error, "errcode", None) == INVALID_CALLBACK_TOKEN_ERRCODE:
            next_at = now + PLAIN_SYNC_INTERVAL
            requests._forget_callback_tokens()
        else:
            next_at = now + min(PLAIN_SYNC_INTERVAL * 2 ** (attempts - 1), MAX_RETRY_DELAY)
        self.write(
            {
                "next_sync_at": next_at,
                "sync_attempts": attempts,
                "last_sync_error": text[:250],
            }
        )
        self.env.ref(SYNC_CRON).sudo()._trigger(at=next_at)

    # ----------------------------------------------------------------------------------------------
    # Translation
    # ----------------------------------------------------------------------------------------------

    def _contacts(self, items):
        """The synced items as inbound contacts: the customers' messages and the platform's events,
        and the messages agents wrote in the WeCom app as outbound entries. UnionIDs, where the
        platform gives them, link the customer to their Official Account identity."""
        self.ensure_one()
        senders = [item.get("external_userid") for item in items if item.get("external_userid")]
        profiles = self._profiles(senders)
        described = self.with_context(lang=self.company_id._omnichannel_lang())
        contacts = []
        for item in items:
            contact = described._contact(item, profiles)
            if contact:
                contacts.append(contact)
        return contacts

    def _profiles(self, external_userids):
        """{external_userid: profile} of the senders, best effort: when the platform does not
        give them (rate limit, missing permission, an id it refuses), the messages go on without
        them and the profiles are read later (see omnichannel.wecom.pending.profile)."""
        if not external_userids:
            return {}
        try:
            return self.account_id._with_token(
                lambda client, token: client.customers(token, external_userids)
            )
        except WechatApiError as error:
            _logger.info(
                "WeCom %s: customer profiles not read (%s), read later", self.open_kfid, error
            )
            self.env["omnichannel.wecom.pending.profile"]._add(self.account_id, external_userids)
            return {}

    def _contact(self, item, profiles):
        event = item.get("event") if item.get("msgtype") == "event" else None
        external_userid = item.get("external_userid") or (event or {}).get("external_userid")
        msgid = item.get("msgid")
        if not msgid or not external_userid:
            _logger.info("WeCom %s: item without msgid or customer skipped", self.open_kfid)
            return None
        if event and event.get("event_type") == "msg_send_fail":
            return None  # about a message we sent: see _apply_send_failures
        profile = profiles.get(external_userid) or {}
        origin = item.get("origin")
        text = self._describe_event(event) if event else self._describe_message(item)
        try:
            date = datetime.fromtimestamp(int(item.get("send_time")), UTC).replace(tzinfo=None)
        except (TypeError, ValueError, OverflowError, OSError):
            date = None
        customer_message = not event and origin == ORIGIN_CUSTOMER
        return InboundContact(
            channel="wecom",
            source=f"{self._name},{self.id}",
            external_ref=f"{self.account_id.corp_id}:{msgid}",
            company_id=self.company_id.id,
            identifiers=[
                (EXTERNAL_USERID_KIND, external_userid),
                (WECHAT_UNIONID, profile.get("unionid")),
            ],
            kind=EVENT if event else MESSAGE,
            direction="outbound" if origin == ORIGIN_SERVICER and not event else "inbound",
            date=date,
            text=text,
            body=plaintext2html(text) if len(text) > 120 else None,
            sender_name=profile.get("nickname") or None,
            team_id=(self.team_id or self.account_id.team_id).id or None,
            open_ticket=customer_message,
            auto_reply=customer_message and item.get("msgtype") == "text",
            data={"open_kfid": self.open_kfid},
            raw=item,
        )

    def _describe_message(self, item):
        """What a synced message says, written for the agents."""
        msgtype = item.get("msgtype")
        content = item.get(msgtype) if isinstance(item.get(msgtype), dict) else {}
        if msgtype == "text":
            return content.get("content") or ""
        labels = {
            "image": self.env._("[Image]"),
            "voice": self.env._("[Voice message]"),
            "video": self.env._("[Video]"),
            "file": self.env._("[File]"),
            "location": self.env._("[Location]"),
            "link": self.env._("[Link]"),
            "miniprogram": self.env._("[Mini program]"),
        }
        details = " ".join(
            str(content[key])
            for key in ("name", "address", "title", "url", "desc")
            if content.get(key)
        )
        label = labels.get(msgtype) or self.env._("[%(type)s message]", type=msgtype)
        return f"{label} {details}".strip()

    def _describe_event(self, event):
        event_type = event.get("event_type")
        if event_type == "enter_session":
            return self.env._("Opened the chat (scene: %(scene)s)", scene=event.get("scene") or "-")
        if event_type == "session_status_change":
            changes = {
                1: self.env._("taken over by an agent"),
                2: self.env._("transferred to another agent"),
                3: self.env._("ended"),
                4: self.env._("reopened"),
            }
            return self.env._(
                "Chat session %(change)s",
                change=changes.get(event.get("change_type"), event.get("change_type")),
            )
        return self.env._("WeCom event: %(event)s", event=event_type)

    def _apply_send_failures(self, items):
        """`msg_send_fail` events: the message we sent did not reach the customer. It goes the way
        of a refused one (an agent's reply on the customer's next channel, the agent told on the
        ticket), once: an event read again changes nothing."""
        refs = {
            f"{self.account_id.corp_id}:{item['event'].get('fail_msgid')}": item["event"]
            for item in items
            if item.get("msgtype") == "event"
            and (item.get("event") or {}).get("event_type") == "msg_send_fail"
        }
        if not refs:
            return
        interactions = (
            self.env["omnichannel.interaction"]
            .sudo()
            .search(
                [
                    ("channel", "=", "wecom"),
                    ("direction", "=", "outbound"),
                    ("external_ref", "in", list(refs)),
                    ("state", "!=", "failed"),
                ]
            )
        )
        for interaction in interactions:
            interaction._outbox_fail(
                self.env._(
                    "WeCom could not deliver the message (failure type %(type)s).",
                    type=refs[interaction.external_ref].get("fail_type"),
                )
            )
