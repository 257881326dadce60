"""The sessions list reaches every session, page by page, newest first, its filters kept from page to page."""

import importlib
import re

import pytest
from django.urls import reverse

from cite.roles import COUNSELLOR
from counselling import services as counselling
from reception import services as queue
from tests.conftest import make_staff

URL = reverse("counselling:sessions")


@pytest.fixture
def five_sessions(training, job, on_duty, desk, monkeypatch):
    """Five finished sessions at the desk, the last three in the job area; two a page."""
    monkeypatch.setattr(importlib.import_module("counselling.views.sessions"), "SESSIONS_PER_PAGE", 2)
    codes = []
    for index in range(5):
        ticket = queue.issue_ticket(area=training if index < 2 else job, issued_by=None)
        queue.call_ticket(ticket=ticket, desk=desk, by=on_duty)
        session = counselling.start_session(ticket=ticket, desk=desk, counsellor=on_duty)
        counselling.finish_session(session=session, by=on_duty)
        codes.append(ticket.code)
    return codes


def shown(page):
    return re.findall(r'<td class="ticket-cell">([^<]+)</td>', page)


def test_every_session_is_reached_page_by_page_newest_first(client, manager, five_sessions):
    client.force_login(manager)
    pages = [client.get(URL, {"page": number}).content.decode() for number in (1, 2, 3)]
    assert [shown(page) for page in pages] == [five_sessions[4:2:-1], five_sessions[2:0:-1], five_sessions[:1]]
    assert "1–2 sur 5 entretiens" in pages[0]
    english = client.get(URL, {"page": 3}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "5–5 of 5 sessions" in english
    assert 'rel="next" href="?page=2"' in pages[0]
    assert 'rel="prev"' in pages[2] and 'rel="next"' not in pages[2]


def test_the_filters_are_kept_from_page_to_page(client, manager, five_sessions, job):
    client.force_login(manager)
    page = client.get(URL, {"area": job.pk}).content.decode()
    assert shown(page) == five_sessions[4:2:-1]
    assert f'href="?area={job.pk}&amp;page=2"' in page
    assert shown(client.get(URL, {"area": job.pk, "page": 2}).content.decode()) == five_sessions[2:3]


def test_the_total_is_written_as_each_language_writes_numbers(client, manager, five_sessions, monkeypatch):
    monkeypatch.setattr("django.core.paginator.Paginator.count", 4540)
    client.force_login(manager)
    assert "sur 4\xa0540 entretiens" in client.get(URL).content.decode()
    assert "of 4,540 sessions" in client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1e9", "9" * 40])
def test_a_page_out_of_range_or_not_a_number_gets_a_page_not_an_error(client, manager, five_sessions, page):
    client.force_login(manager)
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert len(shown(response.content.decode())) in (1, 2)


def test_a_counsellor_counts_and_pages_their_own_sessions_only(client, on_duty, five_sessions):
    """The five are the desk counsellor's; another counsellor's list has none of them."""
    client.force_login(on_duty)
    assert "1–2 sur 5 entretiens" in client.get(URL).content.decode()
    client.force_login(make_staff("yanis@example.org", COUNSELLOR, first_name="Yanis"))
    page = client.get(URL).content.decode()
    assert shown(page) == []
    assert "Aucun entretien ne correspond." in page and 'class="pagination"' not in page


def test_the_counsellor_filter_offers_those_who_recorded_a_session(client, manager, on_duty, five_sessions):
    make_staff("yanis@example.org", COUNSELLOR, first_name="Yanis")  # no session yet
    client.force_login(manager)
    page = client.get(URL).content.decode()
    select = page[page.index('name="counsellor"') : page.index("</select>", page.index('name="counsellor"'))]
    assert f'value="{on_duty.pk}"' in select
    assert "Yanis" not in select
