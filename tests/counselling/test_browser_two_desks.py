"""Two counsellors in two browsers: one leaves without closing their desk; the visitor they called is
back in the queue on their phone, and the other counsellor sees the desk free — in French and English."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from reception import services as queue
from reception.models import Duty
from tests.conftest import make_staff, screenshot, watch_console
from tests.counselling.test_browser_journey import log_in
from tests.factories import make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def phone_refreshes_every_second(settings):
    settings.RECEPTION_PHONE_REFRESH_SECONDS = 1  # 5 seconds by default


TEXT = {
    "fr": {
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "login": "Connexion",
        "open": "Ouvrir Guichet {}",
        "call": "Appeler le suivant",
        "held": "Tenu par Camille depuis",
        "free": "Libre",
        "go": "Rendez-vous au guichet 3",
        "next": "prochain",
    },
    "en": {
        "email": "Email address",
        "password": "Password",
        "login": "Log in",
        "open": "Open Desk {}",
        "call": "Call next",
        "held": "Held by Camille since",
        "free": "Free",
        "go": "Go to desk 3",
        "next": "next",
    },
}


def browser_page(browser, live_server, language, width=1280, height=800):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        locale="fr-FR" if language == "fr" else "en-GB",
    )
    page = watch_console(context.new_page())
    page.set_default_timeout(10_000)
    return page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_counsellor_who_leaves_without_closing_frees_the_desk_and_the_visitor(browser, live_server, areas, language):
    words = TEXT[language]
    training = areas["find-training"]
    make_desk("3", training)
    make_desk("4", training)
    make_staff("camille@example.org", "Counsellor", first_name="Camille")
    make_staff("yanis@example.org", "Counsellor", first_name="Yanis")
    ticket = queue.issue_ticket(area=training, issued_by=None)

    # Camille opens desk 3 and calls the visitor, whose phone says where to go.
    camille = browser_page(browser, live_server, language)
    log_in(camille, words, language, "camille@example.org")
    camille.wait_for_url(re.compile(r"/counselling/"))
    camille.get_by_role("button", name=words["open"].format(3)).click()
    camille.get_by_role("button", name=words["call"]).click()
    expect(camille.locator(".current-ticket .ticket-code")).to_have_text("B-001")
    phone = browser_page(browser, live_server, language, width=390, height=760)
    phone.goto(ticket.get_absolute_url())
    expect(phone.locator(".phone-call")).to_contain_text(words["go"])

    # Yanis sees desk 3 held by Camille, and desk 4 free.
    yanis = browser_page(browser, live_server, language)
    log_in(yanis, words, language, "yanis@example.org")
    yanis.wait_for_url(re.compile(r"/counselling/"))
    desk3 = yanis.locator(".desk-board tbody tr").filter(has_text=re.compile(r"(Guichet|Desk) 3"))
    expect(desk3).to_contain_text(words["held"])
    expect(yanis.get_by_role("button", name=words["open"].format(3))).to_have_count(0)
    screenshot(yanis, f"counselling-desks-held-{language}")

    # Camille closes her browser without leaving the desk; the idle limit passes.
    camille.context.close()
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.RECEPTION_DESK_IDLE_MINUTES + 1)
    Duty.objects.filter(ended_at__isnull=True).update(last_seen_at=long_ago)
    queue.close_idle_desks()

    # Within a poll, the phone no longer sends the visitor to desk 3: they are next in the queue.
    expect(phone.locator(".phone-call")).to_have_count(0, timeout=5000)
    expect(phone.locator(".phone-position")).to_contain_text(words["next"])
    screenshot(phone, f"counselling-phone-back-in-queue-{language}")

    # Yanis reloads the desk list: desk 3 is free, he opens it and calls the same visitor.
    yanis.reload()
    expect(desk3).to_contain_text(words["free"])
    screenshot(yanis, f"counselling-desks-free-{language}")
    yanis.get_by_role("button", name=words["open"].format(3)).click()
    yanis.get_by_role("button", name=words["call"]).click()
    expect(yanis.locator(".current-ticket .ticket-code")).to_have_text("B-001")
    expect(phone.locator(".phone-call")).to_contain_text(words["go"], timeout=5000)
    for each in (yanis, phone):
        assert each.console_errors == []
        each.context.close()
