"""What the front desk's page costs once a ticket is issued, and its questions kept rendered stay the
lists' current state."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reception.models import AgeBand


def listing(queries):
    return "\n".join(f"{n}. {query['sql'][:300]}" for n, query in enumerate(queries.captured_queries, 1))


def test_the_page_after_issuing_runs_seven_queries(client, receptionist, training, desk, on_duty):
    """The session, the user, their access; the queue's version (the live queue kept under it); the
    ticket issued, its position (its outlook read from the live queue); the profile's lists in one
    query (the questions kept rendered)."""
    client.force_login(receptionist)
    issued = client.post("/reception/", {"area": training.pk})["Location"]
    client.get(issued, HTTP_ACCEPT_LANGUAGE="en")  # the areas' service times kept: the version moves once
    client.get(issued, HTTP_ACCEPT_LANGUAGE="en")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(issued, HTTP_ACCEPT_LANGUAGE="en")
    assert len(queries) <= 7, listing(queries)
    assert "Ticket issued" in response.content.decode()
    assert "about" in response.content.decode()  # its estimated wait, from the live queue


def test_the_questions_show_the_lists_as_they_are_now(client, receptionist):
    band = AgeBand.objects.create(code="18-25", label_fr="18 à 25 ans", label_en="18 to 25")
    client.force_login(receptionist)
    assert "18 à 25 ans" in client.get("/reception/").content.decode()

    band.label_fr = "De 18 à 25 ans"
    band.save()
    assert "De 18 à 25 ans" in client.get("/reception/").content.decode()

    band.is_active = False
    band.save()
    assert "18 à 25 ans" not in client.get("/reception/").content.decode()
