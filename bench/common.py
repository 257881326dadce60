"""What the benchmarks share: Django set up in-process on the benchmark's database, gunicorn with
production settings, and a small HTTP client.

The client is http.client with keep-alive (gunicorn's sync workers close each connection; the client
then opens the next one), a cookie jar and CSRF handled the way a browser does it. No extra library.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import warnings
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET_KEY = "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-not-for-production"


# What a benchmark running cite in its own process needs beside DATABASE_URL (the environment wins).
IN_PROCESS_ENV = {
    "DJANGO_SETTINGS_MODULE": "cite.settings",
    "SECRET_KEY": SECRET_KEY,
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "STATIC_MANIFEST": "0",
    "MFA_REQUIRED_GROUPS": "",
    "LOG_LEVEL": "WARNING",
}


def setup_django():
    """Set Django up in this process with cite's settings and IN_PROCESS_ENV's defaults, before a
    benchmark imports models. DATABASE_URL names the benchmark's own database (it gets filled)."""
    sys.path.insert(0, str(ROOT))
    for name, value in IN_PROCESS_ENV.items():
        os.environ.setdefault(name, value)
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, before collectstatic
    import django

    django.setup()


def production_env(database_url, **extra):
    """The environment of a production deployment on loopback: DEBUG off, a secret key, one allowed
    host, no HTTPS redirect (there is no TLS proxy in front of a loopback benchmark)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "PYTEST", "SECURE_", "STATIC_MANIFEST", "MFA_"))
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="cite.settings",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args, **kwargs):
    """Run manage.py with `env`; return its output."""
    return subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    ).stdout


def start_gunicorn(env, port, *, workers=3, log_path, timeout=30):
    """`gunicorn cite.wsgi` as in production (sync workers), bound to loopback; waits for /healthz."""
    log = open(log_path, "w")  # noqa: SIM115 (kept open for the server's lifetime)
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cite.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--no-control-socket",  # its default path is shared by every gunicorn of the machine
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log_path}")
        try:
            if Client(port).get("/healthz").status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop_process(process)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {log_path}")


def stop_process(process, timeout=10):
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def location(self):
        return self.headers.get("location", "")


class Client:
    """One browser: a keep-alive connection, its cookies, and the CSRF token of the last form it read."""

    def __init__(self, port, *, timeout=30, language="fr"):
        self.port = port
        self.timeout = timeout
        self.cookies = {}
        self.csrf = None
        self.language = language
        self.connection = None

    def _connection(self):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self.connection

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method, path, body=None, headers=None):
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": self.language, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        for attempt in (1, 2):
            connection = self._connection()
            try:
                connection.request(method, path, body=body, headers=headers)
                raw = connection.getresponse()
                data = raw.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed the kept-alive connection before this request was sent (gunicorn's
                # sync workers close after each response): once on a fresh connection.
                self.close()
                if attempt == 2 or method != "GET":
                    raise
        response_headers = {name.lower(): value for name, value in raw.getheaders()}
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        if response_headers.get("connection", "").lower() == "close" or raw.will_close:
            self.close()
        return Response(raw.status, response_headers, data)

    def get(self, path):
        return self.request("GET", path)

    def revalidate(self, path):
        """A GET as a browser repeats it: with the ETag of its last answer (If-None-Match), kept per path."""
        etags = self.__dict__.setdefault("etags", {})
        response = self.request("GET", path, headers={"If-None-Match": etags[path]} if path in etags else None)
        if "etag" in response.headers:
            etags[path] = response.headers["etag"]
        return response

    def post(self, path, fields):
        """A form post with the CSRF token (as a browser sends it: the form field and the Origin)."""
        body = urlencode({"csrfmiddlewaretoken": self.csrf or "", **fields})
        return self.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{self.port}",
            },
        )

    def read_form(self, path):
        """GET a page with a form and keep its CSRF token; returns the response."""
        response = self.get(path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.body)
        if found:
            self.csrf = found.group(1).decode()
        return response

    def log_in(self, email, password):
        """Through the real login form (allauth), as a person would."""
        self.read_form("/accounts/login/")
        response = self.post("/accounts/login/", {"login": email, "password": password})
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {email} failed: {response.status} {response.body[:300]!r}")
        return response


def path_of(location):
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")
