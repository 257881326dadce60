"""Load benchmark over HTTP: the main pages served by gunicorn with production settings on PostgreSQL,
each with its requests/s and p50/p95 latency beside those of a bare Django view measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cite_bench_data .venv/bin/python bench/generate.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cite_bench_data .venv/bin/python bench/load.py \\
        [--port 8103] [--workers 3] [--concurrency 4] [--seconds 10] [--output bench/results/load.md]

It collects the static files (the manifest production uses), starts `gunicorn cite.wsgi`'s
application with DEBUG off, a secret key, ALLOWED_HOSTS=127.0.0.1 and no HTTPS redirect (loopback, no
TLS proxy), on 127.0.0.1 only, with one extra URL: `/bench/bare`, a view that returns a fixed string
through the whole middleware stack (bench/settings.py and bench/urls.py; production has no such URL).
Staff sessions are created in the database for bench accounts, and forms are posted with their CSRF
token as a browser does. Each measure runs `--concurrency` keep-alive clients for `--seconds` (or
its request cap) after a warm-up, and stops by itself; the bare view is measured first and last,
and the pages are compared with the mean of the two.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote_plus

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from common import Client, production_env, start_gunicorn, stop_process  # noqa: E402

if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL to the database bench/generate.py filled (never a test database).")
os.environ.update(production_env(os.environ["DATABASE_URL"]))
os.environ.setdefault("STATIC_MANIFEST", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from resources_bench import QUERIES  # noqa: E402

from cite.models import Area, User  # noqa: E402
from cite.roles import MANAGER, RECEPTION  # noqa: E402
from counselling.models import CounsellorProfile, Session  # noqa: E402
from reception import services  # noqa: E402
from reception.models import Desk, Duty, Ticket  # noqa: E402
from reception.selectors import area_plans  # noqa: E402
from resources.models import Record  # noqa: E402


def staff_session(email, role, *, totp=False):
    """A logged-in session in the database for a bench account (as the login form would leave it)."""
    user, _created = User.objects.get_or_create(email=email, defaults={"first_name": "Bench"})
    if role:
        user.groups.add(Group.objects.get(name=role))
    if totp:  # managers must have two-factor authentication set up (MFA_REQUIRED_GROUPS)
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return user, store.session_key


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


class Measure:
    def __init__(self, label, note=""):
        self.label, self.note = label, note
        self.latencies, self.errors, self.busy = [], [], []

    @property
    def rps(self):
        # Requests over the time the clients spent waiting for answers (not on untimed work between).
        return len(self.latencies) / statistics.mean(self.busy) if self.busy else 0.0

    @property
    def p50(self):
        return statistics.median(self.latencies) * 1000

    @property
    def p95(self):
        return percentile(self.latencies, 0.95) * 1000


def measure(label, clients, request, *, seconds, cap, expect=(200,), warm=10, between=None, note=""):
    """Each client (one thread) sends `request(client, n)` until `seconds` pass or `cap` requests are made."""
    result = Measure(label, note)
    lock = threading.Lock()
    count = [0]
    for client in clients:  # warm-up: imports, templates, caches, connections
        for n in range(max(1, warm // len(clients))):
            request(client, n)
            if between:
                between(client)

    def run(client):
        busy, latencies, errors = 0.0, [], []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with lock:
                if count[0] >= cap:
                    break
                count[0] += 1
                n = count[0]
            started = time.perf_counter()
            try:
                response = request(client, n)
                status = response.status
            except OSError as error:
                client.close()
                status = repr(error)
            elapsed = time.perf_counter() - started
            busy += elapsed
            latencies.append(elapsed)
            if status not in expect:
                errors.append(status)
            if between:
                between(client)
        with lock:
            result.latencies += latencies
            result.errors += errors
            result.busy.append(busy)
        if between:
            connection.close()  # the thread's own database connection, opened by `between`

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        f"  {label}: {len(result.latencies)} requests, {result.rps:.0f}/s, "
        f"p50 {result.p50:.1f} ms, p95 {result.p95:.1f} ms, {len(result.errors)} errors",
        flush=True,
    )
    if result.errors:
        print(f"    unexpected answers: {sorted(set(map(str, result.errors)))[:5]}")
    return result


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    import gunicorn

    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GiB RAM "
        f"(load average {os.getloadavg()[0]:.1f} at the start); PostgreSQL {postgres} on the same machine; "
        f"Python {platform.python_version()}, Django {django.get_version()}, gunicorn {gunicorn.__version__}"
    )


def volumes():
    today = timezone.localdate()
    return (
        f"{Ticket.objects.filter(day__lt=today).count():,} past visits, {Session.objects.count():,} sessions, "
        f"{Record.objects.count():,} library records"
    ).replace(",", " ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4, help="clients sending requests at once")
    parser.add_argument("--seconds", type=float, default=10, help="length of each measure")
    parser.add_argument("--cap", type=int, default=3000, help="most requests of each measure")
    parser.add_argument("--tickets", type=int, default=400, help="most tickets issued (today's queue)")
    parser.add_argument("--output", type=Path, help="also write the table (Markdown) to this file")
    parser.add_argument(
        "--queue-only", action="store_true", help="only the queue's pages (no library, statistics or OAI-PMH)"
    )
    options = parser.parse_args()

    print("collecting static files…", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"data: {volumes()}", flush=True)
    about = machine()
    areas = list(Area.objects.filter(is_active=True))
    _reception, reception_key = staff_session("bench-reception@example.org", RECEPTION)
    _manager, manager_key = staff_session("bench-manager@example.org", MANAGER, totp=True)

    # Counsellors at desks of their own, serving every area; nobody else on duty.
    # Left at a desk by an earlier run: a reset of the bench's data, not a move of the queue.
    Duty.objects.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    Ticket.objects.filter(status__in=Ticket.ACTIVE).update(status=Ticket.Status.CANCELLED, desk=None)
    desks = list(Desk.objects.filter(is_active=True).order_by("order"))[: options.concurrency]
    counsellors = []
    for index, desk in enumerate(desks):
        profile = CounsellorProfile.objects.filter(user__email=f"bench-counsellor-{index}@example.org").first()
        if profile is None:
            sys.exit("Run bench/generate.py first: it creates the bench counsellors.")
        profile.areas.set(areas)
        services.start_duty(user=profile.user, desk=desk)
        counsellors.append((profile.user, desk, staff_session(profile.user.email, None)[1]))

    env = production_env(os.environ["DATABASE_URL"], DJANGO_SETTINGS_MODULE="bench.settings", STATIC_MANIFEST="1")
    log_path = Path(tempfile.gettempdir()) / f"cite-load-gunicorn-{options.port}.log"
    gunicorn = start_gunicorn(env, options.port, workers=options.workers, log_path=log_path)
    print(f"gunicorn cite.wsgi ({options.workers} sync workers) on 127.0.0.1:{options.port}; log {log_path}")
    results = []
    try:
        port, n, seconds, cap = options.port, options.concurrency, options.seconds, options.cap

        def browsers(session_key=None, form=None):
            made = []
            for _index in range(n):
                client = Client(port)
                if session_key:
                    client.cookies["sessionid"] = session_key
                if form:
                    client.read_form(form)
                made.append(client)
            return made

        anonymous = browsers()
        bare = [
            measure("bare Django view (before)", anonymous, lambda c, i: c.get("/bench/bare"), seconds=seconds, cap=cap)
        ]
        # The display and the phone page send back the ETag of their last answer (display.js does, the
        # browser does for the phone's refresh): 304 while the queue has not moved. The lines "without
        # ETag" are a screen's first request of each state: the answer kept under the queue's version.
        results.append(
            measure(
                "display board poll",
                anonymous,
                lambda c, i: c.revalidate("/reception/display/state/"),
                seconds=seconds,
                cap=cap,
                expect=(200, 304),
            )
        )
        results.append(
            measure(
                "display board poll, without ETag",
                anonymous,
                lambda c, i: c.get("/reception/display/state/"),
                seconds=seconds,
                cap=cap,
            )
        )
        reception = browsers(reception_key, "/reception/")
        # On a day nobody is expected (the centre's closed days: the benchmark may run on a Sunday)
        # the front desk first asks to confirm; the receptionist's confirmation goes with the area.
        plans = area_plans(areas)
        closed = {area.pk for area in areas if plans.get(area.pk) and plans[area.pk].nobody_expected}

        def issue(client, _index):
            area = random.choice(areas).pk
            return client.post("/reception/", {"area": area, **({"confirm_area": area} if area in closed else {})})

        results.append(
            measure(
                "issue a ticket (POST at the front desk)",
                reception,
                issue,
                seconds=seconds,
                cap=options.tickets,
                expect=(302,),
            )
        )
        latest = Ticket.objects.filter(day=timezone.localdate()).order_by("-id").first()
        results.append(
            measure(
                "front desk page (after issuing)",
                reception,
                lambda c, i: c.get(f"/reception/?issued={latest.pk}"),
                seconds=seconds,
                cap=cap,
            )
        )
        waiting = list(
            Ticket.objects.filter(day=timezone.localdate(), status=Ticket.Status.WAITING).order_by("arrived_at")
        )
        if not waiting:
            sys.exit("no ticket waiting: cannot measure the phone page")
        middle = waiting[len(waiting) // 2]
        results.append(
            measure(
                f"visitor's phone page (position {len(waiting) // 2 + 1} of {len(waiting)})",
                anonymous,
                lambda c, i: c.get(f"/t/{middle.token}/"),
                seconds=seconds,
                cap=cap,
            )
        )
        results.append(
            measure(
                "visitor's phone page, 5-second refresh",
                anonymous,
                lambda c, i: c.revalidate(f"/t/{middle.token}/status/"),
                seconds=seconds,
                cap=cap,
                expect=(200, 304),
            )
        )
        results.append(
            measure(
                "visitor's phone page, 5-second refresh, without ETag",
                anonymous,
                lambda c, i: c.get(f"/t/{middle.token}/status/"),
                seconds=seconds,
                cap=cap,
            )
        )

        desk_clients = []
        for user, desk, key in counsellors:
            client = Client(port)
            client.cookies["sessionid"] = key
            client.read_form("/counselling/")
            client.user, client.desk = user, desk
            desk_clients.append(client)

        def free_desk(client):
            """Untimed: the visitor called does not come (no-show), so the desk can call again."""
            ticket = Ticket.objects.filter(desk=client.desk, status__in=Ticket.ACTIVE).first()
            if ticket:
                services.mark_no_show(ticket=ticket, desk=client.desk, by=client.user)

        still_waiting = Ticket.objects.filter(day=timezone.localdate(), status=Ticket.Status.WAITING).count()
        results.append(
            measure(
                f"counsellor's desk page ({still_waiting} waiting)",
                desk_clients,
                lambda c, i: c.get("/counselling/"),
                seconds=seconds,
                cap=cap,
                warm=n,
            )
        )
        staff_bare = browsers(reception_key)
        results.append(
            measure(
                "bare Django view, staff session",
                staff_bare,
                lambda c, i: c.get("/bench/bare"),
                seconds=seconds,
                cap=cap,
            )
        )
        still_waiting = Ticket.objects.filter(day=timezone.localdate(), status=Ticket.Status.WAITING).count()
        results.append(
            measure(
                "call next (POST at a counsellor's desk)",
                desk_clients,
                lambda c, i: c.post("/counselling/action/", {"action": "call-next"}),
                seconds=seconds,
                cap=max(1, still_waiting - 20),
                expect=(302,),
                between=free_desk,
                warm=n,
            )
        )
        if not options.queue_only:
            staff = browsers(reception_key)
            results.append(
                measure(
                    "catalogue search (staff, 20 queries)",
                    staff,
                    lambda c, i: c.get(f"/resources/records/?q={quote_plus(QUERIES[i % len(QUERIES)])}"),
                    seconds=seconds,
                    cap=cap,
                    warm=len(QUERIES),
                )
            )
            results.append(
                measure(
                    "public catalogue search",
                    anonymous,
                    lambda c, i: c.get(f"/resources/public/?q={quote_plus(QUERIES[i % len(QUERIES)])}"),
                    seconds=seconds,
                    cap=cap,
                    warm=len(QUERIES),
                )
            )
            try:
                dashboard = reverse("stats:dashboard")
            except NoReverseMatch:
                print("  statistics dashboard: skipped, /statistics/ (stats:dashboard) is not on this branch yet")
            else:
                from django.core.management import get_commands

                if "roll_up_statistics" in get_commands():  # what the nightly cron job prepares for the figures
                    started = time.perf_counter()
                    call_command("roll_up_statistics", verbosity=0)
                    print(f"  (nightly statistics rollup run first: {time.perf_counter() - started:.0f} s)")
                managers = browsers(manager_key)
                results.append(
                    measure(
                        "statistics dashboard",
                        managers,
                        lambda c, i: c.get(dashboard),
                        seconds=seconds,
                        cap=cap,
                        warm=n,
                    )
                )
            results.append(
                measure(
                    "OAI-PMH ListRecords (first 100 records)",
                    anonymous,
                    lambda c, i: c.get("/oai?verb=ListRecords&metadataPrefix=oai_dc"),
                    seconds=seconds,
                    cap=cap,
                )
            )
        bare.append(
            measure("bare Django view (after)", anonymous, lambda c, i: c.get("/bench/bare"), seconds=seconds, cap=cap)
        )
    finally:
        stop_process(gunicorn)
        for user, _desk, _key in counsellors:
            services.leave_desk(user=user)

    bare_rps = statistics.mean(m.rps for m in bare)
    bare_p50 = statistics.mean(m.p50 for m in bare)
    lines = [
        f"Machine: {about}.",
        f"Data: {volumes()}; today's queue as the run left it.",
        f"Server: gunicorn cite.wsgi, {options.workers} sync workers, production settings; "
        f"{options.concurrency} keep-alive clients on the same machine, {options.seconds:g} s per line.",
        "",
        "| What | Requests | Requests/s | p50 ms | p95 ms | Requests/s vs bare | p50 vs bare | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in bare[:1] + results + bare[1:]:
        lines.append(
            f"| {row.label} | {len(row.latencies)} | {row.rps:.0f} | {row.p50:.1f} | {row.p95:.1f} | "
            f"{row.rps / bare_rps:.0%} | {row.p50 / bare_p50:.1f}× | {len(row.errors)} |"
        )
    print()
    print("\n".join(lines))
    if options.output:
        options.output.parent.mkdir(parents=True, exist_ok=True)
        options.output.write_text("\n".join(lines) + "\n")
    sys.exit(1 if any(row.errors for row in results + bare) else 0)


if __name__ == "__main__":
    main()
