# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class OmnichannelNotificationBatch(models.Model):
    """A bulk send: one scenario to many customers (a segment, a trip's travellers), processed in
    the background in chunks that each commit, with its progress visible to the sender. Every
    recipient has exactly one notification, created up-front, so a restarted job neither skips nor
    repeats anyone."""

    _name = "omnichannel.notification.batch"
    _description = "Bulk Notification"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, default=lambda self: self.env._("New bulk notification"))
    scenario_id = fields.Many2one("omnichannel.scenario", required=True, ondelete="restrict")
    res_model = fields.Char(string="Document model")
    res_id = fields.Many2oneReference(string="Document", model_field="res_model")
    user_id = fields.Many2one(
        "res.users", string="Sent by", default=lambda self: self.env.user, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    notification_ids = fields.One2many("omnichannel.notification", "batch_id")
    recipient_count = fields.Integer(compute="_compute_counts", string="Recipients")
    processed_count = fields.Integer(compute="_compute_counts", string="Processed")
    sent_count = fields.Integer(compute="_compute_counts", string="Sent")
    deferred_count = fields.Integer(compute="_compute_counts", string="Deferred")
    skipped_count = fields.Integer(compute="_compute_counts", string="Skipped")
    failed_count = fields.Integer(compute="_compute_counts", string="Failed")
    progress = fields.Float(compute="_compute_counts", help="Share of recipients processed (%).")

    def _compute_counts(self):
        counts = {
            (batch.id, state): count
            for batch, state, count in self.env["omnichannel.notification"]._read_group(
                [("batch_id", "in", self.ids)], ["batch_id", "state"], ["__count"]
            )
        }
        for batch in self:
            by_state = {
                state: counts.get((batch.id, state), 0)
                for state in ("pending", "deferred", "sent", "fallback", "skipped", "failed")
            }
            batch.recipient_count = sum(by_state.values())
            batch.sent_count = by_state["sent"] + by_state["fallback"]
            batch.deferred_count = by_state["deferred"]
            batch.skipped_count = by_state["skipped"]
            batch.failed_count = by_state["failed"]
            batch.processed_count = batch.recipient_count - by_state["pending"]
            batch.progress = (
                100.0 * batch.processed_count / batch.recipient_count
                if batch.recipient_count
                else 0.0
            )

    def _add_recipients(self, partner_ids):
        """One notification per recipient, set-wise; a recipient added twice is there once."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Recipients are added before the bulk send starts."))
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO omnichannel_notification
                   (batch_id, scenario_id, partner_id, res_model, res_id, company_id, state,
                    create_uid, write_uid, create_date, write_date)
            SELECT %(batch)s, %(scenario)s, partner.id, COALESCE(%(model)s, 'res.partner'),
                   COALESCE(%(res_id)s, partner.id), %(company)s, 'pending',
                   %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM res_partner partner
             WHERE partner.id = ANY(%(partners)s)
            ON CONFLICT DO NOTHING
            """,
            {
                "batch": self.id,
                "scenario": self.scenario_id.id,
                "model": self.res_model or None,
                "res_id": self.res_id or None,
                "company": self.company_id.id,
                "uid": self.env.uid,
                "partners": list(partner_ids),
            },
        )
        self.invalidate_recordset(["notification_ids"])

    def action_start(self):
        for batch in self:
            if batch.state != "draft":
                continue
            batch.state = "running"
        self.env.ref("omnichannel_crm.ir_cron_omnichannel_notifications").sudo()._trigger()
        return True

    def action_cancel(self):
        self.filtered(lambda batch: batch.state in ("draft", "running")).state = "cancelled"
        return True

    def action_view_notifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omnichannel_crm.action_omnichannel_notification"
        )
        action["domain"] = [("batch_id", "=", self.id)]
        action["context"] = {"search_default_group_by_state": 1}
        return action

    def _check_done(self):
        """Running batches with nothing left to send are done; the sender is told."""
        for batch in self.filtered(lambda batch: batch.state == "running"):
            pending = self.env["omnichannel.notification"].search_count(
                [("batch_id", "=", batch.id), ("state", "=", "pending")], limit=1
            )
            if pending:
                continue
            batch.state = "done"
            batch.invalidate_recordset()
            batch.message_post(
                body=self.env._(
                    "%(sent)s of %(total)s recipients notified (%(deferred)s deferred to their "
                    "contact window, %(skipped)s skipped, %(failed)s failed).",
                    sent=batch.sent_count,
                    total=batch.recipient_count,
                    deferred=batch.deferred_count,
                    skipped=batch.skipped_count,
                    failed=batch.failed_count,
                ),
                partner_ids=batch.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
