"""Beside the calls, the waiting-room display shows the centre's clock, today's closing time and the next
public workshops: right at load without the script, and without a query more in the poll of every second."""

import datetime
import re

import pytest
from django.urls import reverse

from counselling.models import Closure
from partners.models import Institution
from reception import services
from tests.conftest import make_staff
from tests.counselling.planning_helpers import frozen, open_centre
from tests.counselling.workshop_factories import make_workshop
from tests.factories import local

# 2026-03-02 is a Monday (winter time in Paris: UTC+1).
MONDAY = datetime.date(2026, 3, 2)
TUESDAY = MONDAY + datetime.timedelta(days=1)
FRIDAY = MONDAY + datetime.timedelta(days=4)
LABEL = re.compile(r'<p class="display-opening ([\w-]+)" data-opening>([^<]*)</p>')
OPENS_AT_NINE = "Ouvre aujourd’hui à 09:00"
CLOCK = re.compile(r"<time data-clock[^>]*>([^<]*)</time>")


@pytest.fixture
def centre(db):
    open_centre()  # Monday to Friday, 9:00-17:00


def board(client, moment, language="fr", url="reception:display"):
    with frozen(moment):
        response = client.get(reverse(url), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def said(page):
    """(clock, state, label) as the page shows them."""
    label = LABEL.search(page)
    return CLOCK.search(page).group(1), *(label.groups() if label else (None, None))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(MONDAY, 10), ("10:00", "is-open", "Ouvert jusqu’à 17:00")),
        (local(MONDAY, 16, 45), ("16:45", "is-closing", "Fermeture dans 15\u00a0min")),
        (local(MONDAY, 16, 59, 30), ("16:59", "is-closing", "Fermeture dans 1\u00a0min")),
        (local(MONDAY, 17, 30), ("17:30", "is-closed", "Fermé")),
        (local(MONDAY, 8, 30), ("08:30", "is-before", OPENS_AT_NINE)),
        # 23:30 UTC on Monday is 00:30 on Tuesday in Paris: Tuesday's hours, the centre's clock.
        (datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC), ("00:30", "is-before", OPENS_AT_NINE)),
        # After midnight on Friday: Saturday, when the centre does not open.
        (local(FRIDAY + datetime.timedelta(days=1), 0, 30), ("00:30", "is-closed", "Fermé")),
    ],
)
def test_the_clock_and_the_closing_time_at_load(client, centre, moment, expected):
    assert said(board(client, moment)) == expected


def test_in_english(client, centre):
    assert said(board(client, local(MONDAY, 10), "en"))[2] == "Open until 17:00"
    assert said(board(client, local(MONDAY, 16, 50), "en"))[2] == "Closes in 10 min"


def test_a_closure_day_says_closed_today_and_gives_the_script_no_hours(client, centre):
    Closure.objects.create(starts_on=MONDAY, ends_on=MONDAY, reason_fr="Inventaire")
    page = board(client, local(MONDAY, 10))
    assert said(page) == ("10:00", "is-closed", "Fermé aujourd’hui")
    assert "data-closes" not in page


def test_the_script_gets_todays_hours_the_day_and_the_zone(client, centre, settings):
    page = board(client, datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC))
    assert 'data-day="2026-03-03"' in page  # the centre's date, not the server's UTC one
    assert f'data-zone="{settings.TIME_ZONE}"' in page
    assert 'data-opens="09:00" data-closes="17:00" data-soon="30"' in page
    # The labels it switches between, translated, the minutes left to fill in.
    assert 'data-label-open="Ouvert jusqu’à 17:00"' in page
    assert 'data-label-soon="Fermeture dans {minutes}\u00a0min"' in page
    assert 'data-label-closed="Fermé"' in page


def test_without_opening_hours_the_display_shows_its_clock_only(client, db):
    page = board(client, local(MONDAY, 10))
    assert said(page) == ("10:00", None, None)
    assert "data-closes" not in page


