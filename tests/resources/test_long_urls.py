"""OAI-PMH behind the documented production server: gunicorn with the configuration cite ships accepts
request lines up to 8 KB, so a long resumption token gets OAI-PMH's badResumptionToken, not an HTML 414."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from tests.resources.provider import ROOT, database_url, free_port

pytestmark = pytest.mark.django_db


def gunicorn(*config):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict, connection.settings_dict["NAME"]),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *config, "--bind", f"127.0.0.1:{port}", "--workers", "1", "cite.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process, port
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


TOKEN = "x" * 7000  # a 7 KB token: over gunicorn's default request line, under 8 KB


@pytest.mark.parametrize(
    ("config", "expected"),
    [(["--config", "gunicorn.conf.py"], 200), (["--config", "/dev/null"], 414)],
    ids=["shipped-config", "gunicorn-defaults"],
)
def test_a_long_resumption_token_gets_an_oai_pmh_error_through_the_production_server(config, expected):
    process, port = gunicorn(*config)
    try:
        status, body = get(port, f"/oai?verb=ListRecords&resumptionToken={TOKEN}")
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert status == expected  # the defaults are the control: they show the test can fail
    if expected == 200:
        assert 'code="badResumptionToken"' in body
