"""Benchmark of partners at the size of a large Cité: page times and query counts, the calendar feed,
and the nightly `expire_agreements`.

Run against a database of its own (it fills it), for example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cite_partners_bench \\
        .venv/bin/python bench/partners_bench.py --institutions 300 --groups 80

It migrates, generates the data once (kept for the next run), then prints for each page the median
and 95th percentile of the whole request (queries and rendering) and the number of SQL queries.
"""

import argparse
import datetime
import statistics
import time

from common import setup_django

setup_django()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cite import demo as cite_demo  # noqa: E402
from cite.models import Area, Centre, User  # noqa: E402
from partners import services  # noqa: E402
from partners.models import (  # noqa: E402
    Action,
    Agreement,
    Attendance,
    Contact,
    Institution,
    Meeting,
    MentoringLink,
    NetworkEvent,
    Secondment,
    WorkingGroup,
)

BUSY = "bench-busy@example.org"  # a member of every group, with hundreds of actions


@transaction.atomic
def generate(institutions, groups):
    if Institution.objects.filter(name__startswith="Bench ").count() >= institutions:
        return
    cite_demo.create_areas()
    cite_demo.create_centres()
    today = timezone.localdate()
    areas = list(Area.objects.all())
    counsellor_role = Group.objects.get(name="Counsellor")
    people = User.objects.bulk_create(
        [User(email=f"bench-{n}@example.org", first_name=f"Prénom{n}", last_name=f"Nom{n}") for n in range(300)]
    )
    busy = User.objects.create_user(BUSY, "bench-password-42", first_name="Busy")
    for person in [*people, busy]:
        person.groups.add(counsellor_role)

    made = Institution.objects.bulk_create(
        [Institution(name=f"Bench {n:04d}", kind=Institution.Kind.choices[n % 8][0]) for n in range(institutions)]
    )
    Institution.areas.through.objects.bulk_create(
        [
            Institution.areas.through(institution=i, area=areas[(n + k) % len(areas)])
            for n, i in enumerate(made)
            for k in range(2)
        ]
    )
    Contact.objects.bulk_create(
        [
            Contact(institution=i, name=f"Contact {n}-{k}", email=f"c{n}-{k}@example.org", phone="+33123456701")
            for n, i in enumerate(made)
            for k in range(3)
        ]
    )
    agreements = []
    for n, i in enumerate(made):
        start = today - datetime.timedelta(days=700 - n % 365)
        agreements.append(
            Agreement(
                institution=i,
                title=f"Convention {n}",
                start_date=start,
                end_date=start + datetime.timedelta(days=720),
                stage=Agreement.Stage.SIGNED,
                signature_date=start,
                document="partners/agreements/bench.pdf",  # listing only: never downloaded here
            )
        )
        agreements.append(
            Agreement(institution=i, title=f"Projet {n}", start_date=today, end_date=today + datetime.timedelta(365))
        )
    Agreement.objects.bulk_create(agreements)
    Secondment.objects.bulk_create(
        [Secondment(user=person, institution=made[n % len(made)]) for n, person in enumerate(people)]
    )

    for g in range(groups):
        group = WorkingGroup.objects.create(name=f"Bench groupe {g}", objective="Objectif", lead=people[g])
        group.members.set([busy, *people[g : g + 10]])
        group.institutions.set(made[g : g + 4])
        start = timezone.now() - datetime.timedelta(days=300)
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    group=group,
                    starts_at=start + datetime.timedelta(days=14 * m),
                    ends_at=start + datetime.timedelta(days=14 * m, hours=2),
                    place="Salle",
                    agenda="1. Point\n2. Suite",
                    minutes="Compte rendu.",
                    decisions="Décision A\nDécision B",
                )
                for m in range(24)
            ]
        )
        Attendance.objects.bulk_create([Attendance(meeting=m, user=p) for m in meetings for p in people[g : g + 8]])
        Action.objects.bulk_create(
            [
                Action(
                    group=group,
                    meeting=meetings[a],
                    owner=busy if a % 3 == 0 else people[g + a % 10],
                    description=f"Action {g}-{a}",
                    due_date=today + datetime.timedelta(days=a * 7 - 60),
                    status=Action.Status.OPEN if a % 4 else Action.Status.DONE,
                )
                for a in range(15)
            ]
        )
    centres = list(Centre.objects.all())
    for n in range(len(centres) - 1):
        MentoringLink.objects.get_or_create(
            mentor=centres[n], mentee=centres[n + 1], start_date=datetime.date(2010, 1, 1)
        )
    for n in range(30):
        event = NetworkEvent.objects.create(
            name=f"Bench event {n}",
            starts_on=today + datetime.timedelta(days=n * 20 - 300),
            ends_on=today + datetime.timedelta(days=n * 20 - 298),
            place="Genève",
            host=centres[n % len(centres)],
        )
        event.participants.set([busy, *people[n : n + 5]])


def measure(client, url, runs):
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, len(queries), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=300)
    parser.add_argument("--groups", type=int, default=80)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generate(options.institutions, options.groups)
    print(f"data ready in {time.perf_counter() - started:.1f} s")

    busy = User.objects.get(email=BUSY)
    manager = User.objects.filter(groups__name="Manager").first() or User.objects.create_user(
        "bench-manager@example.org", "bench-password-42"
    )
    manager.groups.add(Group.objects.get(name="Manager"))
    staff = Client()
    staff.force_login(manager)
    own = Client()
    own.force_login(busy)
    token = services.issue_calendar_token(user=busy)
    typical = User.objects.get(email="bench-5@example.org")  # in 6 groups, like most people
    typical_token = services.issue_calendar_token(user=typical)
    group = WorkingGroup.objects.filter(name__startswith="Bench").first()
    institution = Institution.objects.filter(name__startswith="Bench").first()

    print(
        f"{Institution.objects.count()} institutions, {Contact.objects.count()} contacts, "
        f"{Agreement.objects.count()} agreements, {WorkingGroup.objects.count()} groups, "
        f"{Meeting.objects.count()} meetings, {Action.objects.count()} actions "
        f"({Action.objects.filter(owner=busy).count()} for the busy member)"
    )
    print(f"{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KiB':>6}")
    for label, client, url in [
        ("directory of institutions", staff, "/partners/institutions/"),
        ("directory, filtered by kind", staff, "/partners/institutions/?kind=chamber&q=bench"),
        ("contacts", staff, "/partners/institutions/contacts/"),
        ("agreements", staff, "/partners/institutions/agreements/"),
        ("a partner's page", staff, institution.get_absolute_url()),
        ("working groups (manager: all)", staff, "/partners/groups/"),
        ("a working group (24 meetings)", staff, group.get_absolute_url()),
        ("my actions (busy member)", own, "/partners/actions/"),
        ("network", staff, "/partners/network/"),
        ("calendar feed (busy member, 80 groups)", Client(), f"/partners/calendar/{token}.ics"),
        ("calendar feed (member of 6 groups)", Client(), f"/partners/calendar/{typical_token}.ics"),
    ]:
        p50, p95, queries, size = measure(client, url, options.runs)
        print(f"{label:44} {p50:8.1f} {p95:8.1f} {queries:8d} {size / 1024:6.0f}")

    with transaction.atomic():
        past = timezone.localdate() + datetime.timedelta(days=800)
        started = time.perf_counter()
        expired = services.expire_agreements(today=past)
        print(f"expire_agreements: {expired} agreements in {(time.perf_counter() - started) * 1000:.0f} ms")
        transaction.set_rollback(True)  # keep the data as it was for the next run


if __name__ == "__main__":
    main()
