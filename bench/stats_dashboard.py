"""Benchmark of the statistics dashboard at the size of a very large Cité: one million visits in a year.

Run against a database of its own (it fills it), for example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cite_stats_bench \\
        .venv/bin/python bench/stats_dashboard.py --visits 1000000

It migrates, then (once; kept for the next run, --refill to start again) writes the visits of last
calendar year with COPY: tickets with their anonymous profile and times, and their events (issued,
called, started, finished, no-show, cancelled), then a counselling session for every visit served
with its topics, occupations explored (the ESCO reference of ../shared/data/esco when present),
documents handed and referrals, written by the database itself. It runs the nightly rollup (`roll_up_statistics`), then
prints the median and 95th percentile of the dashboard's figures for the year, a month, a week and
a day (the database work alone) and of the whole page (Django test client: figures, charts and
rendering), with the number of SQL queries. --live measures the same without the rollup (every day
counted from the tickets, as before the first nightly run), inside a transaction rolled back after.
"""

import argparse
import datetime
import io
import random
import statistics
import sys
import time

from common import setup_django

setup_django()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cite import demo as cite_demo  # noqa: E402
from cite.models import Area, User  # noqa: E402
from cite.roles import MANAGER  # noqa: E402
from partners.models import Institution  # noqa: E402
from reception import demo as reception_demo  # noqa: E402
from reception.models import Desk, Ticket  # noqa: E402
from stats import figures  # noqa: E402
from stats.periods import Period  # noqa: E402
from stats.services import roll_up_closed_days  # noqa: E402

MANAGER_EMAIL = "bench-manager@example.org"
# Arrivals by hour of the day (9:00 to 17:59), heavier late morning and early afternoon.
HOUR_WEIGHTS = {9: 8, 10: 14, 11: 14, 12: 8, 13: 10, 14: 14, 15: 13, 16: 11, 17: 8}
AREA_WEIGHTS = [5, 4, 6, 3, 2, 1]


def working_days(year):
    day = datetime.date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5 or (day.weekday() == 5 and day.isocalendar().week % 2 == 0):  # every other Saturday
            yield day
        day += datetime.timedelta(days=1)


def reference_data():
    """Areas, desks and profile lists, read before COPY starts (the connection is busy during COPY)."""
    areas = list(Area.objects.order_by("order"))
    desks = list(Desk.objects.prefetch_related("areas"))
    desks_by_area = {area.pk: [d.pk for d in desks if area in d.areas.all()] or [d.pk for d in desks] for area in areas}
    lists = [list(model.objects.values_list("pk", flat=True)) for model in reception_demo.PROFILE_LISTS]
    return areas, desks_by_area, lists


def ticket_rows(year, visits, rng, reference):
    """Tab-separated rows for COPY into reception_ticket, spread over the working days of `year`."""
    tz = timezone.get_current_timezone()
    areas, desks_by_area, lists = reference
    days = list(working_days(year))
    per_day, extra = divmod(visits, len(days))
    hours, hour_weights = list(HOUR_WEIGHTS), list(HOUR_WEIGHTS.values())
    weights = AREA_WEIGHTS[: len(areas)]
    serial = 0
    for index, day in enumerate(days):
        numbers = dict.fromkeys((a.pk for a in areas), 0)
        for _visit in range(per_day + (1 if index < extra else 0)):
            serial += 1
            area = rng.choices(areas, weights)[0]
            numbers[area.pk] += 1
            number = numbers[area.pk]
            hour = rng.choices(hours, hour_weights)[0]
            arrived = datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60), rng.randrange(60)), tz)
            walk_in = rng.random() < 0.03
            roll = rng.random()
            status = "cancelled" if roll < 0.04 else "no_show" if roll < 0.10 else "done"
            called = started = finished = None
            desk = rng.choice(desks_by_area[area.pk])
            if walk_in:
                status, called, started = "done", arrived, arrived
            elif status != "cancelled" or rng.random() < 0.3:
                called = arrived + datetime.timedelta(seconds=rng.randint(60, 75 * 60))
                started = called + datetime.timedelta(seconds=rng.randint(20, 180))
            if status == "done":
                finished = started + datetime.timedelta(seconds=rng.randint(6 * 60, 40 * 60))
            elif status == "no_show":
                started, finished = None, called + datetime.timedelta(minutes=3)
            else:  # cancelled: left before being served
                started, desk = None, None
            profile = [str(rng.choice(items)) if items and rng.random() < 0.85 else r"\N" for items in lists]
            first = rng.random()
            yield (
                "\t".join(
                    [
                        day.isoformat(),
                        str(number),
                        f"{area.letter}-{number:03d}",
                        status,
                        arrived.isoformat(),
                        called.isoformat() if called else r"\N",
                        started.isoformat() if started else r"\N",
                        finished.isoformat() if finished else r"\N",
                        "1" if called else "0",
                        f"bench-{year}-{serial}",
                        "t" if first < 0.55 else "f" if first < 0.92 else r"\N",
                        str(area.pk),
                        str(desk) if desk else r"\N",
                        str(area.pk),
                        "t" if walk_in else "f",
                        *profile,
                    ]
                )
                + "\n"
            )


