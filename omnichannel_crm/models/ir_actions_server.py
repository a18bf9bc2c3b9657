# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .base_automation import BATCH_KEY


class IrActionsServer(models.Model):
    """ "Omnichannel notification" actions: notify the customers of a record in a scenario, so that
    automated actions (order confirmed, ticket solved, flight delayed) notify with no code."""

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("omnichannel_notify", "Omnichannel notification")],
        ondelete={"omnichannel_notify": "cascade"},
    )
    omnichannel_scenario_id = fields.Many2one(
        "omnichannel.scenario",
        string="Scenario",
        ondelete="restrict",
        domain="['|', ('model_id', '=', False), ('model_id', '=', model_id)]",
    )
    omnichannel_batch = fields.Boolean(
        string="Once for all records",
        help="Run by an automated action, this action runs once with all the records the "
        "automated action applies to (records in Python code), instead of once per record.",
    )
    omnichannel_recipients_path = fields.Char(
        string="Recipients",
        help="Path from the record to the customers to notify, e.g. partner_id, or "
        "message_partner_ids; empty when the record is the customer.",
    )

    @api.constrains("state", "model_id", "omnichannel_recipients_path", "omnichannel_scenario_id")
    def _check_omnichannel_notify(self):
        for action in self.filtered(lambda action: action.state == "omnichannel_notify"):
            if not action.omnichannel_scenario_id:
                raise ValidationError(self.env._("Choose the scenario to notify in."))
            scenario_model = action.omnichannel_scenario_id.model_id
            if scenario_model and scenario_model != action.model_id:
                raise ValidationError(
                    self.env._(
                        "Scenario %(scenario)s is for %(model)s documents.",
                        scenario=action.omnichannel_scenario_id.name,
                        model=scenario_model.name,
                    )
                )
            try:
                recipients = action._omnichannel_recipients(self.env[action.model_id.model])
            except KeyError as error:
                raise ValidationError(
                    self.env._(
                        "%(path)s is not a path from %(model)s to customers.",
                        path=action.omnichannel_recipients_path,
                        model=action.model_id.name,
                    )
                ) from error
            if recipients._name != "res.partner":
                raise ValidationError(
                    self.env._(
                        "%(path)s leads to %(target)s, not to customers.",
                        path=action.omnichannel_recipients_path or "-",
                        target=recipients._description,
                    )
                )

    def run(self):
        batch = self.env.context.get(BATCH_KEY)
        if not batch:
            return super().run()
        # Run for one record by the automated action being processed: batched actions wait for
        # all its records (see base.automation's _process).
        later = self.sudo().filtered(
            lambda action: (
                action.omnichannel_batch and action.base_automation_id.id == batch["automation"]
            )
        )
        for action in later:
            batch["ids"].setdefault(action, []).extend(self.env.context.get("active_ids", []))
            batch["context"].setdefault(action, dict(self.env.context))
        rest = self - later
        return super(IrActionsServer, rest).run() if rest else False

    def _omnichannel_recipients(self, records):
        path = (self.omnichannel_recipients_path or "").strip()
        return records.mapped(path) if path else records

    def _run_action_omnichannel_notify_multi(self, eval_context=None):
        records = eval_context.get("records") or eval_context.get("record")
        if not records or self._is_recompute():
            return False
        Notification = self.env["omnichannel.notification"]
        for record in records:
            partners = self._omnichannel_recipients(record)
            if partners:
                Notification.notify(partners, self.omnichannel_scenario_id, record=record)
        return False
