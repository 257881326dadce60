"""The dashboard's figures on sessions, checked against a small set of sessions counted by hand.

October 2025 (tests/stats/dataset.py): area B's seven served visits and area C's served visit and
walk-in get sessions here; September's visit in C is the previous period.
"""

import datetime

import pytest

from counselling.models import Referral, Session, Topic
from partners.models import Institution
from reception.models import Ticket
from resources.models import IscoGroup, Occupation, Record
from stats import figures, network
from stats.periods import Period
from tests.stats.dataset import OCTOBER, october

ESCO = "http://data.europa.eu/esco/occupation/"


def group(code, parent=None):
    return IscoGroup.objects.create(
        uri=f"http://data.europa.eu/esco/isco/C{code}",
        code=code,
        level=len(code),
        parent=parent,
        labels={"en": f"Group {code}", "fr": f"Groupe {code}"},
    )


@pytest.fixture
def reference(db):
    """Two occupations under 7126 (plumbers, major group 7) and one under 2431 (major group 2)."""
    g7 = group("7")
    g71 = group("71", g7)
    g712 = group("712", g71)
    g7126 = group("7126", g712)
    g2 = group("2")
    g24 = group("24", g2)
    g243 = group("243", g24)
    g2431 = group("2431", g243)
    return {
        "plumber": Occupation.objects.create(uri=f"{ESCO}plumber", group=g7126, labels={"fr": "plombier"}),
        "heating": Occupation.objects.create(uri=f"{ESCO}heating", group=g7126, labels={"fr": "chauffagiste"}),
        "marketing": Occupation.objects.create(uri=f"{ESCO}marketing", group=g2431, labels={"fr": "marketeur"}),
        "7": g7,
        "2": g2,
    }


@pytest.fixture
def sessions(visit, training, job, ages, counsellor, reference):
    october(visit, training, job, ages)
    cv = Topic.objects.create(code="cv", label_fr="CV", label_en="CV", order=1)
    funding = Topic.objects.create(code="funding", label_fr="Financement", label_en="Funding", order=2)
    employment = Institution.objects.create(name="France Travail", kind=Institution.Kind.EMPLOYMENT)
    guidance = Institution.objects.create(name="CIO", kind=Institution.Kind.GUIDANCE)
    sheet = Record.objects.create(title="Fiche plombier", kind=Record.Kind.OCCUPATION_SHEET)
    guide = Record.objects.create(title="Guide de l’alternance", kind=Record.Kind.GUIDE)

    served = list(Ticket.objects.filter(started_at__isnull=False).order_by("arrived_at"))
    by_day = {}
    for ticket in served:
        by_day.setdefault(ticket.day, []).append(ticket)

    def session(
        ticket,
        institution,
        *,
        topics=(),
        occupations=(),
        groups=(),
        documents=(),
        referrals=(),
        outcome="",
        again=False,
    ):
        """The visit's session (the `visit` fixture wrote it), or `again` a second one, with its content."""
        if again:
            s = Session.objects.create(
                ticket=ticket, counsellor=counsellor, area=ticket.area, started_at=ticket.started_at
            )
        else:
            s = Session.objects.get(ticket=ticket)
        s.institution, s.outcome = institution, outcome
        s.save()
        s.topics.set(topics)
        s.occupations.set(occupations)
        s.occupation_groups.set(groups)
        s.documents.set(documents)
        for to in referrals:
            Referral.objects.create(session=s, **({"area": to} if hasattr(to, "letter") else {"institution": to}))
        return s

    october_tickets = [t for t in served if t.day.month == 10]
    september = [t for t in served if t.day.month == 9]
    plumber, heating, marketing = reference["plumber"], reference["heating"], reference["marketing"]
    # Eight October visits with a session (seven in B, the served one in C; the walk-in too: nine).
    assert len(october_tickets) == 9
    for n, ticket in enumerate(october_tickets):
        session(
            ticket,
            employment if n < 6 else guidance,
            topics=[cv] if n < 7 else [cv, funding],
            occupations=[plumber, heating] if n < 5 else [marketing] if n < 7 else [],
            groups=[reference["7"]] if n == 8 else [],
            documents=[sheet] if n < 6 else [guide],
            referrals=[employment] if n < 5 else [],
            outcome="yes" if n < 6 else "partly",
        )
    # A second session of the first visit (referred to area C): the visit still counts once.
    session(
        october_tickets[0], guidance, topics=[cv], occupations=[plumber], documents=[sheet], referrals=[job], again=True
    )
    for ticket in september:
        session(ticket, employment, topics=[cv], occupations=[marketing], outcome="no")
    return locals()


