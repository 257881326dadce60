"""Realistic volumes for the load benchmark: a year of visits (1,000,000 by default) and 100,000 library records.

Run against a database of its own (it fills it; never the test databases), for example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cite_bench_data \\
        .venv/bin/python bench/generate.py --visits 1000000 --records 100000

It migrates, builds the demo centre (staff, areas, desks, profile lists, partners, the ESCO reference),
adds counsellors, then writes the visits with a few `INSERT … SELECT` statements over
`generate_series` (tickets, their timed events, the day counters, the sessions with topics,
occupations, documents handed and referrals) and the records through the library benchmark's
generator. Visits fill the year before the demo's own nine weeks, on opening days (Monday to
Saturday), busier mid-week and in September, quiet in August and at Christmas, with arrivals
peaking late morning and mid-afternoon. Each step runs once: a second run keeps what is there.
"""

import argparse
import datetime
import random
import time

from common import setup_django

setup_django()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Min  # noqa: E402
from django.utils import timezone  # noqa: E402

from cite.models import Area, User  # noqa: E402
from cite.roles import COUNSELLOR  # noqa: E402
from counselling.models import CounsellorProfile, Topic  # noqa: E402
from partners.models import Institution, Secondment  # noqa: E402
from reception.demo import HISTORY_DAYS  # noqa: E402
from reception.models import AgeBand, Desk, Gender, HeardFrom, ResidenceZone, Situation, Ticket  # noqa: E402

DAYS = 365
COUNSELLORS = 24
# Relative weights: areas in the demo's order (choose a path … work abroad), weekdays Monday…Saturday,
# the hours the centre is open (9:30–18:00), and each profile list by its codes.
AREA_WEIGHTS = [5, 4, 6, 3, 2, 1]
WEEKDAY_WEIGHTS = [1.0, 1.1, 1.25, 1.0, 0.9, 0.55]
MONTH_WEIGHTS = [1.0, 1.05, 1.1, 1.0, 0.95, 0.9, 0.7, 0.35, 1.3, 1.15, 1.05, 0.85]
HOUR_WEIGHTS = {9: 4, 10: 10, 11: 12, 12: 7, 13: 6, 14: 11, 15: 11, 16: 9, 17: 5}
PROFILE_WEIGHTS = {
    AgeBand: {"under-18": 8, "18-25": 30, "26-35": 25, "36-45": 18, "46-55": 13, "over-55": 6},
    Situation: {"pupil-student": 20, "job-seeker": 40, "employee": 25, "self-employed": 5, "inactive": 7, "retired": 3},
    Gender: {"woman": 52, "man": 44, "other": 1, "not-said": 3},
    ResidenceZone: {"city": 35, "metropolis": 30, "department": 20, "region": 10, "elsewhere": 5},
    HeardFrom: {"word-of-mouth": 30, "partner": 30, "school": 12, "internet": 18, "social-media": 6, "event": 4},
}
NEXT_STEPS = [
    "",
    "",
    "",
    "Prendre contact avec l'organisme de formation indiqué.",
    "Mettre à jour le CV et revenir pour une relecture.",
    "S'inscrire à l'atelier entretien d'embauche.",
    "Consulter les fiches métier remises.",
]


def weighted_pick(ids_by_weight):
    """SQL that picks one id at random, each as often as its weight (a uniform pick in a repeated array)."""
    values = [str(pk) for pk, weight in ids_by_weight for _copy in range(max(1, round(weight)))]
    return f"(ARRAY[{','.join(values)}]::bigint[])[1 + floor(random() * {len(values)})::int]"


def day_counts(visits, first, last, rng):
    """Visits per opening day, adding up exactly to `visits` (largest remainders)."""
    days, weights = [], []
    day = first
    while day <= last:
        if day.weekday() < 6 and not (day.month == 12 and day.day == 25) and not (day.month == 1 and day.day == 1):
            weight = WEEKDAY_WEIGHTS[day.weekday()] * MONTH_WEIGHTS[day.month - 1] * rng.uniform(0.85, 1.15)
            if day.month == 12 and day.day >= 24:
                weight *= 0.3
            days.append(day)
            weights.append(weight)
        day += datetime.timedelta(days=1)
    total = sum(weights)
    exact = [visits * weight / total for weight in weights]
    counts = [int(value) for value in exact]
    for index in sorted(range(len(days)), key=lambda i: exact[i] - counts[i], reverse=True)[: visits - sum(counts)]:
        counts[index] += 1
    return days, counts