def test_the_next_public_workshops_by_time_and_title_and_nothing_of_who(client, centre, counsellor):
    counsellor.first_name, counsellor.last_name = "Anouk", "Delacroix-Marchal"
    counsellor.save()
    partner = Institution.objects.create(name="Mission locale du Grand Nord", kind="employment")
    today = make_workshop("Réussir son CV", starts_at=local(MONDAY, 14))
    today.facilitators.add(counsellor)
    today.institutions.add(partner)
    make_workshop("Découvrir les métiers du soin", starts_at=local(TUESDAY, 10))
    make_workshop("Forum de l’alternance", starts_at=local(FRIDAY, 9, 30))
    make_workshop("Le quatrième, de trop", starts_at=local(FRIDAY, 15))
    make_workshop("Réunion interne", starts_at=local(MONDAY, 11), is_public=False)
    make_workshop("Annulé", starts_at=local(MONDAY, 12), is_cancelled=True)
    make_workshop("Commencé à 9 heures", starts_at=local(MONDAY, 9))
    make_workshop("Dans trois semaines", starts_at=local(MONDAY + datetime.timedelta(days=21), 10))

    page = board(client, local(MONDAY, 10))
    shown = re.findall(r'class="display-workshop-title">([^<]*)<', page)
    assert shown == ["Réussir son CV", "Découvrir les métiers du soin", "Forum de l’alternance"]
    when = re.findall(r'class="display-workshop-when">([^<]*)<time[^>]*>([^<]*)<', page)
    assert when == [("Aujourd’hui · ", "14:00"), ("Demain · ", "10:00"), ("Vendredi 6 mars · ", "09:30")]
    for hidden in ("Anouk", "Delacroix", "Mission locale", "Réunion interne", "Annulé", "Commencé"):
        assert hidden not in page
    # The script hides one once it has begun: it needs its start.
    assert f'data-starts="{local(MONDAY, 14).isoformat()}"' in page


def test_no_workshop_to_come_leaves_the_corner_empty(client, centre):
    make_workshop("Hier", starts_at=local(MONDAY - datetime.timedelta(days=1), 10))
    page = board(client, local(MONDAY, 10))
    assert "display-workshop-list" not in page
    assert 'data-board-part="workshops"' in page  # the place the script fills after a refresh


def test_the_board_alone_is_what_the_script_fetches_again(client, centre):
    make_workshop("Réussir son CV", starts_at=local(MONDAY, 14))
    page = board(client, local(MONDAY, 16, 45), url="reception:display-board")
    assert said(page) == ("16:45", "is-closing", "Fermeture dans 15\u00a0min")
    assert 'data-board-part="hours"' in page and 'data-board-part="workshops"' in page
    assert "<html" not in page and "call-list" not in page


def test_the_board_follows_the_displays_key(client, centre, settings):
    settings.RECEPTION_DISPLAY_KEY = "screen-hall-2026"
    assert client.get(reverse("reception:display-board")).status_code == 404
    assert client.get(reverse("reception:display-board"), {"key": "screen-hall-2026"}).status_code == 200
    page = client.get(reverse("reception:display"), {"key": "screen-hall-2026"}).content.decode()
    assert 'data-board-url="/reception/display/board/?key=screen-hall-2026"' in page


def test_the_poll_of_every_second_carries_no_board_and_no_query_more(
    client, centre, issue, training, desk, on_duty, django_assert_num_queries
):
    """Hours and workshops come with the page and its board, never with the poll: 1 query while the
    queue stands still, 6 when it moved, as before them."""
    for day in range(3):
        make_workshop(f"Atelier {day}", days=day + 1)
    services.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    url = reverse("reception:display-state")
    with django_assert_num_queries(6):
        first = client.get(url)
    assert set(first.json()) == {"calls", "waiting"}
    with django_assert_num_queries(1):
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_the_board_runs_the_same_queries_with_one_workshop_or_many(client, centre, django_assert_num_queries):
    make_workshop("Atelier 0", days=1)
    url = reverse("reception:display-board")
    with django_assert_num_queries(3):  # opening hours, closures, workshops
        client.get(url)
    for day in range(20):
        make_workshop(f"Atelier {day + 1}", days=1 + day / 10)
    with django_assert_num_queries(3):
        client.get(url)


def test_a_staff_name_on_a_workshop_never_reaches_the_board(client, centre):
    staff = make_staff("leon@example.org", "Counsellor", first_name="Léonard", last_name="Zyzzyva")
    make_workshop("Atelier CV", days=1).facilitators.add(staff)
    page = client.get(reverse("reception:display-board")).content.decode()
    assert "Atelier CV" in page and "Zyzzyva" not in page and "Léonard" not in page


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("fr", "Après votre visite, la page du QR code de votre ticket vous pose deux questions anonymes\u00a0:"),
        ("en", "After your visit, the page of your ticket’s QR code asks you two anonymous questions:"),
    ],
)
def test_the_display_says_that_the_tickets_page_asks_for_an_opinion(client, db, language, line):
    page = client.get(reverse("reception:display"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    footer = page[page.index('<footer class="display-footer">') :]
    assert f'<p class="display-feedback">{line}' in footer
