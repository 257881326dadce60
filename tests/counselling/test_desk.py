"""The counsellor's desk: receive the called visitor, record the session, finish, call the next one."""

import pytest
from django.urls import reverse

from counselling import services
from counselling.models import Session
from reception.models import Ticket

ACTION = reverse("counselling:desk-action")


def receive(client, ticket):
    client.post(ACTION, {"action": "receive", "ticket": ticket.pk})
    return Session.objects.get(ticket=ticket)


def test_the_desk_receives_the_called_visitor_and_records_the_session(client, on_duty, called, topics, plumber):
    client.force_login(on_duty)
    session = receive(client, called)
    called.refresh_from_db()
    assert called.status == "serving"
    assert (session.counsellor, session.area, session.desk) == (on_duty, called.area, called.desk)

    page = client.get(reverse("counselling:desk")).content.decode()
    assert f"Entretien avec {called.code}" in page

    response = client.post(
        reverse("counselling:session-save", args=[session.pk]),
        {
            "topics": [topics[0].pk],
            "occupations": [plumber.pk],
            "information_given": "Présentation des métiers du bâtiment.",
            "outcome": "yes",
            "next_steps": "Revenir avec un projet de formation.",
            "action": "save",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert list(session.topics.all()) == [topics[0]]
    assert list(session.occupations.all()) == [plumber]
    assert session.outcome == "yes" and session.ended_at is None


def test_finishing_frees_the_desk_and_leaves_one_click_to_the_next_call(client, on_duty, called, issue, training):
    client.force_login(on_duty)
    session = receive(client, called)
    waiting = issue(training)
    response = client.post(
        reverse("counselling:session-save", args=[session.pk]), {"action": "finish", "outcome": "partly"}
    )
    assert response["Location"] == reverse("counselling:desk")
    session.refresh_from_db()
    called.refresh_from_db()
    assert session.ended_at is not None and called.status == "done"
    page = client.get(reverse("counselling:desk")).content.decode()
    assert 'value="call-next"' in page
    client.post(ACTION, {"action": "call-next"})
    waiting.refresh_from_db()
    assert waiting.status == "called"


def test_personal_data_in_a_note_is_refused_and_the_text_stays_in_the_form(client, on_duty, called):
    client.force_login(on_duty)
    session = receive(client, called)
    typed = "Rappeler au 06 12 34 56 78 après le salon."
    response = client.post(
        reverse("counselling:session-save", args=[session.pk]),
        {"note": typed, "next_steps": "Salon", "action": "finish"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "numéro de téléphone" in page
    assert typed in page and "Salon" in page
    session.refresh_from_db()
    called.refresh_from_db()
    assert (session.note, session.ended_at, called.status) == ("", None, "serving")


def test_a_referral_to_another_area_puts_the_ticket_back_in_that_queue_keeping_its_arrival(
    client, on_duty, called, job
):
    client.force_login(on_duty)
    session = receive(client, called)
    arrived = called.arrived_at
    client.post(reverse("counselling:session-save", args=[session.pk]), {"referral_area": job.pk, "action": "finish"})
    called.refresh_from_db()
    assert (called.status, called.area, called.arrived_at) == ("waiting", job, arrived)
    assert session.referrals.get().area == job


def test_a_referral_to_a_partner_institution_is_recorded(client, on_duty, called):
    from partners.models import Institution

    mission_locale = Institution.objects.create(name="Mission Locale", kind="association")
    client.force_login(on_duty)
    session = receive(client, called)
    client.post(
        reverse("counselling:session-save", args=[session.pk]),
        {"referral_institutions": [mission_locale.pk], "action": "finish"},
    )
    assert session.referrals.get().institution == mission_locale
    called.refresh_from_db()
    assert called.status == "done"


def test_a_walk_in_records_an_anonymous_visit_and_its_session_in_one_step(client, on_duty, training):
    client.force_login(on_duty)
    client.post(ACTION, {"action": "walk-in", "area": training.pk, "first_visit": "yes"})
    ticket = Ticket.objects.get()
    assert (ticket.walk_in, ticket.status, ticket.first_visit) == (True, "serving", True)
    assert Session.objects.get(ticket=ticket).counsellor == on_duty


def test_times_can_be_corrected_within_reason(client, on_duty, called):
    client.force_login(on_duty)
    session = receive(client, called)
    response = client.post(
        reverse("counselling:session-save", args=[session.pk]),
        {"started_at": "2000-01-01T10:00", "ended_at": "2000-01-01T09:00", "action": "save"},
    )
    assert response.status_code == 400
    assert "avant" in response.content.decode()


def test_a_colleague_cannot_save_someone_elses_session(client, on_duty, called, desk):
    from tests.conftest import make_staff

    session = services.start_session(ticket=called, desk=desk, counsellor=on_duty)
    colleague = make_staff("yanis@example.org", "Counsellor")
    client.force_login(colleague)
    response = client.post(reverse("counselling:session-save", args=[session.pk]), {"action": "finish"})
    assert response.status_code == 403


def test_counsellors_see_their_own_sessions_and_managers_everyones(
    client, on_duty, called, manager, issue, training, desk
):
    from tests.conftest import make_staff

    mine = services.finish_session(
        session=services.start_session(ticket=called, desk=desk, counsellor=on_duty), by=on_duty
    )
    colleague = make_staff("yanis@example.org", "Counsellor")
    other = issue(training)
    from reception import services as queue

    queue.leave_desk(user=on_duty)
    queue.start_duty(user=colleague, desk=desk)
    queue.call_ticket(ticket=other, desk=desk, by=colleague)
    theirs = services.start_session(ticket=other, desk=desk, counsellor=colleague)
    client.force_login(on_duty)
    page = client.get(reverse("counselling:sessions")).content.decode()
    assert mine.get_absolute_url() in page and theirs.get_absolute_url() not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
    client.force_login(manager)
    page = client.get(reverse("counselling:sessions")).content.decode()
    assert mine.get_absolute_url() in page and theirs.get_absolute_url() in page


@pytest.mark.parametrize("rows", [1, 30])
def test_session_list_keeps_a_fixed_number_of_queries(
    client, manager, on_duty, issue, training, desk, topics, rows, django_assert_max_num_queries
):
    from reception import services as queue

    for _ in range(rows):
        queue.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
        session = services.start_session(ticket=Ticket.objects.get(status="called"), desk=desk, counsellor=on_duty)
        session.topics.set(topics)
        services.finish_session(session=session, by=on_duty)
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("counselling:sessions"), {"area": training.pk}).status_code == 200


def test_a_document_handed_out_is_counted_on_its_record(client, on_duty, called):
    from resources.services import create_record

    guide = create_record(data={"title": "Guide de l'alternance", "language": "fr", "visibility": "internal"})
    client.force_login(on_duty)
    session = receive(client, called)
    save = reverse("counselling:session-save", args=[session.pk])
    client.post(save, {"documents": [guide.pk], "action": "save"})
    client.post(save, {"documents": [guide.pk], "action": "save"})  # saved again: still one hand-out
    guide.refresh_from_db()
    assert guide.handed_out == 1


def test_the_document_type_ahead_ignores_nul_bytes(client, on_duty):
    """Found by the fuzz tests: PostgreSQL refuses NUL in text, which made the search a server error."""
    client.force_login(on_duty)
    response = client.get(reverse("counselling:record-lookup"), {"q": "CV\x00"})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_a_forged_topic_or_outcome_is_refused_beside_its_question(client, on_duty, called):
    """Found by the fuzz tests: the form was refused (400) without saying why."""
    client.force_login(on_duty)
    session = receive(client, called)
    response = client.post(
        reverse("counselling:session-save", args=[session.pk]), {"topics": "x", "outcome": "maybe", "action": "save"}
    )
    assert response.status_code == 400
    assert response.content.decode().count('class="errorlist"') >= 2
