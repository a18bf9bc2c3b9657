"""The setup scripts refuse clearly, and create nothing, when Odoo 18.0 is not where they look."""

import os
import signal
import subprocess
import time
import urllib.request
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


def _processes_mentioning(text):
    """PIDs of the running processes whose command line mentions `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="ignore")
        except OSError:
            continue
        if text in command:
            found.append(int(entry.name))
    return found


def test_sigterm_stops_odoo_and_the_cluster_that_run_started():
    # A cluster of its own (own folder and port), reachable by the postgres user like the suite's.
    run_dir = Path(os.environ.get("OMNI_RUN_DIR", REPO / ".run")) / "sigterm-run"
    subprocess.run(["rm", "-rf", str(run_dir)], check=True)
    port, pg_port = "8669", "55499"
    env = dict(os.environ, OMNI_RUN_DIR=str(run_dir), OMNI_HTTP_PORT=port, OMNI_PG_PORT=pg_port)
    env.pop("OMNI_VENV", None)
    process = subprocess.Popen(
        [str(REPO / "setup" / "run"), "--workers=0", "--max-cron-threads=0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(600):  # bounded: the install takes about a minute
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health", timeout=5):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("setup/run did not serve Odoo")
        odoo_pids = _processes_mentioning(str(run_dir / "odoo.conf"))
        cluster_pids = _processes_mentioning(str(run_dir / "postgresql" / "data"))
        assert odoo_pids and cluster_pids
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
        for _attempt in range(100):
            left = [pid for pid in odoo_pids + cluster_pids if Path(f"/proc/{pid}").exists()]
            if not left:
                break
            time.sleep(0.2)
        assert not left, f"processes left running after SIGTERM: {left}"
    finally:
        if process.poll() is None:
            process.kill()
        subprocess.run([str(REPO / "setup" / "stop")], env=env, capture_output=True, check=False)
        subprocess.run(["rm", "-rf", str(run_dir)], check=False)