# The profile columns come in the order of reception.demo.PROFILE_LISTS (age band, situation, gender, zone, heard from).
TICKET_COLUMNS = (
    "day, number, code, status, arrived_at, called_at, started_at, finished_at, call_count, token, first_visit, "
    "area_id, desk_id, issued_area_id, walk_in, age_band_id, situation_id, gender_id, residence_zone_id, heard_from_id"
)

# The events each ticket's times imply, written by the database from the tickets themselves.
EVENTS_SQL = """
INSERT INTO reception_ticketevent (ticket_id, kind, at, from_status, to_status, to_area_id, desk_id)
SELECT id, 'issued', arrived_at, '', 'waiting', area_id, NULL FROM reception_ticket
 WHERE day BETWEEN %(start)s AND %(end)s
UNION ALL
SELECT id, 'called', called_at, 'waiting', 'called', NULL, desk_id FROM reception_ticket
 WHERE day BETWEEN %(start)s AND %(end)s AND called_at IS NOT NULL AND NOT walk_in
UNION ALL
SELECT id, 'started', started_at, 'called', 'serving', NULL, desk_id FROM reception_ticket
 WHERE day BETWEEN %(start)s AND %(end)s AND started_at IS NOT NULL
UNION ALL
SELECT id, 'finished', finished_at, 'serving', 'done', NULL, desk_id FROM reception_ticket
 WHERE day BETWEEN %(start)s AND %(end)s AND status = 'done'
UNION ALL
SELECT id, 'no_show', finished_at, 'called', 'no_show', NULL, desk_id FROM reception_ticket
 WHERE day BETWEEN %(start)s AND %(end)s AND status = 'no_show'
UNION ALL
SELECT id, 'cancelled', COALESCE(called_at, arrived_at) + interval '10 minutes', 'waiting', 'cancelled', NULL, NULL
  FROM reception_ticket WHERE day BETWEEN %(start)s AND %(end)s AND status = 'cancelled'
"""


