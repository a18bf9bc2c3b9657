# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models, tools

# Context key: the actions of the automation being processed that run once for all its records.
BATCH_KEY = "__omnichannel_batch"


class BaseAutomation(models.Model):
    """Odoo looks up the automated actions of a model at every create, write and recomputation of
    it: one query each time, some twenty per inbound message once the SLA reactions are installed
    on tickets. The look-up is kept per model and trigger until an automated action changes.

    Odoo 18 runs each server action of an automated action once per record: a job moving 300
    tickets to breached would raise their priority in 300 writes. Actions marked "once for all
    records" are run once, with all the records the automation was processed on."""

    _inherit = "base.automation"

    def _get_actions(self, records, triggers):
        if "__action_done" not in self._context:
            self = self.with_context(__action_done={})  # noqa: PLW0642 -- as Odoo's own
        return self.browse(self._automation_ids(records._name, tuple(triggers)))

    @tools.ormcache("model_name", "triggers")
    def _automation_ids(self, model_name, triggers):
        domain = [("model_name", "=", model_name), ("trigger", "in", triggers)]
        return tuple(self.with_context(active_test=True).sudo().search(domain).ids)

    def _process(self, records, domain_post=None):
        if not self.sudo().action_server_ids.filtered("omnichannel_batch"):
            return super()._process(records, domain_post=domain_post)
        # Odoo's own processing (records already done, trigger fields, date_automation_last)
        # decides on which records each action runs; our run() collects those of batched actions.
        batch = {"automation": self.id, "ids": {}, "context": {}}
        super(BaseAutomation, self.with_context(**{BATCH_KEY: batch}))._process(
            records, domain_post=domain_post
        )
        for action, ids in batch["ids"].items():
            context = {
                key: value for key, value in batch["context"][action].items() if key != BATCH_KEY
            }
            try:
                action.with_context(context, active_ids=ids, active_id=ids[0]).run()
            except Exception as error:
                self._add_postmortem(error)
                raise
        return None

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & {"model_id", "trigger", "active"}:
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
