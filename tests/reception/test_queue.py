"""Queue moves: what each state allows, what it refuses, and the timed event every move leaves."""

import pytest

from reception import selectors, services
from reception.models import Ticket, TicketEvent

Status, Kind = Ticket.Status, TicketEvent.Kind


@pytest.fixture
def waiting(issue, training):
    return issue(training)


def move(name, ticket, user, desk=None, area=None):
    """A move as the page that offers it makes it: at the desk by its counsellor, or by reception
    (cancelling, and moving a waiting ticket to another queue)."""
    ticket.refresh_from_db()
    if name == "call":
        return services.call_ticket(ticket=ticket, desk=desk, by=user)
    if name == "transfer":
        if ticket.status == Status.WAITING:
            return services.transfer(ticket=ticket, area=area, by=ticket.issued_by)
        return services.transfer(ticket=ticket, area=area, desk=desk, by=user)
    if name == "cancel":
        return services.cancel(ticket=ticket, by=ticket.issued_by)
    return getattr(services, name)(ticket=ticket, desk=desk, by=user)


def test_call_next_calls_the_oldest_waiting_ticket_of_the_desks_areas(issue, training, job, desk, on_duty):
    first, second = issue(job), issue(training)
    called = services.call_next(desk=desk, by=on_duty)
    assert called == first
    first.refresh_from_db()
    assert (first.status, first.desk, first.call_count) == (Status.CALLED, desk, 1)
    assert second.status == Status.WAITING


def test_call_next_ignores_other_areas_and_says_when_nobody_waits(issue, areas, on_duty):
    from tests.factories import make_area, make_desk

    abroad = make_area("work-abroad")
    issue(abroad)
    lonely = make_desk("9", areas["find-job"])
    services.start_duty(user=on_duty, desk=lonely)
    assert services.call_next(desk=lonely, by=on_duty) is None


def test_a_full_visit_leaves_one_event_per_move_with_times_and_desk(waiting, desk, on_duty):
    services.call_ticket(ticket=waiting, desk=desk, by=on_duty)
    services.recall(ticket=waiting, desk=desk, by=on_duty)
    services.start_serving(ticket=waiting, desk=desk, by=on_duty)
    services.finish(ticket=waiting, desk=desk, by=on_duty)
    waiting.refresh_from_db()
    assert waiting.status == Status.DONE
    assert waiting.arrived_at <= waiting.called_at <= waiting.started_at <= waiting.finished_at
    events = list(waiting.events.values_list("kind", "from_status", "to_status", "desk__name"))
    assert events == [
        (Kind.ISSUED, "", Status.WAITING, None),
        (Kind.CALLED, Status.WAITING, Status.CALLED, "3"),
        (Kind.RECALLED, Status.CALLED, Status.CALLED, "3"),
        (Kind.STARTED, Status.CALLED, Status.SERVING, "3"),
        (Kind.FINISHED, Status.SERVING, Status.DONE, "3"),
    ]
    assert set(waiting.events.values_list("by", flat=True)) == {waiting.issued_by_id, on_duty.pk}


# (moves that bring the ticket to the state, move tried, allowed?)
TRANSITIONS = [
    ([], "call", True),
    ([], "recall", False),
    ([], "start_serving", False),
    ([], "mark_no_show", False),
    ([], "finish", False),
    ([], "transfer", True),
    ([], "cancel", True),
    (["call"], "call", False),
    (["call"], "recall", True),
    (["call"], "start_serving", True),
    (["call"], "mark_no_show", True),
    (["call"], "finish", False),
    (["call"], "transfer", True),
    (["call"], "cancel", True),
    (["call", "start_serving"], "call", False),
    (["call", "start_serving"], "recall", False),
    (["call", "start_serving"], "mark_no_show", False),
    (["call", "start_serving"], "finish", True),
    (["call", "start_serving"], "transfer", True),
    (["call", "start_serving"], "cancel", False),
    (["call", "start_serving", "finish"], "call", False),
    (["call", "start_serving", "finish"], "transfer", False),
    (["call", "start_serving", "finish"], "cancel", False),
    (["call", "mark_no_show"], "call", False),
    (["call", "mark_no_show"], "recall", False),
    (["call", "mark_no_show"], "finish", False),
    (["cancel"], "call", False),
    (["cancel"], "transfer", False),
    (["cancel"], "cancel", False),
]


