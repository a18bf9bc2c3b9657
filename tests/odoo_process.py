"""Drive a separate Odoo process from repository tests: install, uninstall and inspect
databases other than the one pytest-odoo runs in. Reads the environment that setup/test exports."""

import configparser
import os
import re
import subprocess
import textwrap
import time
from contextlib import closing

import psycopg2

from odoo import api, sql_db

ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo18")
ODOO_CONF = os.environ.get("OMNI_ODOO_CONF", "")
VENV_PY = os.environ.get("OMNI_VENV_PY", "")
# Lines Odoo logs at WARNING or above: each one is an install problem.
PROBLEM_LINE = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)


def db_params():
    parser = configparser.ConfigParser()
    parser.read(ODOO_CONF)
    opts = parser["options"]
    return {
        "host": opts["db_host"],
        "port": opts["db_port"],
        "user": opts["db_user"],
        "password": opts["db_password"],
    }


def drop_database(name):
    with closing(psycopg2.connect(dbname="postgres", **db_params())) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def odoo_bin(*args, timeout=900):
    """Run odoo-bin with the project's config; return its log, fail on a non-zero exit."""
    result = subprocess.run(
        [VENV_PY, os.path.join(ODOO_SRC, "odoo-bin"), "-c", ODOO_CONF, "--stop-after-init", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, (
        f"odoo-bin {' '.join(args)} exited {result.returncode}:\n{log[-4000:]}"
    )
    return log


def problems(log):
    return [line for line in log.splitlines() if PROBLEM_LINE.match(line)]


def odoo_script(db, code, options=()):
    """A Python program running `code` with `env` (superuser) bound on `db`, committed at the end;
    `options` are odoo-bin options over the configuration file's."""
    return textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {ODOO_SRC!r})
        import odoo
        odoo.tools.config.parse_config(["-c", {ODOO_CONF!r}, "-d", {db!r}, *{list(options)!r}])
        with odoo.modules.registry.Registry({db!r}).cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {{}})
        """
    ) + textwrap.indent(textwrap.dedent(code), " " * 4)


def run_in_odoo(db, code, timeout=600, options=()):
    """Run Python code with `env` (superuser) bound, commit, and return what it prints."""
    result = subprocess.run(
        [VENV_PY, "-c", odoo_script(db, code, options)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"script failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    return result.stdout, result.stderr


def start_in_odoo(db, code):
    """Start Python code with `env` bound in its own process (to be killed, waited for...)."""
    return subprocess.Popen(
        [VENV_PY, "-c", odoo_script(db, code)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# Bounded polling of another process's progress (not a performance limit: a stuck run fails).
POLL_ROUNDS, POLL_PAUSE = 600, 0.2


def committed(database, work):
    """`work(env)` in a transaction of its own on `database`, committed: what other processes see."""
    with sql_db.db_connect(database).cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        result = work(env)
        env.flush_all()
        cr.commit()
        return result


class CommittedWork:
    """For tests that watch other processes: work in transactions of their own, committed, that
    the other processes see (the test's own transaction is invisible to them)."""

    def _committed(self, work):
        return committed(self.env.cr.dbname, work)

    def _wait_for(self, condition, what):
        for _round in range(POLL_ROUNDS):
            if self._committed(condition):
                return
            time.sleep(POLL_PAUSE)
        self.fail(f"gave up waiting for {what}")


def backends_waiting_on_lock(cr, db, table):
    """How many sessions on `db` wait for a lock in a statement on `table`."""
    cr.execute(
        """
        SELECT count(*) FROM pg_stat_activity
         WHERE datname = %s AND wait_event_type = 'Lock' AND query ILIKE %s
        """,
        (db, f"%{table}%"),
    )
    return cr.fetchone()[0]


class OdooServer:
    """A real Odoo server with HTTP workers on `database`, for tests and benchmarks that need
    concurrent requests; its log goes to `log_file`."""

    def __init__(self, database, port, log_file, workers=2, cron_workers=0):
        self.database = database
        self.port = port
        self.log_file = log_file
        self.workers = workers
        # Cron workers run the inbound pipeline's lanes; 0 leaves stored events unprocessed.
        self.cron_workers = cron_workers
        self.process = None
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self):
        import requests  # noqa: PLC0415 -- only the callers that start a server need it

        os.makedirs(os.path.dirname(self.log_file), exist_ok=True)
        self.process = subprocess.Popen(
            [
                VENV_PY,
                os.path.join(ODOO_SRC, "odoo-bin"),
                "-c",
                ODOO_CONF,
                "-d",
                self.database,
                f"--workers={self.workers}",
                f"--max-cron-threads={self.cron_workers}",
                f"--http-port={self.port}",
                "--gevent-port=0",
                "--log-level=warn",
                f"--logfile={self.log_file}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(60):
            try:
                if requests.get(f"{self.url}/web/health", timeout=10).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.5)
        self.__exit__(None, None, None)
        raise RuntimeError(f"Odoo did not start on port {self.port}; see {self.log_file}")

    def __exit__(self, *_exc):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)
