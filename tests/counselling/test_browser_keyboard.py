"""The desk with the keyboard alone (no mouse click anywhere): open the desk, call, receive, tick
a topic, find an occupation by type-ahead, finish, and the next call is one key away."""

import re

import pytest
from playwright.sync_api import expect

from counselling.models import Session
from reception import services as queue
from tests.conftest import PASSWORD, make_staff, screenshot
from tests.factories import make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_NAME = """() => {
  const element = document.activeElement;
  if (!element) return "";
  const label = element.id && document.querySelector(`label[for="${element.id}"]`);
  return (label ? label.textContent : element.getAttribute("aria-label") || element.textContent || "").trim();
}"""


def tab_to(page, name, *, limit=120):
    """Press Tab until the focused element is called `name` (its label or text): reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_NAME) == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")


def test_the_desk_works_with_the_keyboard_alone(page, areas, topics, plumber):
    training = areas["find-training"]
    make_desk("3", training)
    make_staff("camille@example.org", "Counsellor", first_name="Camille")
    first = queue.issue_ticket(area=training, issued_by=None)
    second = queue.issue_ticket(area=training, issued_by=None)

    page.goto("/accounts/login/")
    page.get_by_label("Adresse e-mail").focus()
    page.keyboard.type("camille@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/counselling/"))
    page.wait_for_load_state()

    tab_to(page, "Ouvrir Guichet 3")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Appeler le suivant")).to_be_focused()  # one key to call
    page.keyboard.press("Enter")
    expect(page.locator(".current-ticket .ticket-code")).to_have_text(first.code)
    expect(page.get_by_role("button", name="Le visiteur est là")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".session-form")).to_be_visible()

    tab_to(page, topics[0].label_fr)
    page.keyboard.press("Space")
    tab_to(page, "Métiers explorés")  # the type-ahead, named by its label
    page.keyboard.type("plombiere")
    expect(page.locator(".combobox-listbox [role=option]").first).to_contain_text("plomb")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    screenshot(page, "counselling-keyboard-session-fr")
    tab_to(page, "Terminer l’entretien")
    page.keyboard.press("Enter")

    expect(page.get_by_role("button", name="Appeler le suivant")).to_be_focused()
    session = Session.objects.get(ticket=first)
    assert list(session.topics.all()) == [topics[0]]
    assert list(session.occupations.all()) == [plumber]
    assert session.ended_at is not None
    page.keyboard.press("Enter")
    expect(page.locator(".current-ticket .ticket-code")).to_have_text(second.code)
    assert page.console_errors == []