def generate(year, visits, refill):
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    existing = Ticket.objects.filter(day__range=(start, end)).count()
    if existing == visits and not refill:
        from counselling.models import Session

        if not Session.objects.filter(ticket__day__range=(start, end)).exists():
            started = time.perf_counter()
            write_sessions(start, end)
            print(f"sessions written in {time.perf_counter() - started:.0f} s")
        print(f"{existing:,} visits of {year} already there; {roll_up_closed_days()} day(s) rolled up")
        return
    cite_demo.create_staff()
    cite_demo.create_areas()
    _reference_lists()
    manager, _created = User.objects.get_or_create(email=MANAGER_EMAIL, defaults={"first_name": "Bench"})
    manager.groups.set([Group.objects.get(name=MANAGER)])
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM reception_ticketevent WHERE ticket_id IN "
            "(SELECT id FROM reception_ticket WHERE day BETWEEN %s AND %s)",
            [start, end],
        )
        for table in (
            "counselling_session_topics",
            "counselling_session_occupations",
            "counselling_session_occupation_groups",
            "counselling_session_documents",
            "counselling_referral",
        ):
            cursor.execute(
                f"DELETE FROM {table} WHERE session_id IN (SELECT s.id FROM counselling_session s "
                "JOIN reception_ticket t ON t.id = s.ticket_id WHERE t.day BETWEEN %s AND %s)",
                [start, end],
            )
        cursor.execute(
            "DELETE FROM counselling_session WHERE ticket_id IN "
            "(SELECT id FROM reception_ticket WHERE day BETWEEN %s AND %s)",
            [start, end],
        )
        cursor.execute("DELETE FROM reception_ticket WHERE day BETWEEN %s AND %s", [start, end])
        rng = random.Random(2026)
        reference = reference_data()
        buffer = io.StringIO()
        written = 0
        with cursor.cursor.copy(f"COPY reception_ticket ({TICKET_COLUMNS}) FROM STDIN") as copy:
            for row in ticket_rows(year, visits, rng, reference):
                buffer.write(row)
                written += 1
                if written % 50_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
                    print(f"  {written:,} visits", end="\r", flush=True)
            copy.write(buffer.getvalue())
        print(f"{written:,} visits written in {time.perf_counter() - started:.0f} s")
        cursor.execute(EVENTS_SQL, {"start": start, "end": end})
        print(f"{cursor.rowcount:,} events written ({time.perf_counter() - started:.0f} s in all)")
    write_sessions(start, end)
    print(f"sessions written ({time.perf_counter() - started:.0f} s in all)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reception_ticket")
        cursor.execute("VACUUM ANALYZE reception_ticketevent")
    started = time.perf_counter()
    rolled = roll_up_closed_days(since=start)
    print(f"rollup: {rolled} days in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        for table in ("stats_dailycount", "stats_dailyduration", "stats_monthlyduration", "stats_rolledday"):
            cursor.execute(f"VACUUM ANALYZE {table}")


# One session per visit served, by one of the counsellors and their institution; one or two topics;
# occupations drawn with a long tail (a few asked about often, most rarely), a quarter of visits
# exploring none and one in twenty an ISCO group; a document for a third; a referral for a quarter.
SESSIONS_SQL = """
INSERT INTO counselling_session (ticket_id, counsellor_id, institution_id, area_id, desk_id, started_at, ended_at,
                                 information_given, outcome, next_steps, note)
SELECT t.id, c.ids[1 + mod(t.id, array_length(c.ids, 1))], i.ids[1 + mod(t.id, array_length(i.ids, 1))],
       t.area_id, t.desk_id, t.started_at, t.finished_at, '',
       (ARRAY['yes', 'yes', 'partly', 'no', ''])[1 + floor(random() * 5)::int], '', ''
  FROM reception_ticket t,
       (SELECT array_agg(u.id) AS ids FROM cite_user u JOIN cite_user_groups ug ON ug.user_id = u.id
          JOIN auth_group g ON g.id = ug.group_id WHERE g.name = 'Counsellor') c,
       (SELECT array_agg(id) AS ids FROM partners_institution) i
 WHERE t.day BETWEEN %(start)s AND %(end)s AND t.status = 'done';
INSERT INTO counselling_session_topics (session_id, topic_id)
SELECT DISTINCT s.id, tp.ids[1 + floor(random() * array_length(tp.ids, 1))::int]
  FROM counselling_session s JOIN reception_ticket t ON t.id = s.ticket_id,
       (SELECT array_agg(id) AS ids FROM counselling_topic) tp, generate_series(1, 2) AS n
 WHERE t.day BETWEEN %(start)s AND %(end)s AND (n = 1 OR random() < 0.4);
INSERT INTO counselling_session_occupations (session_id, occupation_id)
SELECT DISTINCT s.id, o.ids[1 + floor(array_length(o.ids, 1) * power(random(), 4))::int]
  FROM counselling_session s JOIN reception_ticket t ON t.id = s.ticket_id,
       (SELECT array_agg(id ORDER BY id) AS ids FROM resources_occupation) o, generate_series(1, 2) AS n
 WHERE t.day BETWEEN %(start)s AND %(end)s AND random() < (CASE WHEN n = 1 THEN 0.75 ELSE 0.3 END);
INSERT INTO counselling_session_occupation_groups (session_id, iscogroup_id)
SELECT s.id, g.ids[1 + floor(random() * array_length(g.ids, 1))::int]
  FROM counselling_session s JOIN reception_ticket t ON t.id = s.ticket_id,
       (SELECT array_agg(id) AS ids FROM resources_iscogroup WHERE level <= 2) g
 WHERE t.day BETWEEN %(start)s AND %(end)s AND random() < 0.05;
INSERT INTO counselling_session_documents (session_id, record_id)
SELECT s.id, r.ids[1 + floor(array_length(r.ids, 1) * power(random(), 2))::int]
  FROM counselling_session s JOIN reception_ticket t ON t.id = s.ticket_id,
       (SELECT array_agg(id ORDER BY id) AS ids FROM resources_record) r
 WHERE t.day BETWEEN %(start)s AND %(end)s AND random() < 0.33;
INSERT INTO counselling_referral (session_id, institution_id, area_id)
SELECT s.id, i.ids[1 + floor(random() * array_length(i.ids, 1))::int], NULL
  FROM counselling_session s JOIN reception_ticket t ON t.id = s.ticket_id,
       (SELECT array_agg(id) AS ids FROM partners_institution) i
 WHERE t.day BETWEEN %(start)s AND %(end)s AND random() < 0.25;
"""


def _session_reference():
    """Topics, institutions, records and the occupation reference the sessions draw from."""
    from counselling import demo as counselling_demo
    from counselling.models import Topic
    from partners import demo as partners_demo
    from partners.models import Institution
    from resources import demo as resources_demo
    from resources.esco import import_esco
    from resources.models import Occupation, Record

    for order, (code, label_fr, label_en) in enumerate(counselling_demo.TOPICS):
        Topic.objects.update_or_create(code=code, defaults={"label_fr": label_fr, "label_en": label_en, "order": order})
    for name, kind, *_rest in partners_demo.INSTITUTIONS:
        Institution.objects.get_or_create(name=name, defaults={"kind": kind})
    if not Occupation.objects.exists():
        if resources_demo.ESCO_DIR.is_dir():
            import_esco(directory=resources_demo.ESCO_DIR)
        else:
            sys.exit(f"The occupation reference is missing: {resources_demo.ESCO_DIR}")
    kinds = Record.Kind.values
    Record.objects.bulk_create(
        [Record(title=f"Bench record {n}", kind=kinds[n % len(kinds)]) for n in range(200 - Record.objects.count())]
    )


def write_sessions(start, end):
    _session_reference()
    with connection.cursor() as cursor:
        for statement in filter(str.strip, SESSIONS_SQL.split(";")):
            cursor.execute(statement, {"start": start, "end": end})
        for table in (
            "counselling_session",
            "counselling_session_topics",
            "counselling_session_occupations",
            "counselling_session_occupation_groups",
            "counselling_session_documents",
            "counselling_referral",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _reference_lists():
    """The demo's profile lists and desks, without its nine weeks of history."""
    for model, items in reception_demo.PROFILE_LISTS.items():
        for order, (code, label_fr, label_en) in enumerate(items):
            model.objects.update_or_create(
                code=code, defaults={"label_fr": label_fr, "label_en": label_en, "order": order}
            )
    areas = {area.code: area for area in Area.objects.all()}
    for order, (name, codes) in enumerate(reception_demo.DESKS):
        desk, _created = Desk.objects.update_or_create(name=name, defaults={"order": order})
        desk.areas.set([areas[code] for code in codes if code in areas])


def timed(function, runs):
    timings = []
    result = None
    for _run in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)], result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=timezone.localdate().year - 1, help="default: last year")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--refill", action="store_true", help="write the visits again")
    parser.add_argument("--live", action="store_true", help="measure without the rollup tables")
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    generate(options.year, options.visits, options.refill)
    if options.live:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM stats_rolledday; DELETE FROM stats_dailycount;")
                cursor.execute("DELETE FROM stats_dailyduration; DELETE FROM stats_monthlyduration;")
            print("\nwithout the rollup (every day counted from the tickets):")
            measure(options)
            transaction.set_rollback(True)
        return
    measure(options)


