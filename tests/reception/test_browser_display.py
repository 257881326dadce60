"""The waiting-room display in the real browser: it sends back the ETag of its last answer and gets
304 while the queue stands still, yet a new call still appears within two seconds, with the chime
and the spoken announcement."""

import datetime

import pytest
from playwright.sync_api import expect

from reception import services
from tests.conftest import make_staff, screenshot, watch_console
from tests.factories import make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records what the display plays: each note of the chime, and what it says.
LISTEN = """
window.played = [];
const RealAudioContext = window.AudioContext;
window.AudioContext = class extends RealAudioContext {
  createOscillator() {
    const oscillator = super.createOscillator();
    const start = oscillator.start.bind(oscillator);
    oscillator.start = (when) => { window.played.push("note"); start(when); };
    return oscillator;
  }
};
window.speechSynthesis.speak = (utterance) => window.played.push(`say: ${utterance.text}`);
"""


def test_the_display_revalidates_then_shows_chimes_and_says_a_new_call(browser, live_server, areas):
    training = areas["find-training"]
    desk = make_desk("3", training)
    counsellor = make_staff("camille@example.org", "Counsellor", first_name="Camille")
    receptionist = make_staff("ines@example.org", "Reception", first_name="Inès")
    services.start_duty(user=counsellor, desk=desk)
    ticket = services.issue_ticket(area=training, issued_by=receptionist)

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1600, "height": 900}, locale="fr-FR")
    context.add_init_script(LISTEN)
    display = watch_console(context.new_page())
    answers = []
    display.on("response", lambda response: "/display/state/" in response.url and answers.append(response.status))
    display.goto("/reception/display/")
    display.get_by_role("button", name="Activer le son et la voix").click()
    expect(display.get_by_role("button", name="Activer le son et la voix")).to_be_hidden()
    display.wait_for_timeout(3500)  # three polls or so, the queue standing still

    assert answers[0] == 200
    assert answers[1:] and set(answers[1:]) == {304}
    notes_before = display.evaluate("window.played.filter((sound) => sound === 'note').length")

    services.call_next(desk=desk, by=counsellor)
    expect(display.locator(".call.newest .call-code")).to_have_text(ticket.code, timeout=2000)
    expect(display.locator(".call.newest")).to_have_class(r"call area-B newest flash")
    display.wait_for_timeout(1200)  # the voice comes after the chime
    played = display.evaluate("window.played")
    assert played.count("note") == notes_before + 2
    assert "say: Ticket B 1, guichet 3" in played
    assert 200 in answers[len(answers) - 3 :]  # the call came as a new answer, not from a cache
    screenshot(display, "reception-display-called-fr")
    assert display.console_errors == []
    context.close()


def full_board(areas, calls=3):
    """Hours every day 9:00-17:00, three public workshops to come, a private one, and `calls` calls."""
    from django.utils import timezone

    from tests.counselling.planning_helpers import open_centre
    from tests.counselling.workshop_factories import make_workshop
    from tests.factories import local

    open_centre(weekdays=range(7))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    make_workshop("Découvrir les métiers du numérique", starts_at=local(tomorrow, 10))
    make_workshop("Préparer un entretien d’embauche : les questions qu’on vous posera", starts_at=local(tomorrow, 14))
    make_workshop("Forum de l’alternance et de l’apprentissage", starts_at=local(tomorrow, 16))
    make_workshop("Réunion interne des conseillers", starts_at=local(tomorrow, 9), is_public=False)
    counsellor = make_staff("camille@example.org", "Counsellor", first_name="Camille")
    desk = make_desk("3", *areas.values())
    services.start_duty(user=counsellor, desk=desk)
    every = list(areas.values())
    for index in range(calls):
        ticket = services.issue_ticket(area=every[index % len(every)], issued_by=None)
        services.call_ticket(ticket=ticket, desk=desk, by=counsellor)
        services.mark_no_show(ticket=ticket, desk=desk, by=counsellor)
    services.issue_ticket(area=every[0], issued_by=None)


def test_on_a_1280_by_720_screen_the_calls_keep_their_room_and_no_workshop_is_cut(browser, live_server):
    from tests.factories import make_areas

    codes = ("choose-path", "find-training", "find-job", "change-career", "start-business", "work-abroad")
    full_board(make_areas(*codes), calls=8)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 720}, locale="fr-FR")
    display = watch_console(context.new_page())
    display.goto("/reception/display/")
    expect(display.locator(".call")).to_have_count(8)
    display.wait_for_timeout(1500)
    fits = display.evaluate(
        """() => {
          const side = document.querySelector('.display-side').getBoundingClientRect();
          const shown = [...document.querySelectorAll('.display-workshop-list li')].filter((li) => !li.hidden);
          const newest = document.querySelector('.call.newest').getBoundingClientRect();
          return {
            shown: shown.length,
            whole: shown.every((li) => li.getBoundingClientRect().bottom <= side.bottom),
            newest: newest.bottom <= window.innerHeight,
            scrolls: document.documentElement.scrollHeight > window.innerHeight,
          };
        }"""
    )
    assert fits == {"shown": fits["shown"], "whole": True, "newest": True, "scrolls": False}
    assert fits["shown"] >= 2
    screenshot(display, "reception-display-board-1280-fr")
    assert display.console_errors == []
    context.close()
