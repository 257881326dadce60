"""Every main page runs as many SQL queries with 100 rows of its data as with 1: no query per row.

Each case builds one row of the page's data, loads the page once (caches warm up), counts its queries,
adds 99 rows and counts again. On failure the message lists the queries of the larger page.
"""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cite.models import Centre, User
from cite.roles import COUNSELLOR
from counselling import services as counselling
from reception import services as queue
from reception.models import Ticket
from resources.models import IscoGroup, Occupation
from resources.services import create_record
from tests.factories import count_queries, make_area, make_desk
from tests.partners.factories import make_action, make_group, make_institution

pytestmark = pytest.mark.django_db
serial = itertools.count()


def assert_flat(client, url, add, *, status=200):
    """`url` runs no more queries with 100 rows added by `add(n)` than with 1 (a search may run one
    query less when it finds plenty: no "did you mean")."""
    add(1)
    client.get(url)
    one = count_queries(client, url, status)
    add(99)
    many = count_queries(client, url, status)
    listing = "\n".join(f"{n}. {query['sql'][:300]}" for n, query in enumerate(many.captured_queries, 1))
    assert len(many) <= len(one), f"{url}: {len(one)} queries with 1 row, {len(many)} with 100:\n{listing}"


@pytest.fixture
def training():
    return make_area("find-training")


@pytest.fixture
def job():
    return make_area("find-job")


@pytest.fixture
def desk(training, job):
    return make_desk("3", training, job)


@pytest.fixture
def on_duty(counsellor, desk):
    queue.start_duty(user=counsellor, desk=desk)
    return counsellor


@pytest.fixture
def issue_many(receptionist, training, job):
    def add(n):
        for index in range(n):
            queue.issue_ticket(area=training if index % 2 else job, issued_by=receptionist)

    return add


def other_counsellor():
    user = User.objects.create_user(f"counsellor-{next(serial)}@example.org", "a-long-test-password-42")
    user.groups.set(Group.objects.filter(name=COUNSELLOR))
    return user


@pytest.fixture
def served(training, job, on_duty, desk):
    """Add visits served today at the persona's desk (each a finished session with a topic)."""
    from counselling.models import Topic

    topic = Topic.objects.create(code="cv", label_fr="CV", label_en="CV")

    def add(n):
        for index in range(n):
            ticket = queue.issue_ticket(area=training if index % 2 else job, issued_by=None)
            queue.call_ticket(ticket=ticket, desk=desk, by=on_duty)
            session = counselling.start_session(ticket=ticket, desk=desk, counsellor=on_duty)
            session.topics.set([topic])
            counselling.finish_session(session=session, by=on_duty)

    return add


# Reception: the front desk and its live queue, today's tickets.
@pytest.mark.parametrize("url", ["/reception/", "/reception/today/", "/reception/queue/"])
def test_reception_pages_keep_their_query_count(client, receptionist, issue_many, url):
    client.force_login(receptionist)
    assert_flat(client, url, issue_many)


def test_a_tickets_page_keeps_its_query_count_however_long_its_history(client, receptionist, training, job):
    """Every event of the ticket is listed with its desk, areas and author: no query per event."""
    ticket = queue.issue_ticket(area=training, issued_by=receptionist)

    def add(n):
        for _index in range(n):
            queue.transfer(ticket=ticket, area=job if ticket.area_id == training.pk else training, by=receptionist)
            ticket.refresh_from_db()

    client.force_login(receptionist)
    assert_flat(client, f"/reception/tickets/{ticket.pk}/", add)


