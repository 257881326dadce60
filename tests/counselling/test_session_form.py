"""The session form: a refused save says what to correct at the top and loses nothing, answers GET,
saves a correction of a finished session, asks once before finishing a session with nothing
recorded, shows the documents handed by their titles, and refuses text over a limit instead of
cutting it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from counselling.models import Session
from reception.models import AgeBand, Gender, HeardFrom, ResidenceZone, Situation, Ticket
from tests.resources.conftest import make_record

ACTION = reverse("counselling:desk-action")


def save_url(session):
    return reverse("counselling:session-save", args=[session.pk])


@pytest.fixture
def session(client, on_duty, called):
    client.force_login(on_duty)
    client.post(ACTION, {"action": "receive", "ticket": called.pk})
    return Session.objects.get(ticket=called)


@pytest.fixture
def finished(client, session):
    client.post(save_url(session), {"action": "finish", "outcome": "yes", "next_steps": "Salon de l'alternance"})
    session.refresh_from_db()
    assert session.ended_at is not None
    return session


def test_a_refused_save_puts_a_summary_linking_to_the_field_at_the_top_of_the_form(client, session):
    typed = "Rappeler au 06 12 34 56 78 après le salon."
    response = client.post(save_url(session), {"note": typed, "next_steps": "Salon", "action": "finish"})
    page = response.content.decode()
    assert response.status_code == 400
    form = page[page.index('id="session-form"') :]
    summary = form[: form.index("</div>")]
    assert "error-summary" in summary and "data-focus-on-load" in summary
    assert 'href="#id_note"' in summary and "numéro de téléphone" in summary
    # Before any field of the form; the text typed is still there.
    assert form.index("error-summary") < form.index('name="information_given"')
    assert typed in page and "Salon" in page
    session.refresh_from_db()
    assert (session.note, session.ended_at) == ("", None)


def test_the_save_address_answers_a_reload_with_the_form_not_a_blank_405(client, session, finished):
    open_session = session
    response = client.get(save_url(open_session))
    assert response.status_code == 200
    assert 'id="session-form"' in response.content.decode()
    # Switching language there sends the browser back to the same address: it shows the form, in English.
    response = client.post(reverse("set_language"), {"language": "en", "next": save_url(finished)}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="session-form"' in page and "Correct the times" in page


def test_a_correction_of_a_finished_session_is_saved_with_one_save_button(client, finished):
    page = client.get(finished.get_absolute_url()).content.decode()
    assert 'value="finish"' not in page and 'value="save"' in page
    Ticket.objects.filter(pk=finished.ticket_id).update(arrived_at=timezone.now() - datetime.timedelta(hours=1))
    started = timezone.localtime() - datetime.timedelta(minutes=40)
    ended = started + datetime.timedelta(minutes=25)
    # Even a stale "finish" (a form opened before the session ended) saves the correction.
    response = client.post(
        save_url(finished),
        {
            "action": "finish",
            "outcome": "partly",
            "next_steps": "Salon de l'alternance, stand 4",
            "started_at": started.strftime("%Y-%m-%dT%H:%M"),
            "ended_at": ended.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302, re.findall(r"errorlist.*", response.content.decode())
    assert response["Location"] == finished.get_absolute_url()
    finished.refresh_from_db()
    assert (finished.outcome, finished.next_steps) == ("partly", "Salon de l'alternance, stand 4")
    assert finished.ended_at == ended.replace(second=0, microsecond=0)


def test_times_out_of_order_are_refused_beside_the_time_with_the_section_open(client, finished):
    started = timezone.localtime(finished.started_at)
    response = client.post(
        save_url(finished),
        {
            "action": "save",
            "started_at": started.strftime("%Y-%m-%dT%H:%M"),
            "ended_at": (started - datetime.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Un entretien ne peut pas finir avant d’avoir commencé." in page
    assert 'href="#id_ended_at"' in page
    assert re.search(r'<details class="field" open>\s*<summary>Corriger les heures', page)


def test_finishing_with_nothing_recorded_asks_once_whether_the_question_was_answered(client, session, called):
    response = client.post(save_url(session), {"action": "finish", "next_steps": "Revenir lundi"})
    page = response.content.decode()
    assert response.status_code == 200 and "soft-question" in page
    assert "La question a-t-elle trouvé une réponse ?" in page
    assert "Revenir lundi" in page
    session.refresh_from_db()
    assert session.ended_at is None and session.next_steps == ""

    response = client.post(save_url(session), {"action": "finish-anyway", "next_steps": "Revenir lundi"})
    assert response.status_code == 302
    session.refresh_from_db()
    called.refresh_from_db()
    assert session.ended_at is not None and session.next_steps == "Revenir lundi" and called.status == "done"


def test_documents_handed_show_their_titles_after_a_save(client, session):
    record = make_record(title="Fiche métier : plombier")
    client.post(save_url(session), {"action": "save", "documents": [record.pk]})
    page = client.get(reverse("counselling:desk")).content.decode()
    chosen = page[page.index('id="id_documents_chosen"') :]
    chosen = chosen[: chosen.index("</ul>")]
    assert "Fiche métier : plombier" in chosen and "ISCO" not in chosen


def test_text_over_its_limit_is_refused_never_cut(client, session):
    pasted = "Atelier CV. " * 1000  # 12,000 characters
    response = client.post(save_url(session), {"action": "save", "information_given": pasted})
    page = response.content.decode()
    assert response.status_code == 400
    assert "plus que les 2000 autorisés" in page and "rien n’a été coupé" in page
    session.refresh_from_db()
    assert session.information_given == ""
    # The browser is never told to cut a paste short: the limit is shown, not enforced by truncation.
    assert not re.search(r"\smaxlength=", page)
    assert 'data-maxlength="2000"' in page


def test_a_walk_in_is_asked_every_question_reception_asks(client, on_duty, training):
    band = AgeBand.objects.create(code="18-25", label_fr="18 à 25 ans", label_en="18 to 25")
    situation = Situation.objects.create(code="job-seeker", label_fr="Demandeur d'emploi", label_en="Job seeker")
    gender = Gender.objects.create(code="woman", label_fr="Femme", label_en="Woman")
    zone = ResidenceZone.objects.create(code="city", label_fr="Ville", label_en="City")
    heard = HeardFrom.objects.create(code="friend", label_fr="Un proche", label_en="Someone close")
    client.force_login(on_duty)
    page = client.get(reverse("counselling:desk")).content.decode()
    walk_in = page[page.index('class="walk-in"') :]
    for name in ("first_visit", "age_band", "situation", "gender", "residence_zone", "heard_from"):
        assert f'name="{name}"' in walk_in, name
    response = client.post(
        ACTION,
        {
            "action": "walk-in",
            "area": training.pk,
            "first_visit": "no",
            "age_band": band.pk,
            "situation": situation.pk,
            "gender": gender.pk,
            "residence_zone": zone.pk,
            "heard_from": heard.pk,
        },
        follow=True,
    )
    ticket = Ticket.objects.get(walk_in=True)
    assert (ticket.first_visit, ticket.age_band, ticket.situation) == (False, band, situation)
    assert (ticket.gender, ticket.residence_zone, ticket.heard_from) == (gender, zone, heard)
    assert f"Entretien avec {ticket.code} commencé" in response.content.decode()
