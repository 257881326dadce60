"""The waiting-room display in the real browser: it sends back the ETag of its last answer and gets
304 while the queue stands still, yet a new call still appears within two seconds, with the chime
and the spoken announcement."""

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