def reference():
    """The demo centre, and enough counsellors, each seconded by an institution and serving some areas."""
    if not Area.objects.exists():
        call_command("demo", verbosity=0)
    areas = list(Area.objects.order_by("order"))
    desks = list(Desk.objects.prefetch_related("areas"))
    institutions = list(Institution.objects.filter(is_active=True)) or list(Institution.objects.all())
    role = Group.objects.get(name=COUNSELLOR)
    with transaction.atomic():
        for n in range(COUNSELLORS):
            user, created = User.objects.get_or_create(
                email=f"bench-counsellor-{n}@example.org", defaults={"first_name": f"Conseil{n}", "last_name": "Bench"}
            )
            if created:
                user.groups.add(role)
                profile = CounsellorProfile.objects.create(user=user, usual_desk=desks[n % len(desks)])
                profile.areas.set(desks[n % len(desks)].areas.all())
                Secondment.objects.create(user=user, institution=institutions[n % len(institutions)])
    return areas, desks


def generate_visits(visits, seed):
    today = timezone.localdate()
    earliest = Ticket.objects.aggregate(earliest=Min("day"))["earliest"] or today
    if earliest < today - datetime.timedelta(days=HISTORY_DAYS + 7):  # older than the demo's own weeks
        print(f"{Ticket.objects.filter(day__lt=today).count()} visits already there")
        return
    last = earliest - datetime.timedelta(days=1)
    first = last - datetime.timedelta(days=DAYS - 1)
    rng = random.Random(seed)
    areas, desks = reference()
    days, counts = day_counts(visits, first, last, rng)
    area_pick = weighted_pick(zip([a.pk for a in areas], AREA_WEIGHTS, strict=False))
    hour_pick = weighted_pick(HOUR_WEIGHTS.items())
    profile = {}
    for model, weights in PROFILE_WEIGHTS.items():
        ids = dict(model.objects.values_list("code", "pk"))
        profile[model] = weighted_pick([(ids[code], weight) for code, weight in weights.items() if code in ids])
    counsellors = list(
        User.objects.filter(counsellor_profile__isnull=False).prefetch_related("counsellor_profile__areas")
    )
    seconded = dict(Secondment.objects.filter(end_date__isnull=True).values_list("user_id", "institution_id"))
    receptionists = list(User.objects.filter(groups__name="Reception").values_list("pk", flat=True)) or [None]
    topics = list(Topic.objects.values_list("pk", flat=True))
    institutions = list(Institution.objects.values_list("pk", flat=True))
    tz = timezone.get_current_timezone_name()
    started = time.perf_counter()

    def step(label, sql, params=None):
        moment = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.rowcount
        print(f"  {label}: {rows} rows in {time.perf_counter() - moment:.1f} s", flush=True)

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [rng.random() * 2 - 1])
            cursor.execute("CREATE TEMP TABLE bench_area_desks (area_id bigint, desks bigint[], people bigint[])")
            for area in areas:
                serving = [d.pk for d in desks if area in d.areas.all()] or [d.pk for d in desks]
                people = [u.pk for u in counsellors if area in u.counsellor_profile.areas.all()] or [
                    u.pk for u in counsellors
                ]
                cursor.execute("INSERT INTO bench_area_desks VALUES (%s, %s, %s)", [area.pk, serving, people])
            cursor.execute("CREATE TEMP TABLE bench_seconded (user_id bigint PRIMARY KEY, institution_id bigint)")
            for user_id, institution_id in seconded.items():
                cursor.execute("INSERT INTO bench_seconded VALUES (%s, %s)", [user_id, institution_id])
        # One row per visit: its day, area, arrival (local opening hours), fate and durations.
        step(
            "visits drawn",
            f"""
            CREATE TEMP TABLE bench_visits AS
            SELECT v.*,
                   v.arrived_at + v.wait AS called_at,
                   v.arrived_at + v.wait + v.walk AS started_at,
                   v.arrived_at + v.wait + v.walk + v.length AS finished_at
            FROM (
                SELECT d.day,
                       {area_pick} AS area_id,
                       (d.day + make_interval(hours => {hour_pick}::int, secs => random() * 3600))::timestamp
                           AT TIME ZONE %(tz)s AS arrived_at,
                       make_interval(secs => 60 + 2700 * power(random(), 1.6)) AS wait,
                       make_interval(secs => 30 + 150 * random()) AS walk,
                       make_interval(secs => 480 + 1320 * power(random(), 1.3)) AS length,
                       random() AS fate,
                       random() AS pick
                FROM unnest(%(days)s::date[], %(counts)s::int[]) AS d(day, n), generate_series(1, d.n)
            ) AS v
            """,
            {"days": days, "counts": counts, "tz": tz},
        )
        # 9:00 draws start at 9:30 (the doors open then).
        step(
            "opening time",
            "UPDATE bench_visits SET arrived_at = arrived_at + interval '30 minutes', "
            "called_at = called_at + interval '30 minutes', started_at = started_at + interval '30 minutes', "
            "finished_at = finished_at + interval '30 minutes' "
            "WHERE (arrived_at AT TIME ZONE %(tz)s)::time < '09:30'",
            {"tz": tz},
        )

        def pick(model):  # about one visitor in eight skips each question
            return f"CASE WHEN random() < 0.12 THEN NULL ELSE {profile[model]} END"

        step(
            "tickets",
            f"""
            INSERT INTO reception_ticket (
                day, number, code, status, arrived_at, called_at, started_at, finished_at, call_count, token,
                first_visit, age_band_id, area_id, desk_id, gender_id, heard_from_id, issued_area_id, issued_by_id,
                residence_zone_id, situation_id, walk_in)
            SELECT v.day, v.number, a.letter || '-' || lpad(v.number::text, 3, '0'),
                   CASE WHEN v.fate < 0.02 THEN 'cancelled' WHEN v.fate < 0.08 THEN 'no_show' ELSE 'done' END,
                   v.arrived_at,
                   CASE WHEN v.fate < 0.02 THEN NULL ELSE v.called_at END,
                   CASE WHEN v.fate < 0.08 THEN NULL ELSE v.started_at END,
                   CASE WHEN v.fate < 0.02 THEN v.called_at
                        WHEN v.fate < 0.08 THEN v.called_at + interval '3 minutes'
                        ELSE v.finished_at END,
                   CASE WHEN v.fate < 0.02 THEN 0 ELSE 1 END,
                   replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''),
                   random() < 0.6,
                   {pick(AgeBand)}, v.area_id,
                   CASE WHEN v.fate < 0.02 THEN NULL
                        ELSE ad.desks[1 + floor(v.pick * array_length(ad.desks, 1))::int] END,
                   {pick(Gender)}, {pick(HeardFrom)}, v.area_id,
                   (%(receptionists)s::bigint[])[1 + floor(random() * %(receptionist_count)s)::int],
                   {pick(ResidenceZone)}, {pick(Situation)}, false
            FROM (
                SELECT *, row_number() OVER (PARTITION BY day, area_id ORDER BY arrived_at) AS number
                FROM bench_visits
            ) AS v
            JOIN cite_area a ON a.id = v.area_id
            JOIN bench_area_desks ad ON ad.area_id = v.area_id
            ORDER BY v.arrived_at
            """,
            {"receptionists": receptionists, "receptionist_count": len(receptionists)},
        )
        window = {"first": first, "last": last}
        step(
            "day counters",
            """
            INSERT INTO reception_ticketcounter (area_id, day, last_number)
            SELECT issued_area_id, day, max(number) FROM reception_ticket
            WHERE day BETWEEN %(first)s AND %(last)s GROUP BY issued_area_id, day
            """,
            window,
        )
        ticket_events = [
            ("issued", "t.arrived_at", "''", "'waiting'", "NULL", "TRUE"),
            ("called", "t.called_at", "'waiting'", "'called'", "t.desk_id", "t.called_at IS NOT NULL"),
            ("started", "t.started_at", "'called'", "'serving'", "t.desk_id", "t.started_at IS NOT NULL"),
            ("finished", "t.finished_at", "'serving'", "'done'", "t.desk_id", "t.status = 'done'"),
            ("no_show", "t.finished_at", "'called'", "'no_show'", "t.desk_id", "t.status = 'no_show'"),
            ("cancelled", "t.finished_at", "'waiting'", "'cancelled'", "NULL", "t.status = 'cancelled'"),
        ]
        for kind, at, source, target, desk, condition in ticket_events:
            step(
                f"events '{kind}'",
                f"""
                INSERT INTO reception_ticketevent (
                    kind, reason, at, from_status, to_status, desk_id, ticket_id, to_area_id)
                SELECT '{kind}', '', {at}, {source}, {target}, {desk}, t.id,
                       CASE WHEN '{kind}' = 'issued' THEN t.area_id END
                FROM reception_ticket t WHERE t.day BETWEEN %(first)s AND %(last)s AND {condition}
                """,
                window,
            )
        step(
            "sessions",
            """
            INSERT INTO counselling_session (
                started_at, ended_at, information_given, outcome, next_steps, note,
                area_id, counsellor_id, desk_id, institution_id, ticket_id)
            SELECT t.started_at, t.finished_at, '',
                   CASE WHEN random() < 0.6 THEN 'yes' WHEN random() < 0.75 THEN 'partly' ELSE 'no' END,
                   (%(steps)s::text[])[1 + floor(random() * %(step_count)s)::int],
                   '', t.area_id, c.counsellor_id, t.desk_id, s.institution_id, t.id
            FROM reception_ticket t
            JOIN bench_area_desks ad ON ad.area_id = t.area_id
            CROSS JOIN LATERAL (
                SELECT ad.people[1 + floor(random() * array_length(ad.people, 1))::int] AS counsellor_id
                WHERE t.id IS NOT NULL
            ) AS c
            LEFT JOIN bench_seconded s ON s.user_id = c.counsellor_id
            WHERE t.day BETWEEN %(first)s AND %(last)s AND t.status = 'done'
            """,
            {**window, "steps": NEXT_STEPS, "step_count": len(NEXT_STEPS)},
        )
        sessions_of_year = (
            "SELECT s.id FROM counselling_session s JOIN reception_ticket t ON t.id = s.ticket_id "
            "WHERE t.day BETWEEN %(first)s AND %(last)s"
        )
        step(
            "topics discussed",
            f"""
            INSERT INTO counselling_session_topics (session_id, topic_id)
            SELECT y.id, (%(topics)s::bigint[])[1 + (y.first + k * 3) %% %(topic_count)s]
            FROM (SELECT id, floor(random() * %(topic_count)s)::int AS first,
                         1 + floor(power(random(), 1.5) * 3)::int AS how_many
                  FROM ({sessions_of_year}) AS s) AS y,
                 generate_series(0, y.how_many - 1) AS k
            """,
            {**window, "topics": topics, "topic_count": len(topics)},
        )
        step(
            "occupations explored",
            f"""
            WITH o AS (SELECT row_number() OVER (ORDER BY id) AS n, id FROM resources_occupation),
                 picks AS (
                     SELECT y.id, 1 + floor(random() * (SELECT count(*) FROM o))::int AS n
                     FROM ({sessions_of_year}) AS y
                     CROSS JOIN LATERAL generate_series(1, (random() < 0.45)::int + (random() < 0.15)::int + 0 * y.id)
                 )
            INSERT INTO counselling_session_occupations (session_id, occupation_id)
            SELECT DISTINCT picks.id, o.id FROM picks JOIN o USING (n)
            """,
            window,
        )
        step(
            "documents handed",
            f"""
            WITH r AS (SELECT row_number() OVER (ORDER BY id) AS n, id FROM resources_record
                       WHERE deleted_at IS NULL AND visibility <> 'internal'),
                 picks AS (
                     SELECT y.id, 1 + floor(random() * (SELECT count(*) FROM r))::int AS n
                     FROM ({sessions_of_year}) AS y WHERE random() < 0.2
                 )
            INSERT INTO counselling_session_documents (session_id, record_id)
            SELECT picks.id, r.id FROM picks JOIN r USING (n)
            """,
            window,
        )
        step(
            "referrals",
            f"""
            INSERT INTO counselling_referral (session_id, institution_id, area_id)
            SELECT y.id,
                   CASE WHEN y.roll < 0.25 THEN (%(institutions)s::bigint[])[1 + floor(random() * %(n)s)::int] END,
                   CASE WHEN y.roll >= 0.25 THEN (SELECT id FROM cite_area WHERE y.id IS NOT NULL
                                                  ORDER BY random() LIMIT 1) END
            FROM (SELECT id, random() AS roll FROM ({sessions_of_year}) AS s) AS y
            WHERE y.roll < 0.30
            """,
            {**window, "institutions": institutions, "n": len(institutions)},
        )
        step(
            "hand-out counts",
            """
            UPDATE resources_record r SET handed_out = n.count
            FROM (SELECT record_id, count(*) FROM counselling_session_documents GROUP BY record_id) AS n
            WHERE n.record_id = r.id
            """,
        )
    with connection.cursor() as cursor:
        for table in (
            "reception_ticket",
            "reception_ticketevent",
            "reception_ticketcounter",
            "counselling_session",
            "counselling_session_topics",
            "counselling_session_occupations",
            "counselling_session_documents",
            "counselling_referral",
            "resources_record",  # its hand-out counts were just written: OAI's count reads the index alone again
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"{visits} visits over {len(days)} opening days generated in {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    reference()
    import resources_bench  # the library benchmark's generator: realistic titles and descriptions from ESCO

    resources_bench.ensure_reference()
    moment = time.perf_counter()
    resources_bench.generate(options.records)
    print(f"records ready in {time.perf_counter() - moment:.0f} s")
    generate_visits(options.visits, options.seed)
    moment = time.perf_counter()
    with connection.cursor() as cursor:  # planner statistics of every table, the demo's and a kept run's too
        cursor.execute("ANALYZE")
    print(f"ANALYZE in {time.perf_counter() - moment:.0f} s")
    print(f"data ready in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
