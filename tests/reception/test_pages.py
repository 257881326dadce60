"""Staff pages of reception: the front desk, today's list, the printed ticket."""

import re

import pytest
from django.urls import reverse

from reception.models import AgeBand, Ticket


@pytest.fixture
def age_bands(db):
    return [
        AgeBand.objects.create(code="18-25", label_fr="18 à 25 ans", label_en="18 to 25", order=1),
        AgeBand.objects.create(code="26-35", label_fr="26 à 35 ans", label_en="26 to 35", order=2),
    ]


def test_front_desk_issues_a_ticket_in_one_click_and_shows_it_large(client, receptionist, training, age_bands):
    client.force_login(receptionist)
    response = client.post(reverse("reception:front-desk"), {"area": training.pk, "age_band": age_bands[0].pk})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reception/?issued={ticket.pk}"
    assert (ticket.code, ticket.age_band, ticket.issued_by) == ("B-001", age_bands[0], receptionist)

    page = client.get(response["Location"]).content.decode()
    assert '<p class="ticket-code">B-001</p>' in page
    assert f'href="/reception/tickets/{ticket.pk}/print/"' in page
    assert "checked" not in page.split('name="age_band"')[2].split(">")[0]  # the form is blank for the next one


def test_front_desk_without_an_area_says_so_and_keeps_the_answers(client, receptionist, training, age_bands):
    client.force_login(receptionist)
    response = client.post(reverse("reception:front-desk"), {"age_band": age_bands[1].pk, "first_visit": "yes"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the area the visitor comes for." in page or "Choisissez le pôle" in page
    assert re.search(rf'value="{age_bands[1].pk}"[^>]*checked', page)
    assert re.search(r'value="yes"[^>]*checked', page)
    assert not Ticket.objects.exists()


def test_front_desk_with_a_forged_area_gives_a_message_not_an_error(client, receptionist, training):
    client.force_login(receptionist)
    response = client.post(reverse("reception:front-desk"), {"area": "99999"})
    assert response.status_code == 200
    assert not Ticket.objects.exists()


def test_front_desk_keeps_a_fixed_number_of_queries(
    client, receptionist, issue, training, job, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(receptionist)
    issue(training)
    client.get(reverse("reception:front-desk"))  # the service times measured once, then kept
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reception:front-desk"))
    for _ in range(40):
        issue(job)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("reception:front-desk"))


def test_today_filters_by_status_and_area(client, receptionist, issue, training, job, desk, on_duty):
    from reception import services

    issue(training), issue(job)
    third = issue(job)
    services.cancel(ticket=third, by=receptionist)
    client.force_login(receptionist)
    page = client.get(reverse("reception:today"), {"status": "waiting", "area": job.pk}).content.decode()
    assert "C-001" in page
    assert "B-001" not in page and "C-002" not in page
    bad = client.get(reverse("reception:today"), {"after": "25:99", "area": "nope"})
    assert bad.status_code == 200


def test_today_keeps_a_fixed_number_of_queries(client, receptionist, issue, training, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(receptionist)
    issue(training)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reception:today"))
    for _ in range(40):
        issue(training)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("reception:today"))


def test_reception_cancels_a_ticket_from_todays_list(client, receptionist, issue, training):
    ticket = issue(training)
    client.force_login(receptionist)
    response = client.post(
        reverse("reception:cancel-ticket", args=[ticket.pk]), {"next": "/reception/today/", "reason": "left"}
    )
    assert response["Location"] == "/reception/today/"
    ticket.refresh_from_db()
    assert ticket.status == "cancelled"


def test_printed_ticket_has_code_area_wait_qr_and_no_personal_data_line(client, receptionist, issue, training):
    ticket = issue(training)
    client.force_login(receptionist)
    page = client.get(reverse("reception:print-ticket", args=[ticket.pk])).content.decode()
    assert '<p class="receipt-code">B-001</p>' in page
    assert "data:image/svg+xml" in page
    assert "No personal data is needed" in page or "Aucune donnée personnelle" in page


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("fr", "Après votre visite, cette même page vous pose deux questions anonymes."),
        ("en", "After your visit, the same page asks you two anonymous questions."),
    ],
)
def test_printed_ticket_says_the_qr_codes_page_asks_two_questions_after_the_visit(
    client, receptionist, issue, training, language, line
):
    """In the front desk's language, as the rest of the ticket, right under the QR code's own line."""
    ticket = issue(training)
    client.force_login(receptionist)
    page = client.get(reverse("reception:print-ticket", args=[ticket.pk]), HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    assert f'<p class="receipt-small">{line}</p>' in text
    assert text.index("receipt-qr") < text.index(line)


def test_a_forged_profile_answer_is_refused_beside_its_question(client, receptionist, training):
    """Found by the fuzz tests: an answer that is not on the list used to re-show the form without a word."""
    client.force_login(receptionist)
    response = client.post("/reception/", {"area": training.pk, "first_visit": "maybe"})
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    assert "errorlist" in response.content.decode()


def test_cancelling_goes_back_only_to_a_page_of_this_site(client, receptionist, issue, training):
    """Found by the fuzz tests: `next` was followed anywhere, and a `next` without a slash was taken
    for a view name (a server error)."""
    client.force_login(receptionist)
    for given in ("https://evil.example.org/", "//evil.example.org/", "a\x00b", "javascript:alert(1)"):
        response = client.post(f"/reception/tickets/{issue(training).pk}/cancel/", {"next": given, "reason": "left"})
        assert response["Location"] == "/reception/today/"
    response = client.post(
        f"/reception/tickets/{issue(training).pk}/cancel/", {"next": "/reception/today/?area=1", "reason": "left"}
    )
    assert response["Location"] == "/reception/today/?area=1"


def test_a_ticket_number_in_superscript_digits_is_no_ticket_not_a_500(client, on_duty, desk):
    """str.isdigit() accepts "²": the desk must read only ASCII digits as a ticket's id."""
    client.force_login(on_duty)
    response = client.post(reverse("counselling:desk-action"), {"action": "call", "ticket": "²"}, follow=True)
    assert response.status_code == 200
    assert "n’existe plus" in str(next(iter(response.context["messages"])))
