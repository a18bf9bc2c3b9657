# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models, tools


class BaseAutomation(models.Model):
    """Odoo looks up the automated actions of a model at every create, write and recomputation of
    it: one query each time, some twenty per inbound message once the SLA reactions are installed
    on tickets. The look-up is kept per model and trigger until an automated action changes."""

    _inherit = "base.automation"

    def _get_actions(self, records, triggers):
        if "__action_done" not in self._context:
            self = self.with_context(__action_done={})  # noqa: PLW0642 -- as Odoo's own
        return self.browse(self._automation_ids(records._name, tuple(triggers)))

    @tools.ormcache("model_name", "triggers")
    def _automation_ids(self, model_name, triggers):
        domain = [("model_name", "=", model_name), ("trigger", "in", triggers)]
        return tuple(self.with_context(active_test=True).sudo().search(domain).ids)

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
