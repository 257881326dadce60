"""The visitor's phone page in the real browser, on a phone, in French and in English: waiting while
nobody is on duty, moved to another area, called (the tab's title changes by itself, without a
reload), then the anonymous feedback after the visit."""

import pytest
from playwright.sync_api import expect

from reception import services
from reception.models import Feedback
from tests.conftest import screenshot, watch_console

POLL = 5_000  # the page refreshes itself every second here (every 5 seconds by default)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def refresh_every_second(settings):
    settings.RECEPTION_PHONE_REFRESH_SECONDS = 1


TEXT = {
    "fr": {
        "nobody": "Aucun conseiller n’est encore présent pour ce pôle",
        "moved": "Vous avez été orienté vers le pôle",
        "title": "rendez-vous au guichet 3",
        "partly": "En partie",
        "send": "Envoyer",
        "thanks": "Merci pour votre avis",
    },
    "en": {
        "nobody": "No counsellor is on duty yet for this area",
        "moved": "You have been moved to the area",
        "title": "go to desk 3",
        "partly": "Partly",
        "send": "Send",
        "thanks": "Thank you for your opinion",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_phone_page_from_waiting_to_feedback(
    browser, live_server, issue, training, job, desk, counsellor, receptionist, language
):
    words = TEXT[language]
    ticket = issue(training)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = watch_console(context.new_page())
    page.set_default_timeout(10_000)
    name = f"phone-{language}"

    page.goto(ticket.get_absolute_url())
    expect(page.locator(".phone-nobody")).to_contain_text(words["nobody"])
    screenshot(page, f"{name}-1-waiting")

    services.transfer(ticket=ticket, area=job, by=receptionist)
    expect(page.locator(".phone-moved")).to_contain_text(words["moved"], timeout=POLL)  # the page refreshed itself
    screenshot(page, f"{name}-2-moved")

    services.start_duty(user=counsellor, desk=desk)
    services.call_ticket(ticket=ticket, desk=desk, by=counsellor)
    expect(page).to_have_title(f"🔔 {ticket.code}{' : ' if language == 'fr' else ': '}{words['title']}", timeout=POLL)
    expect(page.locator(".phone-call")).to_be_visible()
    screenshot(page, f"{name}-3-called")

    services.start_serving(ticket=ticket, desk=desk, by=counsellor)
    services.finish(ticket=ticket, desk=desk, by=counsellor)
    expect(page.locator(".feedback-form")).to_be_visible(timeout=POLL)
    page.get_by_label(words["partly"]).check()
    page.get_by_label("4", exact=True).check()
    screenshot(page, f"{name}-4-feedback")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator(".feedback-thanks")).to_contain_text(words["thanks"])
    screenshot(page, f"{name}-5-thanks")
    feedback = Feedback.objects.get(ticket=ticket)
    assert (feedback.found, feedback.rating, feedback.area_id) == ("partly", 4, job.pk)
    assert page.console_errors == []
    context.close()
