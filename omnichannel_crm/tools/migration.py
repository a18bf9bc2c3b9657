# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the addons' migration scripts share."""

from odoo.tools.sql import column_exists, rename_column


def rename_fields(cr, model, table, renames):
    """Rename fields of `model` in place before the update loads them: the column keeps its values,
    the field keeps its id (and so the automated actions and exports that point at it), its external
    id follows, and the views and saved filters of the model name it anew (an inherited view still
    naming the old field would fail the validation of the first view the update loads). `table`
    None: a model without a table (a SQL view)."""
    prefix = f"field_{model.replace('.', '_')}__"
    for old, new in renames.items():
        if table and column_exists(cr, table, old) and not column_exists(cr, table, new):
            rename_column(cr, table, old, new)
        cr.execute(
            "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
            (new, model, old),
        )
        cr.execute(
            "UPDATE ir_model_data SET name = %s WHERE model = 'ir.model.fields' AND name = %s",
            (prefix + new, prefix + old),
        )
        # Whole words only: the old name inside a longer one (min_service_level_id) stays.
        pattern = rf"\m{old}\M"
        cr.execute(
            """
            UPDATE ir_ui_view
               SET arch_db = regexp_replace(arch_db::text, %s, %s, 'g')::jsonb
             WHERE model = %s AND arch_db::text ~ %s
            """,
            (pattern, new, model, pattern),
        )
        cr.execute(
            """
            UPDATE ir_filters
               SET domain = regexp_replace(domain, %s, %s, 'g'),
                   context = regexp_replace(context, %s, %s, 'g')
             WHERE model_id = %s
            """,
            (pattern, new, pattern, new, model),
        )
