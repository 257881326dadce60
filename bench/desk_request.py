"""The queue's three staff moves measured in-process: a counsellor's desk page, call next, issuing a ticket.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cite_bench_data .venv/bin/python bench/desk_request.py \\
        [--waiting 450] [--runs 60] [--sql] [--profile desk|call|issue]

Against the database bench/generate.py filled, with production settings (DEBUG off) and Django's test
client: a counsellor on duty at the first desk and a receptionist, the queue of that desk's areas
filled up to `--waiting` tickets first (untimed, as reception issues them). Each line gives the median time of
`--runs` requests, the queries one request runs and their own time (the rest is Python: middleware,
view, forms, templates). `--sql` lists one request's queries with their time; `--profile` prints where
one of the three spends its time (cProfile, cumulative). The first line, a bare view with the counsellor's
session (bench/urls.py), is the floor of any staff request. Between two calls the visitor called does not
come (a no-show, untimed), so the desk can call again.
"""

import argparse
import cProfile
import logging
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from common import production_env  # noqa: E402

if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL to the database bench/generate.py filled (never a test database).")
os.environ.update(
    production_env(os.environ["DATABASE_URL"], DJANGO_SETTINGS_MODULE="bench.settings", STATIC_MANIFEST="0")
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from cite.models import Area, User  # noqa: E402
from cite.roles import RECEPTION  # noqa: E402
from counselling import services as counselling  # noqa: E402
from counselling.models import CounsellorProfile  # noqa: E402
from reception import services  # noqa: E402
from reception.models import Desk, Duty, Ticket  # noqa: E402
from reception.selectors import area_plans  # noqa: E402


class Queries:
    """The queries run inside the block, each with its time in ms."""

    def __init__(self):
        self.run = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.run.append(((time.perf_counter() - started) * 1000, sql))

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def setup(waiting):
    Duty.objects.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    Ticket.objects.filter(status__in=Ticket.ACTIVE).update(status=Ticket.Status.CANCELLED, desk=None)
    areas = list(Area.objects.filter(is_active=True))
    profile = CounsellorProfile.objects.filter(user__email="bench-counsellor-0@example.org").first()
    if profile is None:
        sys.exit("Run bench/generate.py first: it creates the bench counsellors.")
    profile.areas.set(areas)
    desk = Desk.objects.filter(is_active=True).order_by("order").first()
    services.start_duty(user=profile.user, desk=desk)
    reception, _created = User.objects.get_or_create(
        email="bench-reception@example.org", defaults={"first_name": "Bench"}
    )
    reception.groups.add(Group.objects.get(name=RECEPTION))
    # The queue of the desk's own areas (the page lists its head and counts it; call next takes from it).
    served = list(desk.areas.all())
    today = timezone.localdate()
    missing = waiting - Ticket.objects.filter(day=today, status=Ticket.Status.WAITING, area__in=served).count()
    for index in range(max(0, missing)):
        services.issue_ticket(area=served[index % len(served)], issued_by=reception)
    return profile.user, desk, reception, areas


def measure(label, client, request, *, runs, between=None, sql=False, profile=None):
    for _warm in range(3):
        request(client)
        if between:
            between()
    with Queries() as one:
        response = request(client)
    if between:
        between()
    times = []
    profiler = cProfile.Profile() if profile else None
    for _index in range(runs):
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        request(client)
        if profiler:
            profiler.disable()
        times.append((time.perf_counter() - started) * 1000)
        if between:
            between()
    sql_ms = sum(ms for ms, _sql in one.run)
    print(
        f"| {label} | {response.status_code} | {len(one.run)} | {sql_ms:.1f} | {statistics.median(times):.1f} "
        f"| {len(response.content) // 1024} |",
        flush=True,
    )
    if sql:
        for ms, text in one.run:
            print(f"    {ms:7.2f} ms  {text[:400]}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, default=450, help="tickets waiting today before measuring")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--sql", action="store_true", help="list one request's queries")
    parser.add_argument("--profile", choices=["bare", "desk", "call", "session", "refused", "issue", "front"])
    parser.add_argument("--only", choices=["bare", "desk", "call", "session", "refused", "issue", "front"])
    options = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the refused form's 400s, expected

    counsellor, desk, reception, areas = setup(options.waiting)
    at_desk, at_reception = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    at_desk.force_login(counsellor)
    at_reception.force_login(reception)
    plans = area_plans(areas)
    closed = {area.pk for area in areas if plans.get(area.pk) and plans[area.pk].nobody_expected}
    chosen = iter(range(10**9))

    def free_desk():
        ticket = Ticket.objects.filter(desk=desk, status__in=Ticket.ACTIVE).first()
        if ticket:
            services.mark_no_show(ticket=ticket, desk=desk, by=counsellor)

    def issue(client):
        area = areas[next(chosen) % len(areas)].pk
        return client.post("/reception/", {"area": area, **({"confirm_area": area} if area in closed else {})})

    waiting = Ticket.objects.filter(
        day=timezone.localdate(), status=Ticket.Status.WAITING, area__in=desk.areas.all()
    ).count()
    print(f"load average {os.getloadavg()[0]:.1f}; {waiting} waiting at the desk's areas; {options.runs} runs each")
    print("| Request | Status | Queries | SQL ms | p50 ms | KB |")
    print("|---|---:|---:|---:|---:|---:|")
    lines = {
        "bare": ("bare Django view, staff session", at_desk, lambda c: c.get("/bench/bare"), None),
        "desk": (f"counsellor's desk page ({waiting} waiting)", at_desk, lambda c: c.get("/counselling/"), None),
        "call": (
            "call next (POST at a counsellor's desk)",
            at_desk,
            lambda c: c.post("/counselling/action/", {"action": "call-next"}),
            free_desk,
        ),
        "session": ("desk page, a session open", at_desk, lambda c: c.get("/counselling/"), None),
        "refused": (
            "session form refused (end before start: the desk page again)",
            at_desk,
            lambda c: c.post(f"/counselling/sessions/{session.pk}/save/", {"action": "save", **refused}),
            None,
        ),
        "issue": ("issue a ticket (POST at the front desk)", at_reception, issue, None),
        "front": (
            "front desk page (after issuing)",
            at_reception,
            lambda c: c.get(f"/reception/?issued={latest}"),
            None,
        ),
    }
    session = refused = latest = None
    for name, (label, client, request, between) in lines.items():
        if options.only and name != options.only:
            continue
        if name == "session":  # untimed: the next visitor called and received
            free_desk()
            ticket = counselling.call_next(desk=desk, counsellor=counsellor)
            session = counselling.start_session(ticket=ticket, desk=desk, counsellor=counsellor)
            refused = {"started_at": "2026-01-01T10:00", "ended_at": "2026-01-01T09:00"}
        if name == "front":  # the ticket issued last, as the front desk's redirect names it
            latest = Ticket.objects.filter(day=timezone.localdate()).order_by("-id").values_list("id", flat=True)[0]
        measure(
            label,
            client,
            request,
            runs=options.runs,
            between=between,
            sql=options.sql,
            profile=options.profile == name,
        )
    if session is not None:
        counselling.finish_session(session=session, by=counsellor)
    services.leave_desk(user=counsellor)


if __name__ == "__main__":
    main()