def tables():
    return {t.key: t for t in figures.dashboard(Period.of("month", OCTOBER))}


def cells(table, column="visits"):
    return {row.code: row.cells[column].value for row in table.rows}


def texts(table, column="visits"):
    return {row.code: row.cells[column].text for row in table.rows}


def test_topics_count_each_visit_once_and_the_total_counts_mentions(sessions):
    topics = tables()["topics"]
    assert cells(topics) == {"cv": 9, "funding": 2}
    assert cells(topics, "previous") == {"cv": 2, "funding": 0}
    assert topics.total.cells["visits"].value == 11  # 9 + 2 mentions
    assert topics.rows[0].cells["share"].value == 100  # of the 9 visits with a session
    # 2 is small, and 9 would give it away (11 − 9): both are withheld, the total of mentions stays.
    assert texts(topics) == {"cv": "—", "funding": "< 5"}
    assert topics.total.cells["visits"].text == "11"


def test_occupations_are_counted_by_isco_major_and_sub_major_group(sessions):
    t = tables()
    # Major group 7: five visits explored plumbers, and one chose group 7 itself: 6. Group 2: two.
    assert cells(t["occupations-isco-major"]) == {"2": 2, "7": 6}
    assert cells(t["occupations-isco-major"], "previous") == {"2": 2, "7": 0}
    # Sub-major 71 does not count the visit that chose only major group 7.
    assert cells(t["occupations-isco-sub-major"]) == {"24": 2, "71": 5}
    assert [row.label for row in t["occupations-isco-major"].rows] == ["2 Groupe 2", "7 Groupe 7"]
    most = t["occupations-most-asked"]
    assert [row.code for row in most.rows] == [f"{ESCO}plumber", f"{ESCO}heating", f"{ESCO}marketing"]
    assert cells(most) == {f"{ESCO}plumber": 5, f"{ESCO}heating": 5, f"{ESCO}marketing": 2}
    assert most.total.cells["visits"].value == 12


def test_referrals_by_institution_by_kind_and_to_areas(sessions):
    t = tables()
    by_institution = {row.label: row.cells["visits"].text for row in t["referrals-by-institution"].rows}
    assert by_institution == {"France Travail": "5"}
    assert cells(t["referrals-by-institution-kind"]) == {"employment": 5}
    referred = t["referrals-to-area"]  # the second session of the first visit
    assert texts(referred) == {"find-job": "< 5"}
    assert referred.total.cells["visits"].text == "< 5"  # a total of mentions is no public figure


def test_activity_per_institution_counts_visits_not_counsellors(sessions):
    t = tables()
    by_institution = {row.label: row.cells["visits"].value for row in t["sessions-by-institution"].rows}
    # CIO: visits 6, 7, 8 and the second session of visit 0; France Travail: visits 0 to 5.
    assert by_institution == {"CIO": 4, "France Travail": 6}
    assert "counsellor" not in str([c.label for c in t["sessions-by-institution"].columns]).lower()


def test_documents_most_handed_and_by_kind(sessions):
    t = tables()
    assert [(row.label, row.cells["visits"].value) for row in t["documents-most-handed"].rows] == [
        ("Fiche plombier", 6),
        ("Guide de l’alternance", 3),
    ]
    assert cells(t["documents-by-kind"]) == {"occupation-sheet": 6, "guide": 3}


