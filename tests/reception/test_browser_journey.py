"""The day at reception, in the real browser and in French: a ticket is issued at the front desk, the
display shows nothing new, a desk calls it, then the display and the visitor's phone say which desk."""

import re

import pytest
from playwright.sync_api import expect

from reception.models import Ticket
from tests.conftest import PASSWORD, make_staff, screenshot, watch_console
from tests.factories import make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/(reception|counselling)/"))  # each role lands on its workspace


def test_ticket_issued_called_and_shown_on_the_display_and_the_phone(page, browser, live_server, areas):
    from reception.models import AgeBand

    AgeBand.objects.create(code="18-25", label_fr="18 à 25 ans", label_en="18 to 25")
    training = areas["find-training"]
    make_desk("3", training)
    make_staff("ines@example.org", "Reception", first_name="Inès")
    make_staff("camille@example.org", "Counsellor", first_name="Camille")

    # The waiting-room screen, already open, with nothing called yet.
    display = watch_console(
        browser.new_page(base_url=live_server.url, viewport={"width": 1600, "height": 900}, locale="fr-FR")
    )
    display.goto("/reception/display/")
    expect(display.locator(".call-empty")).to_be_visible()

    # Reception: two quick choices and the area, which issues the ticket.
    log_in(page, "ines@example.org")
    expect(page.get_by_role("heading", name="Accueillir un visiteur")).to_be_visible()
    screenshot(page, "reception-front-desk-fr")
    page.get_by_text("18 à 25 ans").click()
    page.locator("label.chip", has_text="Première visite").click()
    page.get_by_role("button", name=re.compile("Trouver une formation")).click()
    expect(page.locator(".ticket-issued .ticket-code")).to_have_text("B-001")
    ticket = Ticket.objects.get()
    assert (ticket.age_band.code, ticket.first_visit) == ("18-25", True)
    screenshot(page, "reception-ticket-issued-fr")

    # The ticket prints at once from a hidden frame, with its QR code: no new tab.
    receipt = page.frame_locator("iframe.print-frame")
    expect(receipt.locator(".receipt-code")).to_have_text("B-001")
    expect(receipt.locator(".receipt-qr")).to_be_visible()
    assert len(page.context.pages) == 1

    # The visitor's phone: first in the queue.
    phone = watch_console(
        browser.new_page(base_url=live_server.url, viewport={"width": 390, "height": 760}, locale="fr-FR")
    )
    phone.goto(ticket.get_absolute_url())
    expect(phone.locator(".phone-position")).to_contain_text("prochain")
    screenshot(phone, "reception-phone-waiting-fr")

    # Issuing a ticket calls nobody: the display still shows no call.
    display.wait_for_timeout(1500)
    expect(display.locator(".call-empty")).to_be_visible()

    # A counsellor opens desk 3 and calls next.
    desk_page = watch_console(
        browser.new_page(base_url=live_server.url, viewport={"width": 1280, "height": 800}, locale="fr-FR")
    )
    log_in(desk_page, "camille@example.org")
    desk_page.goto("/counselling/")
    desk_page.get_by_role("button", name="Ouvrir Guichet 3").click()
    desk_page.get_by_role("button", name="Appeler le suivant").click()
    expect(desk_page.locator(".current-ticket .ticket-code")).to_have_text("B-001")
    screenshot(desk_page, "reception-desk-called-fr")

    # Within two seconds, without a reload, the display shows the call; the phone says where to go.
    expect(display.locator(".call.newest .call-code")).to_have_text("B-001", timeout=2500)
    expect(display.locator(".call.newest .call-desk")).to_have_text("guichet 3")
    screenshot(display, "reception-display-fr")
    expect(phone.locator(".phone-call")).to_have_text("Rendez-vous au guichet 3", timeout=7000)
    screenshot(phone, "reception-phone-called-fr")

    # The server goes away: the display says it is reconnecting, then catches up by itself.
    display.route("**/reception/display/state/**", lambda route: route.abort())
    expect(display.locator("[data-connection]")).to_be_visible(timeout=5000)
    desk_page.get_by_text("Le visiteur ne s’est pas présenté…").click()
    desk_page.get_by_role("button", name="Noter B-001 absent").click()
    page.goto("/reception/")
    page.get_by_role("button", name=re.compile("Trouver une formation")).click()
    desk_page.get_by_role("button", name="Appeler le suivant").click()
    display.unroute("**/reception/display/state/**")
    expect(display.locator(".call.newest .call-code")).to_have_text("B-002", timeout=8000)
    expect(display.locator("[data-connection]")).to_be_hidden()
    display.console_errors.clear()  # the aborted requests were the point of this step

    for each in (page, display, phone, desk_page):
        assert getattr(each, "console_errors", []) == []


def test_the_front_desk_fits_a_1280_pixel_screen_on_a_busy_day(page, live_server):
    """Six areas with long names, tickets waiting in each: the live queue beside the form stays
    within the screen (it overflowed by a column at 1280 pixels)."""
    from cite.models import Area
    from reception.services import issue_ticket

    names = [
        ("A", "Choisir son orientation"),
        ("B", "Trouver une formation"),
        ("C", "Trouver un emploi"),
        ("D", "Changer sa vie professionnelle"),
        ("E", "Créer son activité"),
        ("F", "Travailler à l'international"),
    ]
    receptionist = make_staff("ines@example.org", "Reception", first_name="Inès")
    for order, (letter, name) in enumerate(names):
        area = Area.objects.create(code=f"area-{letter}", letter=letter, name_fr=name, name_en=name, order=order)
        make_desk(f"Guichet {letter}", area)
        for _number in range(order % 3 + 1):
            issue_ticket(area=area, issued_by=receptionist)
    log_in(page, "ines@example.org")
    expect(page.get_by_role("heading", name="File d’attente en direct")).to_be_visible()
    screenshot(page, "reception-front-desk-busy-fr")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