def measure(options):
    year = Period.of("year", datetime.date(options.year, 6, 1))
    periods = [
        (f"year {options.year}", year),
        ("a month", Period.of("month", datetime.date(options.year, 10, 1))),
        ("a week", Period.of("week", datetime.date(options.year, 10, 15))),
        ("a day", Period.of("day", datetime.date(options.year, 10, 15))),
    ]
    area = Area.objects.order_by("order").first()
    institution = Institution.objects.order_by("pk").first()
    filtered = [(f"{label}, one area", period, figures.Scope(area=area.pk)) for label, period in periods[:2]]
    filtered.append((f"year {options.year}, one partner", year, figures.Scope(institution=institution.pk)))
    print(f"\n{'figures of the dashboard':<34} {'p50':>8} {'p95':>8} {'queries':>8}")
    for label, period, scope in [(label, period, None) for label, period in periods] + filtered:
        with CaptureQueriesContext(connection) as queries:
            figures.dashboard(period, scope=scope)
        count = len(queries)
        p50, p95, _result = timed(
            lambda period=period, scope=scope: figures.dashboard(period, scope=scope), options.runs
        )
        print(f"{label:<34} {p50:>6.0f}ms {p95:>6.0f}ms {count:>8}")

    # Django empties the query log at each request; keep it, to count the page's queries.
    request_started.disconnect(reset_queries)
    client = Client()
    client.force_login(User.objects.get(email=MANAGER_EMAIL))
    print(f"\n{'whole page (figures, charts, HTML)':<34} {'p50':>8} {'p95':>8} {'queries':>8}")
    for label, period, scope in [(label, period, None) for label, period in periods] + filtered:
        url = f"/statistics/?{period.querystring()}"
        if scope and scope.area:
            url += f"&area={scope.area}"
        if scope and scope.institution:
            url += f"&institution={scope.institution}"
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        count = len(queries)
        p50, p95, _result = timed(lambda url=url: client.get(url), options.runs)
        print(f"{label:<34} {p50:>6.0f}ms {p95:>6.0f}ms {count:>8}")


if __name__ == "__main__":
    main()
