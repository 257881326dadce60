"""The session form in the real browser, after a refusal: the summary of what to correct takes the
focus in the first screen, a reload and the language switch bring the form back with what was
typed, a finished session's correction is saved with its one Save button, and the desk's time since
the call runs."""

import re

import pytest
from playwright.sync_api import expect

from counselling.models import Session
from reception import services as queue
from tests.conftest import PASSWORD, make_staff, screenshot
from tests.factories import make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Rappeler au 06 12 34 56 78 après le salon."


def at_the_desk_with_a_visitor(page, areas):
    training = areas["find-training"]
    make_desk("3", training)
    make_staff("camille@example.org", "Counsellor", first_name="Camille")
    ticket = queue.issue_ticket(area=training, issued_by=None)
    page.goto("/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("camille@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("button", name="Ouvrir Guichet 3").click()
    page.get_by_role("button", name="Appeler le suivant").click()
    expect(page.locator(".since-call .elapsed")).to_have_text(re.compile(r"^0 min 0\d s$"))
    first = page.locator(".since-call .elapsed").text_content()
    page.wait_for_timeout(1500)
    assert page.locator(".since-call .elapsed").text_content() != first  # kept current, no reload
    screenshot(page, "desk-called-fr")
    page.get_by_role("button", name="Le visiteur est là").click()
    expect(page.locator(".session-form")).to_be_visible()
    return ticket


def test_a_refused_save_focuses_the_summary_and_a_reload_or_language_switch_keeps_the_form(page, areas):
    ticket = at_the_desk_with_a_visitor(page, areas)
    page.get_by_label("Prochaines étapes").fill("Salon de l'alternance samedi")
    page.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    assert 0 <= box["y"] < 800, box  # in the first screen, not 1,100 px below
    expect(summary.get_by_role("link")).to_contain_text("numéro de téléphone")
    expect(page.get_by_label("Note")).to_have_value(NOTE)
    screenshot(page, "counselling-session-refused-fr")
    screenshot(page, "session-refused-fr")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Note")).to_be_focused()

    # The browser is on the save address: a reload shows the form again, with what was typed.
    assert page.url.endswith(f"/counselling/sessions/{Session.objects.get(ticket=ticket).pk}/save/")
    page.reload()
    expect(page.locator(".session-form")).to_be_visible()
    expect(page.get_by_label("Note")).to_have_value(NOTE)
    expect(page.get_by_label("Prochaines étapes")).to_have_value("Salon de l'alternance samedi")

    # The language switch too: the form, in English, still holding the text (not saved yet).
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_role("heading", name=f"Session with {ticket.code}")).to_be_visible()
    expect(page.get_by_label("Next steps")).to_have_value("Salon de l'alternance samedi")
    expect(page.get_by_label("Note")).to_have_value(NOTE)
    expect(page.locator(".draft-restored")).to_be_visible()
    screenshot(page, "session-after-language-switch-en")
    session = Session.objects.get(ticket=ticket)
    assert (session.note, session.next_steps) == ("", "")

    # Corrected, it saves; finishing with nothing recorded asks once, and can be skipped.
    page.get_by_label("Note").fill("Rappeler après le salon.")
    page.get_by_role("button", name="Finish the session").click()
    question = page.locator(".soft-question")
    expect(question).to_be_focused()
    screenshot(page, "soft-question-en")
    question.get_by_role("button", name="Finish without saying").click()
    expect(page.get_by_role("button", name="Call next")).to_be_visible()
    session.refresh_from_db()
    assert session.ended_at is not None and session.note == "Rappeler après le salon."
    # The refused save (and its reload) answered 400, as they should; nothing else went wrong.
    assert [error for error in page.console_errors if "status of 400" not in error] == []


def test_a_correction_of_a_finished_session_is_saved(page, areas):
    ticket = at_the_desk_with_a_visitor(page, areas)
    page.locator(".session-form label.chip", has_text="Oui").click()
    page.get_by_role("button", name="Terminer l’entretien").click()
    expect(page.get_by_role("button", name="Appeler le suivant")).to_be_visible()
    session = Session.objects.get(ticket=ticket)

    page.goto(session.get_absolute_url())
    form = page.locator(".session-form")
    expect(form.get_by_role("button", name="Terminer l’entretien")).to_have_count(0)  # one button: Save
    form.locator("label.chip", has_text="En partie").click()
    page.get_by_label("Prochaines étapes").fill("Revenir avec le dossier d'inscription")
    # Near its limit a field says how much is left; over it, by how much (the browser cuts nothing).
    information = page.get_by_label("Informations données")
    information.fill("x" * 1900)
    expect(page.locator("#id_information_given_count")).to_have_text(re.compile(r"^1\s?900 caractères sur 2\s?000$"))
    information.fill("x" * 2100)
    expect(information).to_have_value("x" * 2100)
    expect(page.locator("#id_information_given_count")).to_contain_text("caractères de trop")
    screenshot(page, "limit-counter-fr")
    information.fill("")
    screenshot(page, "correction-fr")
    form.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".message.success")).to_have_text("Entretien enregistré.")
    session.refresh_from_db()
    assert (session.outcome, session.next_steps) == ("partly", "Revenir avec le dossier d'inscription")
    assert page.console_errors == []


def test_a_no_show_is_apart_and_confirmed_and_says_what_happened(page, areas):
    training = areas["find-training"]
    make_desk("3", training)
    make_staff("camille@example.org", "Counsellor", first_name="Camille")
    ticket = queue.issue_ticket(area=training, issued_by=None)
    page.goto("/accounts/login/")
    page.get_by_role("button", name="EN", exact=True).click()
    page.get_by_label("Email address").fill("camille@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Open Desk 3").click()
    page.get_by_role("button", name="Call next").click()
    expect(page.locator(".message.success")).to_have_text(f"{ticket.code} called to Desk 3.")
    # Not next to "The visitor is here": behind a disclosure that says what it does.
    expect(page.get_by_role("button", name=f"Mark {ticket.code} as a no-show")).to_be_hidden()
    page.get_by_text("The visitor did not come…").click()
    screenshot(page, "desk-no-show-en")
    page.get_by_role("button", name=f"Mark {ticket.code} as a no-show").click()
    expect(page.locator(".message.success")).to_contain_text(f"{ticket.code} marked as a no-show")
    ticket.refresh_from_db()
    assert ticket.status == "no_show"
    # The desk is free: a visitor without a ticket is asked reception's questions.
    page.get_by_text("A visitor without a ticket").click()
    expect(page.locator(".walk-in legend")).to_have_count(6)
    screenshot(page, "desk-walk-in-en")
    assert page.console_errors == []
