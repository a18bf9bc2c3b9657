"""Each addon builds as an OCA-style wheel (odoo-addon-<name>, built with whool) that installs the
addon under odoo/addons/ in a fresh virtualenv, with its data, views, translations and tests."""

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ADDONS = ("omnichannel_crm", "omnichannel_livechat", "omnichannel_sms", "omnichannel_wechat")


def _pip(python, *args):
    result = subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_addons_build_and_install_as_wheels(tmp_path):
    dist = tmp_path / "dist"
    for addon in ADDONS:
        # whool comes from the project's requirements: no download while building.
        _pip(sys.executable, "wheel", "--no-deps", "--no-build-isolation", "-w", dist, REPO / addon)
    wheels = sorted(dist.glob("*.whl"))
    assert [wheel.name.split("-")[0] for wheel in wheels] == [f"odoo_addon_{a}" for a in ADDONS]
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            requires = archive.read(metadata).decode()
        assert "Requires-Dist: odoo==18.0.*" in requires or "Requires-Dist: odoo>=18.0" in requires
    subprocess.run([sys.executable, "-m", "venv", tmp_path / "venv"], check=True, timeout=120)
    python = tmp_path / "venv" / "bin" / "python"
    _pip(python, "install", "--no-deps", "--no-index", *wheels)
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    for addon, shipped in (
        ("omnichannel_crm", ("__manifest__.py", "i18n/zh_CN.po", "i18n_extra/zh_CN.po")),
        ("omnichannel_crm", ("data/neutralize.sql", "views/helpdesk_ticket_views.xml")),
        ("omnichannel_sms", ("__manifest__.py", "data/neutralize.sql", "tests/__init__.py")),
        ("omnichannel_wechat", ("__manifest__.py", "tools/client.py", "tests/platform.py")),
        ("omnichannel_livechat", ("__manifest__.py", "static/src/channel_commands.js")),
    ):
        for path in shipped:
            assert (site / "odoo" / "addons" / addon / path).is_file(), f"{addon}/{path}"
