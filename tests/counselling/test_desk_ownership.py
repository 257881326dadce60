"""Who may move which ticket: two counsellors at two desks, supervisors, desks that close when their
counsellor leaves, one person per desk, and a session for every visit served."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from counselling import services
from counselling.models import CounsellorProfile, Session
from reception import services as queue
from reception.models import Duty, Ticket, TicketEvent
from tests.conftest import make_staff
from tests.factories import make_area, make_desk

ACTION = reverse("counselling:desk-action")
Kind = TicketEvent.Kind


def snapshot():
    """Everything a refused move must leave as it was."""
    return (
        list(Ticket.objects.order_by("pk").values_list("pk", "status", "desk", "area", "call_count")),
        TicketEvent.objects.count(),
        list(Session.objects.order_by("pk").values_list("pk", "counsellor", "ended_at")),
        list(Duty.objects.order_by("pk").values_list("pk", "desk", "ended_at")),
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def colleague(db):
    return make_staff("yanis@example.org", "Counsellor", first_name="Yanis")


@pytest.fixture
def desk4(training, job):
    return make_desk("4", training, job)


@pytest.fixture
def two_desks(issue, training, desk, desk4, on_duty, colleague):
    """Camille at desk 3 with B-001 called; Yanis at desk 4 with B-002 called."""
    queue.start_duty(user=colleague, desk=desk4)
    mine, theirs = issue(training), issue(training)
    queue.call_ticket(ticket=mine, desk=desk, by=on_duty)
    queue.call_ticket(ticket=theirs, desk=desk4, by=colleague)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    return mine, theirs


@pytest.mark.parametrize("action", ["recall", "no-show", "receive", "call"])
def test_a_counsellor_cannot_move_a_ticket_called_to_another_desk(client, two_desks, desk, on_duty, action):
    mine, theirs = two_desks
    queue.mark_no_show(ticket=mine, desk=desk, by=on_duty)  # my desk is free: only the ticket's desk stops me
    client.force_login(on_duty)
    before = snapshot()
    response = client.post(ACTION, {"action": action, "ticket": theirs.pk}, follow=True)
    assert response.status_code == 200
    assert theirs.code in " ".join(messages_of(response))
    assert snapshot() == before


def test_every_service_move_on_another_desks_ticket_is_refused_and_changes_nothing(
    two_desks, desk, desk4, on_duty, colleague, job
):
    _mine, theirs = two_desks
    before = snapshot()
    attempts = {
        # From my own desk, on their ticket.
        "recall": lambda: queue.recall(ticket=theirs, desk=desk, by=on_duty),
        "no-show": lambda: queue.mark_no_show(ticket=theirs, desk=desk, by=on_duty),
        "start": lambda: queue.start_serving(ticket=theirs, desk=desk, by=on_duty),
        "receive": lambda: services.start_session(ticket=theirs, desk=desk, counsellor=on_duty),
        "transfer": lambda: queue.transfer(ticket=theirs, area=job, desk=desk, by=on_duty),
        # Naming their desk, which I do not hold.
        "recall at theirs": lambda: queue.recall(ticket=theirs, desk=desk4, by=on_duty),
        "no-show at theirs": lambda: queue.mark_no_show(ticket=theirs, desk=desk4, by=on_duty),
        "receive at theirs": lambda: services.start_session(ticket=theirs, desk=desk4, counsellor=on_duty),
        "call next at theirs": lambda: queue.call_next(desk=desk4, by=on_duty),
        "walk-in at theirs": lambda: queue.record_walk_in(area=job, desk=desk4, by=on_duty),
        # Supervisor moves, which a counsellor does not have.
        "requeue": lambda: queue.requeue(ticket=theirs, by=on_duty),
        "cancel": lambda: queue.cancel(ticket=theirs, by=on_duty),
    }
    for name, attempt in attempts.items():
        with pytest.raises(queue.QueueError):
            attempt()
        assert snapshot() == before, name


def test_a_counsellor_cannot_finish_or_save_a_colleagues_session(client, two_desks, desk4, on_duty, colleague):
    _mine, theirs = two_desks
    session = services.start_session(ticket=theirs, desk=desk4, counsellor=colleague)
    before = snapshot()
    with pytest.raises(queue.QueueError):
        services.finish_session(session=session, by=on_duty)
    with pytest.raises(queue.QueueError):
        services.save_session(session=session, by=on_duty, data={"next_steps": "Rien"})
    with pytest.raises(queue.QueueError):
        queue.finish(ticket=theirs, desk=desk4, by=on_duty)
    assert snapshot() == before
    client.force_login(on_duty)
    assert client.post(reverse("counselling:session-save", args=[session.pk]), {"action": "finish"}).status_code == 403
    assert snapshot() == before


def test_a_desk_cannot_call_a_ticket_of_an_area_it_does_not_serve(client, issue, training, job, on_duty):
    abroad = make_area("work-abroad")
    elsewhere = issue(abroad)
    client.force_login(on_duty)
    before = snapshot()
    response = client.post(ACTION, {"action": "call", "ticket": elsewhere.pk}, follow=True)
    assert "n’appelle pas ce pôle" in " ".join(messages_of(response))
    assert snapshot() == before


def test_reception_puts_a_ticket_called_to_a_desk_back_in_its_queue_and_it_is_recorded(
    client, two_desks, receptionist, on_duty, manager
):
    _mine, theirs = two_desks
    client.force_login(on_duty)
    assert client.post(reverse("reception:requeue-ticket", args=[theirs.pk])).status_code == 403
    client.force_login(receptionist)
    page = client.get(reverse("reception:today")).content.decode()
    assert reverse("reception:requeue-ticket", args=[theirs.pk]) in page
    client.post(reverse("reception:requeue-ticket", args=[theirs.pk]), {"next": "/reception/today/"})
    theirs.refresh_from_db()
    assert (theirs.status, theirs.desk, theirs.called_at) == ("waiting", None, None)
    event = theirs.events.last()
    assert (event.kind, event.by, event.desk.name) == (Kind.REQUEUED, receptionist, "4")
    # Managers may too; a ticket being served is its counsellor's to finish.
    with pytest.raises(queue.QueueError, match="en cours d’entretien"):
        mine = two_desks[0]
        services.start_session(ticket=mine, desk=mine.desk, counsellor=on_duty)
        queue.requeue(ticket=mine, by=manager)


def test_a_requeued_ticket_keeps_its_place_and_is_called_before_later_arrivals(two_desks, issue, training, desk4):
    _mine, theirs = two_desks
    later = issue(training)
    queue.requeue(ticket=theirs, by=theirs.issued_by)
    from reception.selectors import waiting_tickets

    assert list(waiting_tickets(areas=[training])) == [theirs, later]


# --- One person per desk, one desk per person ------------------------------------------------------------


def test_a_held_desk_is_refused_with_who_holds_it_and_nothing_changes(client, desk, on_duty, colleague):
    client.force_login(colleague)
    page = client.get(reverse("counselling:desk")).content.decode()
    assert "Tenu par Camille depuis" in page
    before = snapshot()
    response = client.post(ACTION, {"action": "open", "desk": desk.pk}, follow=True)
    assert "est tenu par Camille" in " ".join(messages_of(response))
    assert snapshot() == before


def test_taking_a_desk_over_ends_the_holders_duty_and_puts_the_called_ticket_back_recorded(
    client, desk, on_duty, colleague, issue, training
):
    called = queue.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    client.force_login(colleague)
    client.post(ACTION, {"action": "take-over", "desk": desk.pk})
    old, new = Duty.objects.filter(desk=desk).order_by("started_at")
    assert (old.user, old.end_reason, old.ended_by) == (on_duty, "taken_over", colleague)
    assert (new.user, new.ended_at) == (colleague, None)
    called.refresh_from_db()
    assert called.status == "waiting"
    assert (called.events.last().kind, called.events.last().by) == (Kind.REQUEUED, colleague)
    # The first counsellor sees why their desk is gone.
    client.force_login(on_duty)
    assert "Yanis a repris Guichet 3" in client.get(reverse("counselling:desk")).content.decode()


def test_a_desk_whose_visitor_is_being_served_cannot_be_taken_over(desk, on_duty, colleague, issue, training):
    called = queue.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    services.start_session(ticket=called, desk=desk, counsellor=on_duty)
    before = snapshot()
    with pytest.raises(queue.QueueError, match="Camille est avec B-001"):
        services.open_desk(counsellor=colleague, desk=desk, take_over=True)
    assert snapshot() == before


def test_opening_another_desk_leaves_the_first_and_is_refused_during_a_session(desk, desk4, on_duty, issue, training):
    called = queue.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    services.start_session(ticket=called, desk=desk, counsellor=on_duty)
    with pytest.raises(queue.QueueError, match="Terminez votre entretien avec B-001"):
        services.open_desk(counsellor=on_duty, desk=desk4)
    services.finish_session(session=Session.objects.get(), by=on_duty)
    services.open_desk(counsellor=on_duty, desk=desk4)
    assert list(Duty.objects.filter(ended_at__isnull=True).values_list("desk__name", flat=True)) == ["4"]


@pytest.mark.django_db(transaction=True)
def test_two_counsellors_opening_one_desk_at_once_get_one_duty_and_one_message(training, job):
    from tests.reception.test_concurrency import run_at_once

    desk = make_desk("3", training, job)
    people = [make_staff(f"c{index}@example.org", "Counsellor") for index in range(2)]
    outcomes = []

    def open_it(person):
        try:
            services.open_desk(counsellor=person, desk=desk)
            outcomes.append("opened")
        except queue.QueueError as error:
            outcomes.append(str(error))

    run_at_once([lambda p=p: open_it(p) for p in people])
    assert sorted(outcomes)[1] == "opened" and "tenu par" in sorted(outcomes)[0]
    assert Duty.objects.filter(desk=desk, ended_at__isnull=True).count() == 1


# --- A desk closes when its counsellor leaves ----------------------------------------------------------


def test_logging_out_closes_the_desk_and_puts_the_called_ticket_back(client, desk, on_duty, issue, training):
    called = queue.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    client.force_login(on_duty)
    phone = reverse("phone:status", args=[called.token])
    assert "guichet 3" in client.get(phone).content.decode().lower()
    client.post(reverse("account_logout"))
    duty = Duty.objects.get()
    assert (duty.end_reason, duty.ended_at is not None) == ("logged_out", True)
    called.refresh_from_db()
    assert (called.status, called.desk) == ("waiting", None)
    assert "guichet 3" not in client.get(phone).content.decode().lower()


def test_leaving_the_desk_says_which_ticket_went_back(client, desk, on_duty, issue, training):
    called = queue.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    client.force_login(on_duty)
    response = client.post(ACTION, {"action": "leave"}, follow=True)
    assert f"{called.code} est retourné en tête de sa file" in " ".join(messages_of(response))
    assert not Duty.objects.filter(ended_at__isnull=True).exists()


def test_an_idle_desk_closes_on_the_next_page_and_a_session_in_progress_waits_for_its_counsellor(
    client, settings, desk, desk4, on_duty, colleague, issue, training
):
    settings.RECEPTION_DESK_IDLE_CHECK_SECONDS = 0
    called = queue.call_ticket(ticket=issue(training), desk=desk4, by=queue.start_duty(user=colleague, desk=desk4).user)
    served = queue.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    session = services.start_session(ticket=served, desk=desk, counsellor=on_duty)
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.RECEPTION_DESK_IDLE_MINUTES + 1)
    Duty.objects.update(last_seen_at=long_ago)

    assert client.get(reverse("reception:display-state")).status_code == 200  # any page that shows desks
    assert set(Duty.objects.values_list("end_reason", flat=True)) == {"idle"}
    called.refresh_from_db()
    served.refresh_from_db()
    assert (called.status, served.status) == ("waiting", "serving")
    assert called.events.last().kind == Kind.REQUEUED
    assert Session.objects.get().ended_at is None

    # The counsellor comes back: their desk page says the session waits, and takes them back to it.
    client.force_login(on_duty)
    page = client.get(reverse("counselling:desk")).content.decode()
    assert "Votre entretien avec B-002 au Guichet 3 est toujours ouvert" in page
    # Nobody else may open that desk meanwhile.
    with pytest.raises(queue.QueueError, match="Camille est avec B-002"):
        services.open_desk(counsellor=colleague, desk=desk)
    client.post(ACTION, {"action": "open", "desk": desk.pk})
    client.post(reverse("counselling:session-save", args=[session.pk]), {"action": "finish", "outcome": "yes"})
    served.refresh_from_db()
    assert served.status == "done"


def test_the_idle_command_and_the_desk_page_presence(client, settings, desk, on_duty):
    from django.core.management import call_command

    client.force_login(on_duty)
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.RECEPTION_DESK_IDLE_MINUTES + 1)
    Duty.objects.update(last_seen_at=long_ago)
    client.get(reverse("counselling:desk-presence"))  # the open desk page reports every minute
    call_command("close_idle_desks", verbosity=0)
    assert Duty.objects.get().ended_at is None
    Duty.objects.update(last_seen_at=long_ago)
    call_command("close_idle_desks", verbosity=0)
    assert Duty.objects.get().end_reason == "idle"
    assert "Votre guichet est fermé" in client.get(reverse("counselling:desk-presence")).content.decode()


# --- Which areas a desk calls --------------------------------------------------------------------------


def test_the_desk_calls_its_areas_narrowed_by_mine_plus_a_permanence_planned_there(
    client, desk, counsellor, training, job, issue
):
    """Desk 3 serves B and C; the back office listed only B for me; a permanence plans me at desk 3
    for C today: there I call B and C. At a desk serving only C, with no permanence, I call nothing."""
    from counselling import selectors
    from tests.counselling.planning_helpers import institution, plan

    profile = CounsellorProfile.objects.create(user=counsellor)
    profile.areas.set([training])
    assert selectors.callable_areas(counsellor, desk) == [training]
    job_only = make_desk("5", job)
    with pytest.raises(queue.QueueError, match="ne sert aucun de vos pôles"):
        services.open_desk(counsellor=counsellor, desk=job_only)

    today = timezone.localdate()
    plan(
        institution=institution("Mission Locale"),
        area=job,
        weekday=today.weekday(),
        starts=datetime.time(0, 0),
        ends=datetime.time(23, 59),
        valid_from=today,
        desk=desk,
        counsellor=counsellor,
    )
    assert selectors.callable_areas(counsellor, desk) == [training, job]
    client.force_login(counsellor)
    page = client.get(reverse("counselling:desk")).content.decode()
    assert "C<small> (prévu)</small>" in page  # shown on the desk list before the desk is opened
    services.open_desk(counsellor=counsellor, desk=desk)
    waiting_job = issue(job)
    issue(training)
    assert services.call_next(desk=desk, counsellor=counsellor) == waiting_job


# --- Every visit served has a session, and ends it -----------------------------------------------------


def test_finishing_a_ticket_by_any_path_ends_its_session_in_the_same_transaction(desk, on_duty, issue, training):
    called = queue.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    session = services.start_session(ticket=called, desk=desk, counsellor=on_duty)
    queue.finish(ticket=called, desk=desk, by=on_duty)  # not through finish_session
    session.refresh_from_db()
    assert session.ended_at is not None

    forgotten = queue.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    left_open = services.start_session(ticket=forgotten, desk=desk, counsellor=on_duty)
    Ticket.objects.filter(pk=forgotten.pk).update(day=forgotten.day - datetime.timedelta(days=1))
    queue.close_past_days()
    left_open.refresh_from_db()
    assert left_open.ended_at is not None
    assert left_open.ended_at - left_open.started_at <= datetime.timedelta(hours=3)


def test_every_visit_served_at_the_desk_page_has_a_session(client, desk, on_duty, issue, training, job):
    client.force_login(on_duty)
    for area in (training, job, training):
        issue(area)
    for _ in range(3):
        client.post(ACTION, {"action": "call-next"})
        ticket = Ticket.objects.get(status="called")
        client.post(ACTION, {"action": "receive", "ticket": ticket.pk})
        session = Session.objects.get(ticket=ticket)
        client.post(reverse("counselling:session-save", args=[session.pk]), {"action": "finish", "outcome": "yes"})
    client.post(ACTION, {"action": "walk-in", "area": job.pk})
    served = set(TicketEvent.objects.filter(kind=Kind.STARTED).values_list("ticket", flat=True))
    assert len(served) == 4
    assert served == set(Session.objects.values_list("ticket", flat=True))


def test_a_session_time_far_in_the_past_or_future_is_a_form_error_not_a_500(client, on_duty, called, desk):
    session = services.start_session(ticket=called, desk=desk, counsellor=on_duty)
    client.force_login(on_duty)
    for moment in ("0001-01-01T00:00", "9999-12-31T23:59"):
        response = client.post(
            reverse("counselling:session-save", args=[session.pk]),
            {"started_at": moment, "ended_at": moment, "action": "save", "next_steps": "Gardé"},
        )
        assert response.status_code == 400
        assert "Gardé" in response.content.decode()  # nothing typed is lost
    session.refresh_from_db()
    assert session.next_steps == ""


def test_tickets_and_sessions_tell_the_same_day_with_a_referral_a_no_show_a_walk_in_and_a_takeover(
    issue, training, job, desk, desk4, on_duty, colleague
):
    """Every move through the desk services; then the clock's one definition of waits (reception) and of
    session time (counselling), and the counsellors' own figures, all agree with the tickets."""
    from django.db import connection
    from django.db.models import Count

    from counselling import selectors
    from reception.selectors import WAITS

    zoe = make_staff("zoe@example.org", "Counsellor", first_name="Zoé")
    queue.start_duty(user=colleague, desk=desk4)

    def serve(ticket, at, who, referral_area=None):
        queue.call_ticket(ticket=ticket, desk=at, by=who)
        session = services.start_session(ticket=ticket, desk=at, counsellor=who)
        services.finish_session(
            session=session, by=who, data={"referral_area": referral_area} if referral_area else None
        )

    serve(issue(training), desk, on_duty)  # a plain visit
    referred = issue(training)
    serve(referred, desk, on_duty, referral_area=job)  # referred to C after a session in B ...
    serve(referred, desk4, colleague)  # ... and served there by Yanis
    missed = issue(job)
    queue.call_ticket(ticket=missed, desk=desk, by=on_duty)
    queue.mark_no_show(ticket=missed, desk=desk, by=on_duty)  # a no-show: no session
    services.finish_session(
        session=services.start_walk_in(area=job, desk=desk4, counsellor=colleague), by=colleague
    )  # a walk-in
    taken = issue(training)
    queue.call_ticket(ticket=taken, desk=desk, by=on_duty)
    services.open_desk(counsellor=zoe, desk=desk, take_over=True)  # Zoé takes desk 3 over: back in the queue
    serve(taken, desk, zoe)

    day = timezone.localdate()
    tickets = Ticket.objects.filter(day=day)
    assert dict(tickets.values_list("status").annotate(n=Count("id"))) == {
        "done": 4,
        "no_show": 1,
    }
    started = TicketEvent.objects.filter(kind=Kind.STARTED, ticket__day=day).order_by("at", "id")
    sessions = Session.objects.filter(ticket__day=day).order_by("started_at", "id")
    assert not sessions.filter(ended_at__isnull=True).exists()
    assert [(e.ticket_id, e.by_id) for e in started] == [(s.ticket_id, s.counsellor_id) for s in sessions]
    served = set(tickets.filter(status="done").values_list("pk", flat=True))
    assert served == set(sessions.values_list("ticket", flat=True))

    # The clock's definitions: one wait per call from a queue (the walk-in waits not), one session time
    # per session; each counsellor's own figures add up to the sessions.
    with connection.cursor() as cursor:
        cursor.execute(WAITS.format(days="t.day = %s"), [day])
        waits = cursor.fetchall()
        cursor.execute(selectors.SESSION_TIMES.format(days="t.day = %s"), [day])
        times = cursor.fetchall()
    assert len(waits) == TicketEvent.objects.filter(kind=Kind.CALLED, ticket__day=day).count() == 6
    assert len(times) == sessions.count() == 5
    mine = [selectors.counsellor_figures(user, start=day, end=day) for user in (on_duty, colleague, zoe)]
    assert [figures.sessions for figures in mine] == [2, 2, 1]
    assert sum(figures.sessions for figures in mine) == len(times)
