"""The workshops' iCalendar feeds: times in the centre's time zone, stable UIDs, a public feed
without cancelled or internal workshops and without staff names, a staff download behind a login."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from counselling import services
from partners.models import Institution
from tests.conftest import make_staff
from tests.counselling.workshop_factories import make_workshop
from tests.factories import events_by_summary, parse_calendar

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PUBLIC = reverse("counselling:workshop-public-feed")
STAFF = reverse("counselling:workshop-feed")


@pytest.fixture
def coming(settings):
    settings.TIME_ZONE = "Europe/Paris"
    start = datetime.datetime(2027, 7, 2, 14, 0, tzinfo=PARIS)  # summer time: 12:00 UTC
    workshop = make_workshop(
        "Job dating de l'été", starts_at=start, hours=3, kind="job_dating", capacity=40, description="Venez avec un CV."
    )
    workshop.institutions.add(Institution.objects.create(name="France Travail", kind="employment"))
    workshop.facilitators.add(make_staff("yanis@example.org", "Counsellor", first_name="Yanis", last_name="Haddad"))
    return workshop


def test_the_public_feed_gives_times_in_the_centres_time_zone_with_its_vtimezone(client, coming):
    calendar = parse_calendar(client.get(PUBLIC))

    event = events_by_summary(calendar)["Job dating de l'été"]
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event.decoded("dtstart") == coming.starts_at
    assert event.decoded("dtstart").utcoffset() == datetime.timedelta(hours=2)
    assert event.decoded("dtend") == coming.starts_at + datetime.timedelta(hours=3)
    assert str(event["location"]) == "Salle Agora"
    assert "Venez avec un CV." in str(event["description"]) and "France Travail" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert event.decoded("dtstamp").utcoffset() == datetime.timedelta(0)
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert str(vtimezone["tzid"]) == "Europe/Paris"
    assert "DTSTART;TZID=Europe/Paris:20270702T140000" in client.get(PUBLIC).content.decode()


def test_the_public_feed_names_no_staff_member_and_links_to_no_staff_page(client, coming):
    raw = client.get(PUBLIC).content.decode()
    assert "Haddad" not in raw and "Yanis" not in raw and "yanis@" not in raw
    assert "URL:" not in raw


def test_uids_never_change_when_a_workshop_moves(client, coming):
    before = str(events_by_summary(parse_calendar(client.get(PUBLIC)))["Job dating de l'été"]["uid"])
    services.update_workshop(
        workshop=coming,
        data={
            "starts_at": coming.starts_at + datetime.timedelta(days=1),
            "ends_at": coming.ends_at + datetime.timedelta(days=1),
        },
    )
    after = events_by_summary(parse_calendar(client.get(PUBLIC)))["Job dating de l'été"]
    assert str(after["uid"]) == before == f"workshop-{coming.uid}@counselling.cite"
    assert after.decoded("dtstart") == coming.starts_at + datetime.timedelta(days=1)


def test_cancelled_and_internal_workshops_stay_out_of_the_public_feed(client, coming):
    cancelled = make_workshop("Atelier annulé", days=5)
    services.cancel_workshop(workshop=cancelled)
    make_workshop("Réunion interne des partenaires", days=6, is_public=False)

    assert set(events_by_summary(parse_calendar(client.get(PUBLIC)))) == {"Job dating de l'été"}


def test_the_staff_download_needs_a_login_and_marks_cancelled_workshops(client, coming, receptionist):
    cancelled = make_workshop("Atelier annulé", days=5)
    services.cancel_workshop(workshop=cancelled)
    make_workshop("Réunion interne des partenaires", days=6, is_public=False)

    assert client.get(STAFF)["Location"].startswith("/accounts/login/")
    client.force_login(receptionist)
    response = client.get(STAFF)
    assert response["Content-Disposition"].startswith("attachment;")
    found = events_by_summary(parse_calendar(response))
    assert set(found) == {"Job dating de l'été", "Atelier annulé", "Réunion interne des partenaires"}
    assert str(found["Atelier annulé"]["status"]) == "CANCELLED"
    assert str(found["Job dating de l'été"]["url"]).endswith(coming.get_absolute_url())


def test_the_feeds_keep_a_year_back_and_every_coming_workshop(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    make_workshop("Il y a deux ans", days=-730)
    make_workshop("Il y a six mois", days=-180)
    make_workshop("Dans deux ans", days=730)
    assert set(events_by_summary(parse_calendar(client.get(PUBLIC)))) == {"Il y a six mois", "Dans deux ans"}


@pytest.mark.parametrize("rows", [1, 30])
def test_the_feed_keeps_a_fixed_number_of_queries(client, rows, django_assert_max_num_queries):
    partner = Institution.objects.create(name="BGE", kind="association")
    for index in range(rows):
        make_workshop(f"Atelier {index}", days=index + 1).institutions.add(partner)
    with django_assert_max_num_queries(2):
        calendar = parse_calendar(client.get(PUBLIC))
    assert len(calendar.walk("VEVENT")) == rows
