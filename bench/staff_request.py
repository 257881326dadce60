"""The fixed cost of a staff request: queries and time before the view, per session backend.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cite_bench_data .venv/bin/python bench/staff_request.py

In-process (Django's test client, production settings plus the bench's bare view), against the
database bench/generate.py filled: a receptionist's session, then 300 requests each of the bare view
(`/bench/bare`, which asks for nothing) and of the live queue's partial (`/reception/queue/`, one
permission check), for each session backend Django offers that needs no other server.
"""

import os
import statistics
import sys
import time
from importlib import import_module
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from common import production_env  # noqa: E402

if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL to the database bench/generate.py filled (never a test database).")
os.environ.update(production_env(os.environ["DATABASE_URL"], DJANGO_SETTINGS_MODULE="bench.settings"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from cite.models import User  # noqa: E402
from cite.roles import RECEPTION  # noqa: E402

ENGINES = [
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",  # the cache is the database's table (CACHES)
    "django.contrib.sessions.backends.signed_cookies",
]


def session_cookie(engine, user):
    store = import_module(engine).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if engine.endswith("signed_cookies"):
        store.save()  # the session is the cookie itself
    else:
        store.create()
    return store.session_key


def timed(client, path, runs=300):
    client.get(path)  # warm
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(path)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries), statistics.median(times) * 1000


def main():
    user, _created = User.objects.get_or_create(email="bench-reception@example.org", defaults={"first_name": "Bench"})
    user.groups.add(Group.objects.get(name=RECEPTION))
    print(f"load average {os.getloadavg()[0]:.1f}; {settings.DATABASES['default']['NAME']}")
    print("| Session backend | Request | Queries | p50 ms |")
    print("|---|---|---:|---:|")
    anonymous = Client(HTTP_HOST="127.0.0.1")
    count, p50 = timed(anonymous, "/bench/bare")
    print(f"| none (anonymous) | bare view | {count} | {p50:.2f} |")
    for engine in ENGINES:
        with override_settings(SESSION_ENGINE=engine):
            client = Client(HTTP_HOST="127.0.0.1")
            client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie(engine, user)
            for label, path in (("bare view", "/bench/bare"), ("live queue partial", "/reception/queue/")):
                count, p50 = timed(client, path)
                print(f"| `{engine.rsplit('.', 1)[1]}` | {label} | {count} | {p50:.2f} |")


if __name__ == "__main__":
    main()