# The public pages: the waiting-room display (page and the state it polls) and the phone page.
@pytest.mark.parametrize("url", ["/reception/display/", "/reception/display/state/"])
def test_the_display_keeps_its_query_count_with_calls_and_waiting_tickets(
    client, on_duty, desk, issue_many, url, settings
):
    # Count the answer as it is built (once per queue version); the kept one is one query
    # (tests/reception/test_queue_versions.py).
    settings.CACHES = {**settings.CACHES, "queue": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    def add(n):
        issue_many(2 * n)
        for _index in range(n):  # calls for the board, and tickets still waiting
            called = queue.call_next(desk=desk, by=on_duty)
            queue.mark_no_show(ticket=called, desk=desk, by=on_duty)

    assert_flat(client, url, add)


def test_the_phone_page_keeps_its_query_count_however_many_wait_ahead(client, receptionist, training, issue_many):
    mine = queue.issue_ticket(area=training, issued_by=receptionist)

    def add(n):
        issue_many(n)
        Ticket.objects.filter(pk=mine.pk).update(arrived_at=timezone.now())  # the others are ahead

    assert_flat(client, mine.get_absolute_url(), add)


# Counselling: my desk with its queue, the sessions list, my day.
def test_my_desk_keeps_its_query_count(client, on_duty, issue_many):
    client.force_login(on_duty)
    assert_flat(client, "/counselling/", issue_many)


@pytest.mark.parametrize("url", ["/counselling/sessions/", "/counselling/day/"])
def test_session_pages_keep_their_query_count(client, on_duty, served, url):
    client.force_login(on_duty)
    assert_flat(client, url, served)


def test_all_sessions_seen_by_a_manager_keep_their_query_count(client, manager, served):
    client.force_login(manager)
    assert_flat(client, "/counselling/sessions/", served)


# The library: catalogue (browse and search), public catalogue, occupations, OAI-PMH.
@pytest.fixture
def records():
    def add(n):
        for index in range(n):
            number = next(serial)
            create_record(
                data={
                    "title": f"Guide de l'apprentissage {number}",
                    "description": "Les étapes pour trouver un employeur.",
                    "language": "fr",
                    "visibility": ["public", "network", "internal"][index % 3],  # the first one is public
                    "keywords": ["apprentissage"],
                }
            )

    return add


@pytest.mark.parametrize("url", ["/resources/records/", "/resources/records/?q=apprentissage"])
def test_the_catalogue_keeps_its_query_count(client, receptionist, records, url):
    client.force_login(receptionist)
    assert_flat(client, url, records)


@pytest.mark.parametrize("url", ["/resources/public/", "/resources/public/?q=apprentissage"])
def test_the_public_catalogue_keeps_its_query_count(client, records, url):
    assert_flat(client, url, records)


def test_oai_list_records_keeps_its_query_count(client, records):
    assert_flat(client, "/oai?verb=ListRecords&metadataPrefix=oai_dc", records)


def test_occupations_keep_their_query_count(client, receptionist):
    def add(n):  # occupations under ISCO-08's ten major groups, each with a record about it
        for _index in range(n):
            number = next(serial)
            major, _created = IscoGroup.objects.get_or_create(
                code=str(number % 10),
                defaults={
                    "uri": f"http://data.europa.eu/esco/isco/C{number % 10}",
                    "level": IscoGroup.Level.MAJOR,
                    "labels": {"fr": f"Grand groupe {number % 10}", "en": f"Major group {number % 10}"},
                },
            )
            occupation = Occupation.objects.create(
                uri=f"http://data.europa.eu/esco/occupation/{number}",
                group=major,
                labels={"fr": f"Métier {number}", "en": f"Occupation {number}"},
            )
            create_record(data={"title": f"Fiche métier {number}", "language": "fr", "occupations": [occupation]})

    client.force_login(receptionist)
    assert_flat(client, "/resources/occupations/", add)


def test_public_occupation_pages_keep_their_query_count(client):
    """An occupation's page with 1 and 100 neighbours, public records and public workshops about it."""
    from counselling.models import Workshop

    unit = IscoGroup.objects.create(
        code="7126", uri="http://data.europa.eu/esco/isco/C7126", level=IscoGroup.Level.UNIT, labels={"fr": "Plombiers"}
    )
    occupation = Occupation.objects.create(uri="http://example.org/o/plumber", group=unit, labels={"fr": "plombier"})
    area = make_area("find-job")

    def add(n):
        for _index in range(n):
            number = next(serial)
            Occupation.objects.create(
                uri=f"http://example.org/o/{number}", group=unit, labels={"fr": f"Métier {number}"}
            )
            record = create_record(data={"title": f"Fiche {number}", "language": "fr", "visibility": "public"})
            record.occupations.add(occupation)
            starts = timezone.now() + datetime.timedelta(days=1 + number % 20)
            workshop = Workshop.objects.create(
                title=f"Atelier {number}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place="Agora",
                is_public=True,
                area=area,
            )
            workshop.occupations.add(occupation)

    assert_flat(client, reverse("public:occupation", kwargs={"pk": occupation.pk}), add)


@pytest.mark.parametrize("url", ["/", "/workshops/", "/reception/display/", "/reception/display/board/"])
def test_the_public_home_programme_and_display_keep_their_query_count(client, url):
    """The waiting-room display's corner lists the next public workshops too (the page and its board)."""
    from counselling.models import Workshop
    from partners.models import Institution

    area = make_area("find-job")

    def add(n):
        for _index in range(n):
            number = next(serial)
            starts = timezone.now() + datetime.timedelta(days=1 + number % 20)
            workshop = Workshop.objects.create(
                title=f"Atelier {number}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place="Agora",
                is_public=True,
                area=area,
            )
            workshop.institutions.add(Institution.objects.create(name=f"Partenaire {number}"))

    assert_flat(client, url, add)


# Partners: the directory, working groups, my actions, the network.
def test_partner_directory_keeps_its_query_count(client, back_office):
    client.force_login(back_office)
    assert_flat(
        client, "/partners/institutions/", lambda n: [make_institution(f"Partenaire {next(serial)}") for _ in range(n)]
    )


def test_partner_directory_search_keeps_its_query_count(client, back_office):
    client.force_login(back_office)
    assert_flat(
        client,
        "/partners/institutions/?q=partenare",
        lambda n: [make_institution(f"Partenaire {next(serial)}") for _ in range(n)],
    )


def test_a_partner_page_keeps_its_query_count_with_its_exchanges_contacts_and_agreements(client, back_office):
    from partners.services import log_exchange
    from tests.partners.factories import make_contact, make_signed_agreement

    institution = make_institution("Mission Locale")

    def add(n):
        for _index in range(n):
            number = next(serial)
            contact = make_contact(institution, name=f"Contact {number}")
            make_signed_agreement(institution, title=f"Convention {number}", start=-300, end=20)
            log_exchange(
                institution=institution,
                kind="call",
                date=datetime.date(2026, 1, 5),
                note=f"Échange {number}",
                staff=[back_office],
                contacts=[contact],
                by=back_office,
            )

    client.force_login(back_office)
    assert_flat(client, institution.get_absolute_url(), add)


def test_closures_keep_their_query_count(client, back_office, job):
    from counselling.models import Closure

    def add(n):
        for _index in range(n):
            day = timezone.localdate() + datetime.timedelta(days=next(serial) % 300)
            Closure.objects.create(starts_on=day, ends_on=day, area=job, reason_fr="Fermeture")

    client.force_login(back_office)
    assert_flat(client, "/counselling/planning/closures/", add)


def test_working_groups_keep_their_query_count(client, back_office):
    def add(n):
        for _index in range(n):
            make_group(f"Groupe {next(serial)}", lead=back_office, members=[back_office, other_counsellor()])

    client.force_login(back_office)
    assert_flat(client, "/partners/groups/", add)


def test_my_actions_keep_their_query_count(client, counsellor):
    group = make_group(lead=counsellor, members=[counsellor])

    def add(n):
        for index in range(n):
            make_action(group, counsellor, description=f"Action {next(serial)}", due=index - 50)

    client.force_login(counsellor)
    assert_flat(client, "/partners/actions/", add)


def test_the_network_keeps_its_query_count(client, back_office):
    def add(n):
        for _index in range(n):
            number = next(serial)
            Centre.objects.create(name=f"Cité des métiers {number}", country="FR", label_date=datetime.date(2000, 1, 1))

    client.force_login(back_office)
    assert_flat(client, "/partners/network/", add)


# The project: the team directory, and the statistics once they exist on this branch.
def test_the_team_directory_keeps_its_query_count(client, back_office):
    client.force_login(back_office)
    assert_flat(client, "/team/", lambda n: [other_counsellor() for _ in range(n)])


def test_the_statistics_dashboard_keeps_its_query_count(client, manager, served):
    try:
        url = reverse("stats:dashboard")
    except NoReverseMatch:
        pytest.skip("the statistics dashboard (stats:dashboard) is not on this branch yet")
    client.force_login(manager)
    assert_flat(client, url, served)
