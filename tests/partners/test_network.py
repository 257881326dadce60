"""The network page: sister centres (cite.Centre), who mentors whom, and the network's events."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cite.models import Centre
from partners.models import MentoringLink, NetworkEvent
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def centre(name, city, country="FR"):
    host = city.lower()
    return Centre.objects.create(
        name=name, city=city, country=country, oai_base_url=f"https://{host}.example.org/oai", label_date="2008-06-01"
    )


def test_the_network_page_lists_centres_their_mentoring_and_their_oai_base_url(client, back_office):
    paris = centre("Cité des métiers de Paris", "Paris")
    geneve = centre("Cité des métiers de Genève", "Genève", "CH")
    MentoringLink.objects.create(
        mentor=paris, mentee=geneve, start_date=datetime.date(2006, 10, 1), end_date=datetime.date(2008, 6, 30)
    )
    client.force_login(back_office)

    page = client.get("/partners/network/").content.decode()

    assert "Cité des métiers de Genève" in page
    assert "https://genève.example.org/oai" in page
    assert "mentors Cité des métiers de Genève" in page
    assert "mentored by Cité des métiers de Paris" in page
    assert "(2006–2008)" in page


def test_the_network_page_splits_coming_and_past_events_and_names_who_goes(client, manager):
    today = timezone.localdate()
    julien = make_staff("julien@example.org", first_name="Julien", last_name="Moreau")
    winter = NetworkEvent.objects.create(
        name="Winter School",
        kind=NetworkEvent.Kind.WINTER_SCHOOL,
        starts_on=today + datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=62),
        place="Genève",
    )
    winter.participants.add(julien)
    NetworkEvent.objects.create(
        name="Séminaire passé",
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today - datetime.timedelta(days=90),
        place="Marseille",
    )
    client.force_login(manager)

    response = client.get("/partners/network/")

    assert [e.name for e in response.context["upcoming"]] == ["Winter School"]
    assert [e.name for e in response.context["past"]] == ["Séminaire passé"]
    assert "Julien Moreau" in response.content.decode()


def test_the_network_page_keeps_a_fixed_number_of_queries(client, back_office):
    client.force_login(back_office)
    people = [make_staff(f"n{n}@example.org") for n in range(4)]
    today = timezone.localdate()

    def grow(serial):
        a, b = centre(f"Cité A{serial}", f"a{serial}"), centre(f"Cité B{serial}", f"b{serial}")
        MentoringLink.objects.create(mentor=a, mentee=b, start_date=datetime.date(2010, 1, 1))
        event = NetworkEvent.objects.create(
            name=f"Event {serial}", starts_on=today, ends_on=today, place="Porto", host=a
        )
        event.participants.set(people)

    grow(0)
    with CaptureQueriesContext(connection) as once:
        client.get("/partners/network/")
    for serial in range(1, 8):
        grow(serial)
    with CaptureQueriesContext(connection) as many:
        client.get("/partners/network/")
    assert len(many) == len(once)


def test_a_centre_cannot_mentor_itself():
    paris = centre("Cité des métiers de Paris", "Paris")
    with pytest.raises(ValidationError, match="cannot mentor itself"):
        MentoringLink(mentor=paris, mentee=paris, start_date=datetime.date(2020, 1, 1)).full_clean()


def test_an_event_ends_on_or_after_its_first_day():
    event = NetworkEvent(name="x", starts_on=datetime.date(2027, 2, 3), ends_on=datetime.date(2027, 2, 2), place="y")
    with pytest.raises(ValidationError, match="cannot come before the first"):
        event.full_clean()
