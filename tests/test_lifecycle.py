"""omnichannel_crm installs on its own, uninstalls cleanly and reinstalls, logging no warning."""

import pytest

from .odoo_process import drop_database, odoo_bin, problems, run_in_odoo

DB = "omnichannel_lifecycle"

MODULE_STATES = """
mods = env["ir.module.module"].search([("name", "like", "omnichannel_%")])
print(sorted((m.name, m.state) for m in mods))
"""


@pytest.fixture(scope="module")
def lifecycle_db():
    drop_database(DB)
    yield DB
    drop_database(DB)


def test_crm_installs_alone_uninstalls_and_reinstalls(lifecycle_db):
    log = odoo_bin("-d", lifecycle_db, "-i", "omnichannel_crm")
    assert problems(log) == []
    out, _err = run_in_odoo(lifecycle_db, MODULE_STATES)
    assert "('omnichannel_crm', 'installed')" in out
    assert "('omnichannel_sms', 'installed')" not in out
    assert "('omnichannel_wechat', 'installed')" not in out

    out, err = run_in_odoo(
        lifecycle_db,
        """
        crm = env["ir.module.module"].search([("name", "=", "omnichannel_crm")])
        crm.button_immediate_uninstall()
        env.cr.execute(
            "SELECT count(*) FROM information_schema.columns"
            " WHERE table_name = 'res_company' AND column_name = 'omnichannel_default_team_id'"
        )
        print("columns", env.cr.fetchone()[0])
        print("groups", env["ir.model.data"].search_count([("module", "=", "omnichannel_crm")]))
        """,
        # Odoo uninstalls no server-wide module: an admin takes it out of them first.
        options=["--load=base,web"],
    )
    assert "columns 0" in out, "the addon's columns are dropped on uninstall"
    assert "groups 0" in out, "the addon's records are removed on uninstall"
    assert problems(err) == []
    out, _err = run_in_odoo(lifecycle_db, MODULE_STATES)
    assert "('omnichannel_crm', 'uninstalled')" in out

    log = odoo_bin("-d", lifecycle_db, "-i", "omnichannel_crm")
    assert problems(log) == []
    out, _err = run_in_odoo(lifecycle_db, MODULE_STATES)
    assert "('omnichannel_crm', 'installed')" in out
