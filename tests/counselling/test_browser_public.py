"""A visitor's journeys in the real browser, on a phone and a desktop, in French and in English: the
home says whether the centre is open, a workshop is added to a calendar; an occupation found despite a
typo shows the library's public records and the coming workshops about it."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from resources.models import Record
from tests.conftest import screenshot, watch_console
from tests.counselling.planning_helpers import T, open_centre
from tests.counselling.workshop_factories import make_workshop
from tests.factories import make_area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
TEXT = {
    "fr": {"occupations": "Métiers", "find": "Trouver", "add": "Ajouter à mon agenda", "open": ("Ouvert", "Ouvre")},
    "en": {"occupations": "Occupations", "find": "Find", "add": "Add to my calendar", "open": ("Open now", "Opens")},
}


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_visitor_finds_a_workshop_and_an_occupation(browser, live_server, plumber, language, size):
    words = TEXT[language]
    open_centre(opens=T(0), closes=T(23, 59), weekdays=range(7))
    area = make_area("find-job")
    workshop = make_workshop("Découvrir la plomberie", is_public=True, area=area, days=2)
    workshop.occupations.add(plumber)
    make_workshop("Réunion des partenaires", is_public=False)
    record = Record.objects.create(title="Fiche métier plombier", visibility=Record.Visibility.PUBLIC)
    record.occupations.add(plumber)

    context = browser.new_context(base_url=live_server.url, viewport=SIZES[size], accept_downloads=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = watch_console(context.new_page())
    page.set_default_timeout(10_000)
    name = f"public-{language}-{size}"

    page.goto("/")
    state = page.locator(".opening-state")
    expect(state).to_be_visible()
    assert state.inner_text().startswith(words["open"]), state.inner_text()
    expect(page.get_by_text("Réunion des partenaires")).to_have_count(0)
    screenshot(page, f"{name}-1-home")

    page.get_by_role("link", name="Découvrir la plomberie").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Découvrir la plomberie")
    screenshot(page, f"{name}-2-workshop")
    with page.expect_download() as download:
        page.get_by_role("link", name=words["add"]).click()
    calendar = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in calendar and "SUMMARY:Découvrir la plomberie" in calendar

    page.locator(".public-nav").get_by_role("link", name=words["occupations"], exact=True).click()
    page.get_by_role("searchbox").fill("plonbier")  # a typo
    page.get_by_role("button", name=words["find"], exact=True).click()
    screenshot(page, f"{name}-3-search")
    page.locator(".match-list a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("plomb" if language == "fr" else "plumber")
    expect(page.get_by_role("link", name="Fiche métier plombier")).to_be_visible()
    expect(page.get_by_role("link", name="Découvrir la plomberie")).to_be_visible()
    expect(page.locator(".ask-reception")).to_contain_text(area.name_fr if language == "fr" else area.name_en)
    screenshot(page, f"{name}-4-occupation")
    assert page.console_errors == []
    context.close()


def test_the_home_prints_without_its_search_boxes(browser, live_server, db):
    open_centre()
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/")
    page.emulate_media(media="print")
    expect(page.locator(".public-home .search-bar").first).to_be_hidden()
    expect(page.locator(".opening-table")).to_be_visible()
    context.close()


@pytest.fixture(autouse=True)
def _now_is_not_near_midnight():
    """The home is "open" from 0:00 to 23:59: a run in the last minute of the day would see it closed."""
    from django.utils import timezone

    if timezone.localtime().time() >= datetime.time(23, 58):
        pytest.skip("too close to midnight for an 'open now' check")
