"""Production settings: safe by default, `check --deploy` clean, headers on every response."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "k2m3#Vq8!zR7pL0wYx4&Nc6tBf1uHj9eDs5aGo-Ti2=Wl8rPe3y",
    "ALLOWED_HOSTS": "cite.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cite.example.org",
}


def manage(*args, **env_changes):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({name: value for name, value in env_changes.items() if value is not None})
    for name in [name for name, value in env_changes.items() if value is None]:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="cite.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_a_database_url_and_starts_no_server(tmp_path):
    """No private PostgreSQL inside the checkout behind the operator's back: a clear stop instead."""
    pgdata = tmp_path / "pgdata"
    for command in (["check"], ["migrate", "--noinput"]):
        result = manage(*command, **PRODUCTION, DATABASE_URL=None, EMBEDDED_POSTGRES=None, CITE_PGDATA=str(pgdata))
        assert result.returncode != 0
        assert "DATABASE_URL is not set" in result.stderr
        assert not pgdata.exists()  # no data folder made, no server started


def test_the_embedded_server_starts_at_the_first_connection_not_when_settings_are_read(tmp_path):
    pgdata = tmp_path / "pgdata"
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = manage("shell", "-c", code, DEBUG="1", DATABASE_URL=None, CITE_PGDATA=str(pgdata))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "cite.embedded_backend"
    assert not pgdata.exists()


def test_debug_is_off_unless_asked_for():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


@pytest.mark.django_db
def test_responses_carry_a_strict_content_security_policy_and_other_headers(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style():
    """A strict CSP is only possible if no template carries inline script, style or handlers."""
    import re

    offenders = []
    for template in ROOT.glob("templates/**/*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=\"|\son[a-z]+=\"", text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def production_settings(*names):
    code = "from django.conf import settings; import json; print(json.dumps({n: getattr(settings, n) for n in %r}))"
    result = manage("shell", "-c", code % (names,), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_and_keeps_cookies_to_https():
    values = production_settings(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] is True


SECURE = {"wsgi.url_scheme": "https"}


@pytest.mark.django_db
def test_https_responses_carry_hsts_and_cookies_marked_secure(client, settings, back_office):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.cookies["csrftoken"]["secure"] is True
    response = client.post(
        "/accounts/login/", {"login": back_office.email, "password": "a-long-test-password-42"}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True and session["samesite"] == "Lax"


@pytest.mark.django_db
def test_plain_http_is_sent_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200  # the proxy's probe stays on plain HTTP


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/resources/public/", "/reception/display/", "/oai?verb=Identify", "/no-such-page/"]
)
def test_every_kind_of_page_is_framed_by_nobody_and_runs_no_inline_code(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_the_admin_keeps_the_same_strict_policy(client, back_office):
    client.force_login(back_office)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