def test_session_key_figures(sessions):
    rows = {row.code: row.cells for row in tables()["session-figures"].rows}
    assert rows["sessions"]["value"].value == 10
    assert rows["visits-with-session"]["value"].value == 9
    assert rows["outcome-yes"]["value"].value == 6
    assert rows["referrals"]["value"].value == 6
    assert rows["documents-handed"]["value"].value == 10
    assert rows["sessions"]["previous"].value == 2


def test_no_section_is_left_planned(sessions):
    assert figures.planned_sections(figures.dashboard(Period.of("month", OCTOBER))) == []


def test_the_network_file_carries_the_session_breakdowns_and_reads_back(sessions, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 2  # so that this small month shows its cells
    document = network.export(Period.of("month", OCTOBER))
    assert document["totals"]["sessions"] == 10
    assert document["totals"]["referrals"] == 6
    assert document["breakdowns"]["topics"] == {"total": 11, "cells": {"cv": 9, "funding": 2}, "not_answered": 0}
    assert document["breakdowns"]["occupations_isco_major"]["cells"] == {"2": 2, "7": 6}
    # One referral to an area: its total would give the cell away, so the breakdown is withheld.
    assert document["breakdowns"]["referrals_to_area"] is None
    assert document["breakdowns"]["occupations_esco"]["cells"][f"{ESCO}plumber"] == 5
    assert document["breakdowns"]["documents_by_kind"]["cells"]["occupation-sheet"] == 6
    assert network.parse(network.dumps(document).encode(), "ours.json") == document


def test_session_sections_keep_a_fixed_number_of_queries(sessions, django_assert_max_num_queries, visit, training):
    with django_assert_max_num_queries(30) as few:
        figures.dashboard(Period.of("month", OCTOBER))
    for n in range(20):
        ticket = visit(training, datetime.datetime(2025, 10, 20, 10, n, tzinfo=datetime.UTC), wait=1, session=5)
        Session.objects.create(
            ticket=ticket,
            counsellor=sessions["counsellor"],
            area=training,
            started_at=ticket.started_at,
            ended_at=ticket.finished_at,
        ).topics.set([sessions["cv"]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        figures.dashboard(Period.of("month", OCTOBER))


def test_the_dashboard_draws_the_sections_on_sessions(client, manager, sessions):
    client.force_login(manager)
    response = client.get("/statistics/?period=month&date=2025-10-01")
    assert response.status_code == 200
    page = response.content.decode()
    for title in (
        "Thèmes abordés en entretien",
        "Métiers explorés, par grand groupe CITP-08",
        "Documents les plus remis",
    ):
        assert f"<caption>{title}</caption>" in page
    assert 'aria-labelledby="chart-topics-title"' in page
    assert "Pas encore comptés" not in page  # every planned section is counted now
    assert "Camille" not in page  # no counsellor is named
    csv = client.get("/statistics/export/occupations-isco-major.csv?period=month&date=2025-10-01")
    assert csv.status_code == 200
    assert "7 Groupe 7" in csv.content.decode("utf-8-sig")


def test_rolled_up_days_give_the_same_figures_as_live_ones(sessions):
    from stats.models import DailySessionCount
    from stats.services import roll_up_closed_days

    def snapshot():
        keys = [
            "session-figures",
            "topics",
            "occupations-isco-major",
            "occupations-isco-sub-major",
            "occupations-most-asked",
            "referrals-by-institution",
            "referrals-by-institution-kind",
            "referrals-to-area",
            "sessions-by-institution",
            "sessions-by-institution-kind",
            "documents-most-handed",
            "documents-by-kind",
        ]
        t = tables()
        return {
            key: [(row.code, {k: c.value for k, c in row.cells.items()}) for row in [*t[key].rows, t[key].total]]
            if t[key].total
            else [(row.code, {k: c.value for k, c in row.cells.items()}) for row in t[key].rows]
            for key in keys
        }

    live = snapshot()
    assert roll_up_closed_days() > 0
    assert DailySessionCount.objects.filter(breakdown="topic").exists()
    assert snapshot() == live


def test_workshops_held_and_people_who_came_by_kind(db, settings):
    from counselling.models import Workshop

    def workshop(kind, day, attendance, *, cancelled=False, month=10):
        starts = datetime.datetime(2025, month, day, 14, tzinfo=datetime.UTC)
        return Workshop.objects.create(
            kind=kind,
            title="t",
            place="p",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            attendance=attendance,
            is_cancelled=cancelled,
        )

    workshop("workshop", 6, 12)
    workshop("workshop", 13, 8)
    workshop("workshop", 20, None)  # held, not counted yet
    workshop("forum", 9, 40)
    workshop("forum", 16, 0, cancelled=True)
    workshop("job_dating", 30, 3)
    workshop("workshop", 2, 9, month=9)  # September: the previous period
    table = tables()["workshops"]
    rows = {row.code: row.cells for row in table.rows}
    assert (rows["workshop"]["held"].value, rows["workshop"]["people"].value) == (3, 20)
    assert rows["workshop"]["average"].value == 10  # 20 people over the 2 counted
    assert rows["workshop"]["previous"].value == 9
    assert (rows["forum"]["held"].value, rows["forum"]["people"].value) == (1, 40)  # the cancelled one is not held
    assert rows["job_dating"]["people"].text == "< 5"
    assert (table.total.cells["held"].value, table.total.cells["people"].value) == (5, 63)
    document = network.export(Period.of("month", OCTOBER))
    assert document["totals"]["workshops_held"] == 5 and document["totals"]["workshop_attendance"] == 63
    assert document["breakdowns"]["workshop_attendance_by_kind"]["total"] == 63


def test_filtered_figures_read_from_the_rollup_are_the_live_ones(sessions, settings, django_assert_max_num_queries):
    """Every table narrowed to an area, a partner institution or both, counted from the tickets, then
    from the rollup rows of that scope: the same, for a period whose months are cut at both ends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stats.figures import Scope
    from stats.services import roll_up_closed_days

    settings.STATS_SUPPRESSION_THRESHOLD = 1
    s = sessions
    period = Period.between(datetime.date(2025, 9, 20), datetime.date(2025, 11, 5))
    scopes = [
        Scope(area=s["job"].pk),
        Scope(area=s["training"].pk),
        Scope(institution=s["employment"].pk),
        Scope(institution=s["guidance"].pk),  # holds the first visit, seen by both institutions
        Scope(area=s["training"].pk, institution=s["guidance"].pk),
        Scope(),
    ]

    def snapshot(scope):
        return [
            (
                t.key,
                [
                    (r.code, {k: c.value for k, c in r.cells.items()})
                    for r in [*t.rows, *([t.total] if t.total else [])]
                ],
            )
            for t in figures.dashboard(period, scope=scope)
        ]

    live = {scope: snapshot(scope) for scope in scopes}
    visits = {scope: dict(live[scope][0][1])["visits"]["value"] for scope in scopes}
    assert visits[Scope()] == 13
    assert visits[Scope(institution=s["guidance"].pk)] == 4  # three of its own and the first visit
    assert roll_up_closed_days() > 0
    for scope in scopes:
        assert figures.Figures(period, scope=scope).live_days == []  # nothing left to count from tickets
        assert snapshot(scope) == live[scope], scope
    # A filtered page runs the queries of the whole centre's, no more.
    with CaptureQueriesContext(connection) as whole:
        figures.dashboard(period)
    with django_assert_max_num_queries(len(whole)):
        figures.dashboard(period, scope=scopes[-2])
