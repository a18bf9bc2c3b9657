"""The setup scripts refuse clearly, and create nothing, when Odoo 18.0 is not where they look."""

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(script, tmp_path, odoo_src):
    env = dict(os.environ, ODOO_SRC=str(odoo_src), OMNI_RUN_DIR=str(tmp_path / "run"))
    env.pop("OMNI_VENV", None)
    return subprocess.run(
        [str(REPO / "setup" / script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_odoo_source_is_a_clear_error(tmp_path):
    for script in ("run", "test"):
        result = _run(script, tmp_path, "/nonexistent")
        assert result.returncode != 0
        assert "no Odoo 18.0 source tree at ODOO_SRC=/nonexistent" in result.stderr
        assert "ODOO_SRC" in result.stderr and "18.0" in result.stderr
        assert "Nothing was created" in result.stderr
        assert not (tmp_path / "run").exists(), "nothing may be half-created"


def test_other_odoo_version_is_refused(tmp_path):
    fake = tmp_path / "odoo17"
    (fake / "odoo").mkdir(parents=True)
    (fake / "odoo-bin").write_text("")
    (fake / "odoo" / "release.py").write_text("version_info = (17, 0, 0, FINAL, 0, '')\n")
    result = _run("test", tmp_path, fake)
    assert result.returncode != 0
    assert f"no Odoo 18.0 source tree at ODOO_SRC={fake}" in result.stderr
    assert not (tmp_path / "run").exists()
