"""The two pages visitors see: the phone page behind the QR code, and the waiting-room display."""

import datetime

import pytest
from django.urls import reverse

from reception import services
from reception.models import AgeBand, Ticket, TicketEvent


@pytest.fixture
def ticket(issue, training):
    band = AgeBand.objects.create(code="18-25", label_fr="18 à 25 ans (profil)", label_en="18 to 25 (profile)")
    return issue(training, age_band=band, first_visit=True)


def test_phone_page_shows_code_area_and_position_but_nothing_of_the_profile(client, ticket, issue, training):
    issue(training)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "B-001" in page
    assert "Trouver une formation" in page
    assert "18 à 25" not in page
    assert "Votre ticket est le prochain" in page


def test_phone_page_refreshes_itself_as_often_as_the_setting_says(client, ticket, settings):
    assert 'hx-trigger="every 5s, phone-wake"' in client.get(ticket.get_absolute_url()).content.decode()
    settings.RECEPTION_PHONE_REFRESH_SECONDS = 2
    assert 'hx-trigger="every 2s, phone-wake"' in client.get(ticket.get_absolute_url()).content.decode()


def test_phone_page_says_which_desk_once_called(client, ticket, desk, on_duty):
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    status = client.get(reverse("phone:status", args=[ticket.token])).content.decode()
    assert "desk 3" in status.lower() or "guichet 3" in status.lower()


def test_phone_page_expires_at_the_end_of_the_day(client, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(day=ticket.day - datetime.timedelta(days=1))
    assert client.get(ticket.get_absolute_url()).status_code == 410
    assert client.get(reverse("phone:status", args=[ticket.token])).status_code == 410


def test_unknown_or_guessed_tokens_find_nothing(client, ticket):
    assert client.get(reverse("phone:ticket", args=["x" * 32])).status_code == 404
    assert client.get(reverse("phone:ticket", args=[ticket.token[:-1]])).status_code == 404
    assert client.get(f"/t/{ticket.pk}/").status_code == 404


def test_tokens_are_long_random_and_distinct(issue, training):
    tokens = {issue(training).token for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) >= 32 for token in tokens)  # 24 random bytes = 192 bits


def test_display_shows_the_last_calls_newest_first_and_waiting_counts(client, issue, training, desk, on_duty):
    first, second = issue(training), issue(training)
    issue(training)
    services.call_ticket(ticket=first, desk=desk, by=on_duty)
    services.mark_no_show(ticket=first, desk=desk, by=on_duty)
    services.call_ticket(ticket=second, desk=desk, by=on_duty)
    state = client.get(reverse("reception:display-state")).json()
    assert [(c["code"], c["desk"]) for c in state["calls"]] == [("B-002", "3"), ("B-001", "3")]
    assert {"area": "Trouver une formation", "letter": "B", "count": 1} in state["waiting"]
    page = client.get(reverse("reception:display")).content.decode()
    assert "B-002" in page


def test_display_names_a_ticket_by_its_code_and_shows_nothing_that_leads_to_the_visitor(
    client, ticket, issue, training, desk, on_duty
):
    """The board hangs in a public room: no phone page key, no ticket id, nothing of the profile."""
    other = issue(training)
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    response = client.get(reverse("reception:display-state"))
    state = response.json()
    assert [set(call) for call in state["calls"]] == [{"id", "code", "desk", "area", "letter"}]
    call = state["calls"][0]
    assert call["code"] == ticket.code
    # The id is the call's (the display uses it to flash a new call), never the ticket's.
    assert call["id"] == TicketEvent.objects.get(ticket=ticket, kind=TicketEvent.Kind.CALLED).pk
    page = client.get(reverse("reception:display")).content.decode()
    for shown in (response.content.decode(), page):
        assert ticket.token not in shown and other.token not in shown
        assert "18 à 25" not in shown and "18 to 25" not in shown and "18-25" not in shown


def test_display_can_require_a_key(client, settings, db):
    settings.RECEPTION_DISPLAY_KEY = "screen-hall-2026"
    assert client.get(reverse("reception:display")).status_code == 404
    assert client.get(reverse("reception:display-state"), {"key": "wrong"}).status_code == 404
    assert client.get(reverse("reception:display"), {"key": "screen-hall-2026"}).status_code == 200


def test_display_poll_keeps_a_fixed_number_of_queries(
    client, issue, training, desk, on_duty, django_assert_num_queries
):
    ticket = issue(training)
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    with django_assert_num_queries(6):
        client.get(reverse("reception:display-state"))
    services.finish(ticket=services.start_serving(ticket=ticket, desk=desk, by=on_duty), desk=desk, by=on_duty)
    for _ in range(20):
        services.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
        services.mark_no_show(ticket=Ticket.objects.get(status="called"), desk=desk, by=on_duty)
    with django_assert_num_queries(6):
        client.get(reverse("reception:display-state"))


def test_a_key_with_a_nul_byte_is_simply_not_found(client, ticket):
    """Found by the fuzz tests: PostgreSQL refuses NUL in text, which made the lookup a server error."""
    assert client.get("/t/%00/").status_code == 404
    assert client.get(f"/t/{ticket.token[:5]}%00/status/").status_code == 404
