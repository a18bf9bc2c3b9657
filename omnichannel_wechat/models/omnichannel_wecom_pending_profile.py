# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.omnichannel_crm.tools.identity import WECHAT_UNIONID

from ..tools.client import WechatApiError
from ..tools.wecom_client import EXTERNAL_USERID_KIND, PROFILES_PER_CALL

_logger = logging.getLogger(__name__)

# A refused look-up is tried again after a growing delay, up to an hour; a profile still unread
# after a week is given up (the customer keeps what their messages told).
FIRST_RETRY_DELAY = timedelta(minutes=1)
MAX_RETRY_DELAY = timedelta(hours=1)
PROFILE_PATIENCE = timedelta(days=7)
# Profiles read per run of the sync job.
PROFILES_PER_RUN = 10 * PROFILES_PER_CALL


class OmnichannelWecomPendingProfile(models.Model):
    """A WeCom customer whose profile (nickname, UnionID) could not be read when their messages
    were pulled (rate limit, missing permission, an id the platform refused...). The messages went
    on without it; the sync job reads it again once the pipeline has made the customer, and
    completes them as the profile would have: named by their nickname and known by their UnionID,
    and a customer made only because the profile was missing joins the one the UnionID already
    identifies (the Official Account follower)."""

    _name = "omnichannel.wecom.pending.profile"
    _description = "WeCom Customer Profile To Read"
    _order = "id"

    account_id = fields.Many2one(
        "omnichannel.wecom.account", required=True, readonly=True, ondelete="cascade", index=True
    )
    external_userid = fields.Char(string="WeCom customer ID", required=True, readonly=True)
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "customer_uniq",
            "unique(account_id, external_userid)",
            "This customer's profile is already waiting to be read.",
        ),
    ]

    @api.model
    def _add(self, account, external_userids):
        """Read these customers' profiles later."""
        ids = list(dict.fromkeys(external_userids))
        known = set(
            self.sudo()
            .search([("account_id", "=", account.id), ("external_userid", "in", ids)])
            .mapped("external_userid")
        )
        self.sudo().create(
            [
                {"account_id": account.id, "external_userid": external_userid}
                for external_userid in ids
                if external_userid not in known
            ]
        )

    @api.model
    def _read_due(self):
        """Read the profiles of the customers the pipeline has made since (up to PROFILES_PER_RUN)
        and complete them; a look-up refused again is tried later."""
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - PROFILE_PATIENCE)]
        ).unlink()
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT pending.id, identity.id
              FROM omnichannel_wecom_pending_profile pending
              JOIN omnichannel_wecom_account account
                ON account.id = pending.account_id AND account.active
              JOIN omnichannel_identity identity
                ON identity.kind = %s AND identity.identifier = pending.external_userid
               AND identity.company_id = account.company_id AND identity.active
             WHERE pending.next_attempt_at IS NULL OR pending.next_attempt_at <= %s
             ORDER BY pending.id
             LIMIT %s
            """,
            (EXTERNAL_USERID_KIND, fields.Datetime.now(), PROFILES_PER_RUN),
        )
        rows = self.env.cr.fetchall()
        identities = {
            pending_id: self.env["omnichannel.identity"].sudo().browse(identity_id)
            for pending_id, identity_id in rows
        }
        ready = self.sudo().browse(list(identities))
        for account, pending in ready.grouped("account_id").items():
            try:
                profiles = account._with_token(
                    lambda client, token, pending=pending: client.customers(
                        token, pending.mapped("external_userid")
                    )
                )
            except WechatApiError as error:
                _logger.info(
                    "WeCom %s: %s customer profiles not read (%s), tried again later",
                    account.corp_id,
                    len(pending),
                    error,
                )
                pending._retry_later()
                continue
            for row in pending:
                profile = profiles.get(row.external_userid)
                if not profile:
                    continue  # an id the platform no longer knows: nothing to learn
                try:
                    with self.env.cr.savepoint():
                        row._complete(identities[row.id], profile)
                except UserError as error:
                    # A merge Odoo refuses: the customer stays as their messages made them.
                    _logger.info("WeCom customer %s not completed: %s", row.external_userid, error)
            pending.unlink()

    def _retry_later(self):
        """After one minute, then twice as long after each refusal, up to an hour: a rate limit
        passes, a missing permission may take an administrator a while."""
        now = fields.Datetime.now()
        for attempts, rows in self.grouped("attempts").items():
            delay = min(FIRST_RETRY_DELAY * 2**attempts, MAX_RETRY_DELAY)
            rows.write({"attempts": attempts + 1, "next_attempt_at": now + delay})

    def _complete(self, identity, profile):
        """What the pipeline would have made of the customer of `identity` with their `profile`:
        the UnionID linked to them unless it already identifies someone else, and the nickname as
        the name of a customer still named by their WeCom id. When the UnionID identifies someone
        else and the customer is only what the pipeline made from the WeCom id, that one is the
        customer: the two are merged into them."""
        partner = identity.partner_id
        company = identity.company_id
        Identity = self.env["omnichannel.identity"].sudo()
        untouched = partner.name == identity.identifier
        made_from_the_id = untouched and set(
            partner.sudo().omnichannel_identity_ids.mapped("kind")
        ) == {EXTERNAL_USERID_KIND}
        holder = self.env["res.partner"]
        unionid = profile.get("unionid")
        if unionid:
            try:
                unionid = Identity.normalize(WECHAT_UNIONID, unionid, company)
                holder = Identity.find_partner(WECHAT_UNIONID, unionid, company)
            except ValidationError:
                unionid = None
        if holder and holder != partner:
            if made_from_the_id:
                self.env["base.partner.merge.automatic.wizard"]._merge(
                    (partner | holder).ids, holder, extra_checks=False
                )
            return
        if unionid and not holder:
            Identity._create_untaken(
                [
                    {
                        "kind": WECHAT_UNIONID,
                        "identifier": unionid,
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "origin": "channel",
                    }
                ]
            )
        if untouched and profile.get("nickname"):
            partner.name = profile["nickname"]