@pytest.mark.parametrize(("before", "tried", "allowed"), TRANSITIONS)
def test_each_move_is_allowed_or_refused_with_a_clear_message(waiting, desk, job, on_duty, before, tried, allowed):
    for name in before:
        move(name, waiting, on_duty, desk=desk, area=job)
    waiting.refresh_from_db()
    state, events = waiting.status, waiting.events.count()
    if allowed:
        move(tried, waiting, on_duty, desk=desk, area=job)
        assert waiting.events.count() == events + 1
    else:
        with pytest.raises(services.QueueError) as refused:
            move(tried, waiting, on_duty, desk=desk, area=job)
        assert waiting.code in str(refused.value)
        waiting.refresh_from_db()
        assert (waiting.status, waiting.events.count()) == (state, events)


def test_refusals_are_translated(waiting, desk, on_duty):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(services.QueueError) as refused:
        services.finish(ticket=waiting, desk=desk, by=on_duty)
    assert (
        str(refused.value) == f"Seul un ticket en cours d’entretien peut être terminé ; {waiting.code} est en attente."
    )


def test_a_desk_serves_one_ticket_at_a_time(issue, training, desk, on_duty):
    issue(training), issue(training)
    current = services.call_next(desk=desk, by=on_duty)
    with pytest.raises(services.QueueError, match=current.code):
        services.call_next(desk=desk, by=on_duty)


def test_transfer_keeps_the_arrival_time_and_the_code_and_takes_the_right_place(issue, training, job, desk, on_duty):
    early = issue(training)
    later = issue(job)
    services.call_ticket(ticket=early, desk=desk, by=on_duty)
    services.transfer(ticket=early, area=job, desk=desk, by=on_duty)
    early.refresh_from_db()
    assert (early.status, early.area, early.code, early.desk) == (Status.WAITING, job, "B-001", None)
    assert list(selectors.waiting_tickets(areas=[job])) == [early, later]  # arrived first, called first
    event = early.events.last()
    assert (event.kind, event.from_area, event.to_area) == (Kind.TRANSFERRED, training, job)


def test_transfer_to_the_same_area_is_refused(waiting, training, receptionist):
    with pytest.raises(services.QueueError, match="déjà dans le pôle"):
        services.transfer(ticket=waiting, area=training, by=receptionist)


def test_call_next_takes_a_fixed_number_of_queries(issue, training, desk, on_duty, django_assert_num_queries):
    for _ in range(3):
        issue(training)
    # The duty's row locked and its holder's presence noted, the desk checked free, the oldest ticket
    # locked, the ticket saved, its event written and the queue's version bumped: the same count with
    # 3 or 63 waiting.
    with django_assert_num_queries(11):
        called = services.call_next(desk=desk, by=on_duty)
    services.finish(ticket=services.start_serving(ticket=called, desk=desk, by=on_duty), desk=desk, by=on_duty)
    for _ in range(60):
        issue(training)
    with django_assert_num_queries(11):
        services.call_next(desk=desk, by=on_duty)


def test_close_past_days_closes_what_earlier_days_left_open(issue, training, desk, on_duty):
    import datetime

    old_waiting, old_called, today = issue(training), issue(training), issue(training)
    services.call_ticket(ticket=old_called, desk=desk, by=on_duty)
    yesterday = today.day - datetime.timedelta(days=1)
    Ticket.objects.filter(pk__in=[old_waiting.pk, old_called.pk]).update(day=yesterday)
    assert services.close_past_days() == 2
    statuses = dict(Ticket.objects.values_list("pk", "status"))
    assert statuses == {old_waiting.pk: "cancelled", old_called.pk: "cancelled", today.pk: "waiting"}
    assert old_called.events.last().kind == Kind.CLOSED


def test_the_nightly_command_closes_earlier_days(issue, training):
    import datetime

    from django.core.management import call_command

    ticket = issue(training)
    Ticket.objects.filter(pk=ticket.pk).update(day=ticket.day - datetime.timedelta(days=2))
    call_command("close_queue_days", verbosity=0)
    ticket.refresh_from_db()
    assert ticket.status == "cancelled"
