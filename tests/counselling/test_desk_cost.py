"""What the desk's busiest requests cost: the page of a free desk, call next, and issuing a ticket at
the front desk, in queries; and the walk-in form kept rendered stays the lists' current state."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from reception.models import AgeBand, Duty, Ticket

ACTION = reverse("counselling:desk-action")


def listing(queries):
    return "\n".join(f"{n}. {query['sql'][:300]}" for n, query in enumerate(queries.captured_queries, 1))


def test_a_free_desk_page_runs_nine_queries(client, on_duty, issue, training):
    """The session, the user, their access; the duty and its desk (its last sign of life written only
    every 30 seconds); the areas it calls (the desk's areas with the counsellor's list; the planning
    only for a counsellor with a permanence at the desk); the ticket at the desk; the next tickets
    with their count; the counsellor's day; the walk-in form's lists (its fields kept rendered)."""
    for _ in range(30):
        issue(training)
    client.force_login(on_duty)
    client.get(reverse("counselling:desk"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("counselling:desk"))
    assert len(queries) <= 9, listing(queries)
    assert response.status_code == 200
    assert 'name="age_band"' in response.content.decode()


def test_call_next_runs_fourteen_queries(client, on_duty, issue, training):
    """The session, the user, their access; the desk, the areas it calls; then the call's own
    transaction (here a savepoint and its release inside the test's: 16)."""
    issue(training)
    client.force_login(on_duty)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(ACTION, {"action": "call-next"})
    assert len(queries) <= 16, listing(queries)
    assert response.status_code == 302
    assert Ticket.objects.get().status == Ticket.Status.CALLED


def test_issuing_where_a_desk_is_open_asks_nothing_of_the_planning(client, receptionist, training, on_duty):
    """The session, the user, their access; a desk serving the area is open; the area; the ticket's
    number, the ticket, its event, the queue's version (and a savepoint and its release inside the
    test's transaction: 11)."""
    client.force_login(receptionist)
    client.post("/reception/", {"area": training.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/reception/", {"area": training.pk})
    assert len(queries) <= 11, listing(queries)
    assert response.status_code == 302
    assert Ticket.objects.count() == 2


def test_the_walk_in_form_shows_the_lists_as_they_are_now(client, on_duty):
    band = AgeBand.objects.create(code="18-25", label_fr="18 à 25 ans", label_en="18 to 25")
    client.force_login(on_duty)
    assert "18 à 25 ans" in client.get(reverse("counselling:desk")).content.decode()

    band.label_fr = "De 18 à 25 ans"
    band.save()
    assert "De 18 à 25 ans" in client.get(reverse("counselling:desk")).content.decode()

    AgeBand.objects.create(code="26-45", label_fr="26 à 45 ans", label_en="26 to 45")
    band.is_active = False
    band.save()
    page = client.get(reverse("counselling:desk")).content.decode()
    assert "26 à 45 ans" in page and "De 18 à 25 ans" not in page


def test_the_walk_in_form_is_kept_per_language(client, on_duty):
    AgeBand.objects.create(code="18-25", label_fr="18 à 25 ans", label_en="18 to 25")
    client.force_login(on_duty)
    assert "18 à 25 ans" in client.get(reverse("counselling:desk")).content.decode()
    with translation.override("en"):
        page = client.get(reverse("counselling:desk"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "18 to 25" in page and "18 à 25 ans" not in page


def test_the_desk_page_notes_the_counsellor_there_at_most_every_thirty_seconds(client, on_duty):
    client.force_login(on_duty)
    earlier = timezone.now() - datetime.timedelta(minutes=5)
    Duty.objects.filter(user=on_duty).update(last_seen_at=earlier)
    client.get(reverse("counselling:desk"))
    seen = Duty.objects.get(user=on_duty).last_seen_at
    assert seen > earlier + datetime.timedelta(minutes=4)

    client.get(reverse("counselling:desk-presence"))
    assert Duty.objects.get(user=on_duty).last_seen_at == seen  # noted a moment ago: not written again
