"""The waiting-room display in the real browser: it sends back the ETag of its last answer and gets
304 while the queue stands still, yet a new call still appears within two seconds, with the chime
and the spoken announcement."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from reception import services
from tests.conftest import TAKE_SCREENSHOTS, make_staff, screenshot, watch_console
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


def wait_until(page, condition, seconds=10):
    """Wait for `condition()` (Python) to hold, for at most `seconds`: the strict CSP refuses
    Playwright's wait_for_function, which evaluates a string."""
    for _ in range(seconds * 10):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still not true after {seconds} s")


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
    wait_until(display, lambda: len(answers) >= 3)  # three polls, the queue standing still (one a second)

    assert answers[0] == 200
    assert answers[1:] and set(answers[1:]) == {304}
    notes_before = display.evaluate("window.played.filter((sound) => sound === 'note').length")

    services.call_next(desk=desk, by=counsellor)
    expect(display.locator(".call.newest .call-code")).to_have_text(ticket.code, timeout=2000)
    expect(display.locator(".call.newest")).to_have_class(r"call area-B newest flash")
    wait_until(display, lambda: display.evaluate("window.played.some((sound) => sound.startsWith('say: '))"))
    played = display.evaluate("window.played")
    assert played.count("note") == notes_before + 2
    assert "say: Ticket B 1, guichet 3" in played
    assert 200 in answers[len(answers) - 3 :]  # the call came as a new answer, not from a cache
    screenshot(display, "reception-display-called-fr")

    # After midnight the state has no call yet: the screen clears instead of keeping yesterday's.
    display.route("**/display/state/**", lambda route: route.fulfill(json={"calls": [], "waiting": []}))
    expect(display.locator(".call")).to_have_count(0, timeout=3000)
    expect(display.locator(".call-empty")).to_have_text("Bienvenue ! Votre numéro s’affichera ici.")
    assert display.console_errors == []
    context.close()


# Browsers let a page play sound only after a key or a click; headless Chromium does not insist, so
# this makes an AudioContext created before any gesture wait for one, as a TV's browser does.
GESTURE_RULE = """
const AllowedAudioContext = window.AudioContext;
window.AudioContext = class extends AllowedAudioContext {
  constructor(...args) {
    super(...args);
    if (!navigator.userActivation.isActive) this.suspend();
  }
};
"""

BOARD_WORDS = {
    "fr": {
        "sound": "Activer le son et la voix",
        "soon": "Fermeture dans 10\u00a0min",
        "closed": "Fermé",
        "off": "Son et voix coupés",
        "tomorrow": "Demain · 10:00",
        "feedback": "Après votre visite, la page du QR code de votre ticket vous pose deux questions anonymes",
    },
    "en": {
        "sound": "Turn on sound and voice",
        "soon": "Closes in 10 min",
        "closed": "Closed",
        "off": "Sound and voice off",
        "tomorrow": "Tomorrow · 10:00",
        "feedback": "After your visit, the page of your ticket’s QR code asks you two anonymous questions",
    },
}


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


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_display_at_1920_keeps_clock_and_closing_time_and_its_sound_set_once(browser, live_server, language):
    from django.utils import timezone

    from tests.factories import local, make_areas

    words = BOARD_WORDS[language]
    full_board(make_areas("choose-path", "find-training", "find-job", "change-career", "start-business"))
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1920, "height": 1080}, locale=f"{language}-{language.upper()}"
    )
    context.add_init_script(GESTURE_RULE)
    display = watch_console(context.new_page())
    # The screen's clock ten minutes before closing (the server's is the real one: the script counts on).
    display.clock.install(time=local(timezone.localdate(), 16, 50))
    display.goto("/reception/display/")

    expect(display.locator("[data-clock]")).to_have_text("16:50")
    expect(display.locator("[data-opening]")).to_have_text(words["soon"])
    expect(display.locator(".display-workshop-when").first).to_have_text(words["tomorrow"])
    expect(display.locator(".display-workshop-title")).to_have_count(3)
    expect(display.get_by_text("Réunion interne")).to_have_count(0)
    expect(display.locator(".display-feedback")).to_contain_text(words["feedback"])

    # Staff turn the sound on once: the button goes, a small icon stays, the choice is kept.
    setup = display.get_by_role("button", name=words["sound"])
    setup.click()
    expect(setup).to_be_hidden()
    toggle = display.locator("[data-sound-toggle]")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert display.evaluate("localStorage.getItem('cite.display.sound')") == "on"
    box = toggle.bounding_box()
    assert box["width"] <= 40 and box["height"] <= 40  # nothing for the room to read
    if TAKE_SCREENSHOTS:
        display.wait_for_timeout(3200)  # the "sound on" note fades
        screenshot(display, f"reception-display-board-{language}")

    # After a reload the screen remembers, and the browser waits for a gesture: the first key gives it,
    # silently (it does not turn the sound off, though it is S).
    display.reload()
    expect(display.locator("[data-clock]")).to_have_text(re.compile(r"16:5\d"))
    expect(display.get_by_role("button", name=words["sound"])).to_be_hidden()
    expect(toggle).to_have_class(re.compile("is-waiting"))
    display.keyboard.press("s")
    expect(toggle).not_to_have_class(re.compile("is-waiting"))
    expect(toggle).to_have_attribute("aria-pressed", "true")

    # The key S then turns it off and on again, saying so for a moment.
    display.keyboard.press("s")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(display.locator("[data-sound-note]")).to_have_text(words["off"])
    assert display.evaluate("localStorage.getItem('cite.display.sound')") == "off"
    display.keyboard.press("s")
    expect(toggle).to_have_attribute("aria-pressed", "true")

    # Closing time passes on the screen's clock: the label follows without a reload.
    display.clock.fast_forward("11:00")
    expect(display.locator("[data-clock]")).to_have_text(re.compile(r"17:0\d"))
    expect(display.locator("[data-opening]")).to_have_text(words["closed"])
    assert display.console_errors == []
    context.close()


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
