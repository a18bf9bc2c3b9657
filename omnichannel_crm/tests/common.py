# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import http.client
import json
import re
import time
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

from odoo import Command
from odoo.tests import new_test_user
from odoo.tools import SQL

from ..tools.inbound import InboundContact
from ..tools.telephony import sign_payload


class OmnichannelUsersMixin:
    """Users of each role, built once per test class."""

    @classmethod
    def _create_omnichannel_users(cls):
        cls.agent = new_test_user(
            cls.env,
            login="omni_agent",
            name="Omnichannel Agent",
            groups="base.group_user,omnichannel_crm.group_omnichannel_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="omni_manager",
            name="Omnichannel Manager",
            groups="base.group_user,omnichannel_crm.group_omnichannel_manager",
        )
        cls.employee = new_test_user(
            cls.env, login="omni_employee", name="Plain Employee", groups="base.group_user"
        )
        cls.settings_admin = new_test_user(
            cls.env,
            login="omni_sysadmin",
            name="Settings Administrator",
            groups="base.group_user,base.group_system,omnichannel_crm.group_omnichannel_manager",
        )


def create_staff(env, login, name=None, groups="omnichannel_crm.group_omnichannel_user", **values):
    """An internal user with `groups` besides Employee: an agent, an account manager, a leader."""
    return new_test_user(
        env, login=login, name=name or login, groups=f"base.group_user,{groups}", **values
    )


def create_team(env, name, users, calendar="omnichannel_crm.resource_calendar_service_hours"):
    """A helpdesk team of `users` with SLAs, counted in `calendar`, the company's default team."""
    team = env["helpdesk.ticket.team"].create(
        {
            "name": name,
            "use_sla": True,
            "user_ids": [Command.set(users.ids)],
            "resource_calendar_id": env.ref(calendar).id,
        }
    )
    env.company.omnichannel_default_team_id = team
    return team


def post_call(case, integration, payload):
    """`payload` posted to the telephony webhook over HTTP as a telephony system does: signed."""
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time()))
    return case.url_open(
        f"/omnichannel/phone/{integration.token}",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Omnichannel-Timestamp": timestamp,
            "X-Omnichannel-Signature": sign_payload(integration.secret, timestamp, body),
        },
    )


def sms_through_the_pipeline(env, number, text):
    """A customer's SMS, stored as the SMS webhook stores it and processed by the inbound
    pipeline: its timeline entry."""
    ref = uuid.uuid4().hex
    env["omnichannel.inbound.event"]._store(
        [
            InboundContact(
                channel="sms",
                source="test,0",
                external_ref=ref,
                company_id=env.company.id,
                identifiers=[("phone", number)],
                text=text,
            )
        ]
    )
    env["omnichannel.inbound.event"]._process_pending()
    return env["omnichannel.interaction"].search([("external_ref", "=", ref)])


def create_mail_template(env, name, subject, body_html, model="res.partner"):
    """An email template on `model`, sent from the travel agency's address."""
    return env["mail.template"].create(
        {
            "name": name,
            "model_id": env["ir.model"]._get_id(model),
            "subject": subject,
            "body_html": body_html,
            "email_from": "tours@example.com",
        }
    )


def create_scenario(env, name, steps, **values):
    """A notification scenario whose channel steps are `steps` (dicts of step values), in order."""
    return env["omnichannel.scenario"].create(
        {
            "name": name,
            "channel_ids": [
                Command.create({"sequence": rank, **step}) for rank, step in enumerate(steps, 1)
            ],
            **values,
        }
    )


# The identifier kind a channel's contacts are known by in tests that receive contacts directly.
CHANNEL_IDENTIFIER_KIND = {
    "phone": "phone",
    "sms": "phone",
    "email": "email",
    "wechat": "wechat_openid",
}


def receive(env, channel, identifier, summary="", **options):
    """Receive one inbound contact through the pipeline, as a connector's stored event would be
    processed: the timeline entry. Options are InboundContact fields; `identifier_kind` defaults
    to the channel's, `external_ref` to a fresh one, `company` and `team` take records."""
    company = options.pop("company", None) or env.company
    team = options.pop("team", None)
    kind = options.pop("identifier_kind", None) or CHANNEL_IDENTIFIER_KIND.get(channel, "custom")
    contact = InboundContact(
        channel=channel,
        source=options.pop("source", "test,0"),
        external_ref=options.pop("external_ref", None) or uuid.uuid4().hex,
        company_id=company.id,
        identifiers=[(kind, identifier)],
        text=summary,
        team_id=team.id if team else None,
        **options,
    )
    return env["omnichannel.interaction"]._receive(contact)


def post_raw(base_url, path, chunks, headers=None):
    """POST `chunks` (bytes) to Odoo over a plain HTTP connection, chunked unless the headers give
    a Content-Length, as a client the test cannot trust would: (status, body)."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        headers = {"Connection": "close", **(headers or {})}
        chunked = "Content-Length" not in headers
        connection.request("POST", path, body=iter(chunks), headers=headers, encode_chunked=chunked)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


WRITE_STATEMENT = re.compile(r'\s*(?:INSERT INTO|UPDATE)\s+"?(\w+)"?')


@contextmanager
def written_tables(env):
    """Yields the list, filled as it goes, of the tables each INSERT and UPDATE statement run
    inside the block writes to (the block's pending writes flushed at its end)."""
    cr = env.cr
    tables = []
    execute = cr.execute

    def watch(query, params=None, log_exceptions=True):
        statement = query.code if isinstance(query, SQL) else str(query)
        if written := WRITE_STATEMENT.match(statement):
            tables.append(written.group(1))
        return execute(query, params, log_exceptions)

    cr.execute = watch
    try:
        yield tables
        env.flush_all()
    finally:
        cr.execute = execute
