"""A counsellor's journey in the real browser: a ticket issued at reception (the front desk page, in
another browser) is called, received, its session recorded (topics, an occupation found by
type-ahead, a document, a referral), finished, and the next visitor called — in French and in English."""

import re

import pytest
from playwright.sync_api import expect

from counselling.models import Session
from partners.models import Institution
from reception.models import Ticket
from resources.services import create_record
from tests.conftest import PASSWORD, make_staff, screenshot, watch_console
from tests.factories import make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "fr": {
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "login": "Connexion",
        "open": "Ouvrir Guichet 3",
        "call": "Appeler le suivant",
        "here": "Le visiteur est là",
        "finish": "Terminer l’entretien",
        "partners": "Orienté vers une institution partenaire",
        "area": "Trouver une formation",
    },
    "en": {
        "email": "Email address",
        "password": "Password",
        "login": "Log in",
        "open": "Open Desk 3",
        "call": "Call next",
        "here": "The visitor is here",
        "finish": "Finish the session",
        "partners": "Referred to a partner institution",
        "area": "Find training",
    },
}


def log_in(page, words, language, email):
    if language == "en":
        page.goto("/accounts/login/")
        page.get_by_role("button", name="EN").click()
    page.goto("/accounts/login/")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["login"]).click()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_call_receive_record_refer_finish_and_call_the_next(
    page, browser, live_server, areas, topics, plumber, language
):
    words = TEXT[language]
    training = areas["find-training"]
    make_desk("3", training)
    make_staff("ines@example.org", "Reception", first_name="Inès")
    make_staff("camille@example.org", "Counsellor", first_name="Camille")
    mission_locale = Institution.objects.create(name="Mission Locale du Centre", kind="association")
    guide = create_record(data={"title": "Guide de l'alternance", "language": "fr", "visibility": "public"})

    # Reception, in its own browser: two visitors for "find training", one click each.
    reception = watch_console(
        browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 800}, locale="fr-FR"
        ).new_page()
    )
    log_in(reception, words, language, "ines@example.org")
    reception.wait_for_url(re.compile(r"/reception/"))
    reception.get_by_role("button", name=re.compile(words["area"])).click()
    expect(reception.locator(".ticket-issued .ticket-code")).to_have_text("B-001")
    reception.get_by_role("button", name=re.compile(words["area"])).click()
    expect(reception.locator(".ticket-issued .ticket-code")).to_have_text("B-002")
    screenshot(reception, f"counselling-reception-issued-{language}")
    first, second = Ticket.objects.order_by("number")
    assert reception.console_errors == []
    reception.context.close()

    # The counsellor, at desk 3.
    log_in(page, words, language, "camille@example.org")
    page.wait_for_url(re.compile(r"/counselling/"))
    page.get_by_role("button", name=words["open"]).click()
    page.get_by_role("button", name=words["call"]).click()
    expect(page.locator(".current-ticket .ticket-code")).to_have_text(first.code)
    page.get_by_role("button", name=words["here"]).click()

    # Topics, an occupation typed without accents and with a typo, a document, a referral.
    page.get_by_text(topics[0].label_fr if language == "fr" else topics[0].label_en, exact=True).click()
    occupation_input = page.locator(".concept-picker[data-kind=occupation] .combobox-input")
    occupation_input.fill("plombiere")
    expect(page.locator(".combobox-listbox [role=option]").first).to_contain_text("plomb")
    occupation_input.press("ArrowDown")
    occupation_input.press("Enter")
    record_input = page.locator(".concept-picker[data-kind=record] .combobox-input")
    record_input.fill("altern")
    expect(page.locator(".concept-picker[data-kind=record] [role=option]").first).to_contain_text("alternance")
    record_input.press("ArrowDown")
    record_input.press("Enter")
    page.get_by_text(words["partners"]).click()
    page.get_by_label(mission_locale.name).check()
    screenshot(page, f"counselling-session-{language}")
    page.get_by_role("button", name=words["finish"]).click()

    expect(page.get_by_role("button", name=words["call"])).to_be_visible()
    session = Session.objects.get(ticket=first)
    assert list(session.topics.all()) == [topics[0]]
    assert list(session.occupations.all()) == [plumber]
    assert list(session.documents.all()) == [guide]
    assert session.referrals.get().institution == mission_locale
    guide.refresh_from_db()
    assert guide.handed_out == 1
    first.refresh_from_db()
    assert first.status == "done"

    page.get_by_role("button", name=words["call"]).click()
    expect(page.locator(".current-ticket .ticket-code")).to_have_text(second.code)
    screenshot(page, f"counselling-next-called-{language}")
    assert page.console_errors == []
