# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import create_staff, create_team


@tagged("post_install", "-at_install")
class TestTicketPostRpc(HttpCase):
    """The lanes' batch posting writes messages as any customer, with followers added as the
    superuser: nobody reaches it from outside, whatever their rights."""

    def test_nobody_posts_as_a_customer_over_rpc(self):
        agent = create_staff(
            self.env,
            "post_rpc_agent",
            groups="helpdesk_mgmt.group_helpdesk_user",
            password="post_rpc_agent.pw",
        )
        team = create_team(self.env, "RPC desk", agent)
        customer = self.env["res.partner"].create({"name": "Wang Fang"})
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Baggage",
                "description": "Lost",
                "team_id": team.id,
                "partner_id": customer.id,
            }
        )
        before = ticket.message_ids
        payload = {
            "params": {
                "model": "helpdesk.ticket",
                "method": "_omnichannel_post_comments",
                "args": [[ticket.id], [[ticket.id, "我没有说过这句话", customer.id]]],
                "kwargs": {},
            }
        }
        for login in (None, "post_rpc_agent"):  # the public, then an agent of the ticket's team
            if login:
                self.authenticate(login, "post_rpc_agent.pw")
            with mute_logger("odoo.http"):
                response = self.url_open(
                    "/web/dataset/call_kw",
                    data=json.dumps(payload),
                    headers={"Content-Type": "application/json"},
                )
            error = response.json().get("error")
            self.assertTrue(error, f"refused to {login or 'the public'}")
            self.assertFalse(response.json().get("result"))
        ticket.invalidate_recordset(["message_ids"])
        self.assertEqual(ticket.message_ids, before, "nothing was posted")
