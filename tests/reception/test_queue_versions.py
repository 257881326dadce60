"""The queue's version: every move of the queue changes it, and the display and the phone page answer
304 with the same ETag, in one query, until it does."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from counselling import services as counselling
from reception import services
from reception.models import Ticket, TicketEvent
from reception.service_times import refresh_service_times
from reception.versions import bump_queue_version, queue_version

Kind = TicketEvent.Kind


def _call(issue, training, desk, by):
    ticket = issue(training)
    return services.call_ticket(ticket=ticket, desk=desk, by=by)


def _serving(issue, training, desk, by):
    ticket = _call(issue, training, desk, by)
    return services.start_serving(ticket=ticket, desk=desk, by=by)


# Each move of the queue, from a prepared state; the kinds of event it records.
MOVES = {
    "issue": (Kind.ISSUED,),
    "walk_in": (Kind.ISSUED, Kind.STARTED),
    "call_next": (Kind.CALLED,),
    "call_ticket": (Kind.CALLED,),
    "recall": (Kind.RECALLED,),
    "start_serving": (Kind.STARTED,),
    "no_show": (Kind.NO_SHOW,),
    "finish": (Kind.FINISHED,),
    "transfer_waiting": (Kind.TRANSFERRED,),
    "transfer_from_desk": (Kind.TRANSFERRED,),
    "cancel": (Kind.CANCELLED,),
    "undo_cancel": (Kind.REINSTATED,),
    "requeue": (Kind.REQUEUED,),
    "close_past_days": (Kind.CLOSED,),
    "start_session": (Kind.STARTED,),
    "finish_session": (Kind.FINISHED,),
    "start_duty": (),
    "leave_desk": (),
    "leave_desk_with_a_called_ticket": (Kind.REQUEUED,),
    "close_idle_desks": (),
    "area_switched_off": (),
    "desk_areas_changed": (),
}


def prepare_and_move(name, *, issue, training, job, desk, counsellor, receptionist, manager):
    """Set up the state `name` starts from; return the move itself, to run once the version is read."""
    if name == "issue":
        return lambda: issue(training)
    if name == "walk_in":
        return lambda: services.record_walk_in(area=training, desk=desk, by=counsellor)
    if name == "call_next":
        issue(training)
        return lambda: services.call_next(desk=desk, by=counsellor)
    if name == "call_ticket":
        ticket = issue(training)
        return lambda: services.call_ticket(ticket=ticket, desk=desk, by=counsellor)
    if name in ("recall", "start_serving", "no_show", "cancel", "requeue", "start_session"):
        ticket = _call(issue, training, desk, counsellor)
        return {
            "recall": lambda: services.recall(ticket=ticket, desk=desk, by=counsellor),
            "start_serving": lambda: services.start_serving(ticket=ticket, desk=desk, by=counsellor),
            "no_show": lambda: services.mark_no_show(ticket=ticket, desk=desk, by=counsellor),
            "cancel": lambda: services.cancel(ticket=ticket, by=receptionist),
            "requeue": lambda: services.requeue(ticket=ticket, by=manager),
            "start_session": lambda: counselling.start_session(ticket=ticket, desk=desk, counsellor=counsellor),
        }[name]
    if name == "finish":
        ticket = _serving(issue, training, desk, counsellor)
        return lambda: services.finish(ticket=ticket, desk=desk, by=counsellor)
    if name == "finish_session":
        ticket = _call(issue, training, desk, counsellor)
        session = counselling.start_session(ticket=ticket, desk=desk, counsellor=counsellor)
        return lambda: counselling.finish_session(session=session, by=counsellor)
    if name == "undo_cancel":
        ticket = services.cancel(ticket=issue(training), by=receptionist)
        return lambda: services.undo_cancel(ticket=ticket, by=receptionist)
    if name == "transfer_waiting":
        ticket = issue(training)
        return lambda: services.transfer(ticket=ticket, area=job, by=manager)
    if name == "transfer_from_desk":
        ticket = _serving(issue, training, desk, counsellor)
        return lambda: services.transfer(ticket=ticket, area=job, by=counsellor, desk=desk)
    if name == "close_past_days":
        ticket = issue(training)
        Ticket.objects.filter(pk=ticket.pk).update(day=ticket.day - datetime.timedelta(days=1))
        return lambda: services.close_past_days()
    if name == "start_duty":
        services.leave_desk(user=counsellor)
        return lambda: services.start_duty(user=counsellor, desk=desk)
    if name == "leave_desk":
        return lambda: services.leave_desk(user=counsellor)
    if name == "leave_desk_with_a_called_ticket":
        _call(issue, training, desk, counsellor)
        return lambda: services.leave_desk(user=counsellor)
    if name == "close_idle_desks":
        return lambda: services.close_idle_desks(now=timezone.now() + datetime.timedelta(hours=2))
    if name == "area_switched_off":

        def switch_off():
            job.is_active = False
            job.save()

        return switch_off
    if name == "desk_areas_changed":
        return lambda: desk.areas.remove(job)
    raise AssertionError(name)


@pytest.fixture
def moves(issue, training, job, desk, on_duty, receptionist, manager):
    # Measured once beforehand, as they are in a running centre (refreshed later when sessions end).
    refresh_service_times(areas=[training, job])

    def run(name):
        return prepare_and_move(
            name,
            issue=issue,
            training=training,
            job=job,
            desk=desk,
            counsellor=on_duty,
            receptionist=receptionist,
            manager=manager,
        )

    return run


def test_the_moves_listed_here_record_every_kind_of_event():
    """A new kind of event (a new move) fails here until it is added to MOVES, and so tested below."""
    assert {kind for kinds in MOVES.values() for kind in kinds} == set(Kind)


@pytest.mark.parametrize("name", MOVES)
def test_every_move_of_the_queue_changes_its_version(name, moves):
    move = moves(name)
    before = queue_version()
    first_event = TicketEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    move()
    assert queue_version() > before
    recorded = set(TicketEvent.objects.filter(id__gt=first_event).values_list("kind", flat=True))
    assert recorded == set(MOVES[name])


def test_a_page_without_a_move_leaves_the_version_alone(client, issue, training, on_duty):
    issue(training)
    before = queue_version()
    client.get(reverse("reception:display-state"))
    services.touch_duty(user=on_duty, now=timezone.now() + datetime.timedelta(minutes=1))
    assert queue_version() == before


def _etag(response):
    return response.headers["ETag"]


@pytest.mark.parametrize("name", MOVES)
def test_the_display_answers_304_until_the_queue_moves(name, client, moves, django_assert_num_queries):
    move = moves(name)
    url = reverse("reception:display-state")
    first = client.get(url)
    assert first.status_code == 200
    assert "no-cache" in first.headers["Cache-Control"] and "no-store" not in first.headers["Cache-Control"]
    with django_assert_num_queries(1):  # the version, nothing else
        again = client.get(url, headers={"If-None-Match": _etag(first)})
    assert again.status_code == 304
    assert _etag(again) == _etag(first)
    assert again.content == b""
    move()
    after = client.get(url, headers={"If-None-Match": _etag(first)})
    assert after.status_code == 200
    assert _etag(after) != _etag(first)


def test_the_display_sends_the_new_call_after_a_304(client, issue, training, desk, on_duty):
    url = reverse("reception:display-state")
    ticket = issue(training)
    first = client.get(url)
    assert first.json()["calls"] == []
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    after = client.get(url, headers={"If-None-Match": _etag(first)})
    assert [call["code"] for call in after.json()["calls"]] == [ticket.code]


def test_an_unchanged_state_is_built_once_then_served_from_the_cache(
    client, issue, training, django_assert_num_queries
):
    issue(training)
    url = reverse("reception:display-state")
    first = client.get(url)
    with django_assert_num_queries(1):  # no If-None-Match (another screen): the body kept under the version
        second = client.get(url)
    assert second.content == first.content
    assert _etag(second) == _etag(first)


def test_the_etag_depends_on_the_language(client, issue, training):
    issue(training)
    url = reverse("reception:display-state")
    french = client.get(url, headers={"Accept-Language": "fr"})
    english = client.get(url, headers={"Accept-Language": "en"}, HTTP_ACCEPT_LANGUAGE="en")
    assert _etag(french) != _etag(english)
    assert english.json()["waiting"] != french.json()["waiting"]  # area names in each language
    assert client.get(url, headers={"If-None-Match": _etag(french)}, HTTP_ACCEPT_LANGUAGE="en").status_code == 200


@pytest.mark.parametrize("name", ["issue", "call_next", "leave_desk", "finish_session", "transfer_waiting"])
def test_the_phone_page_answers_304_until_the_queue_moves(
    name, client, moves, issue, training, django_assert_num_queries
):
    ticket = issue(training)
    move = moves(name)
    url = reverse("phone:status", args=[ticket.token])
    first = client.get(url)
    assert first.status_code == 200
    assert "no-store" not in first.headers["Cache-Control"]
    with django_assert_num_queries(1):
        again = client.get(url, headers={"If-None-Match": _etag(first)})
    assert again.status_code == 304
    move()
    after = client.get(url, headers={"If-None-Match": _etag(first)})
    assert after.status_code == 200
    assert _etag(after) != _etag(first)


def test_the_phone_page_etag_is_the_ticket_s_own(client, issue, training):
    one, other = issue(training), issue(training)
    first = client.get(reverse("phone:status", args=[one.token]))
    response = client.get(reverse("phone:status", args=[other.token]), headers={"If-None-Match": _etag(first)})
    assert response.status_code == 200
    assert "B-002" in response.content.decode()


def test_a_position_that_changes_reaches_the_phone(client, issue, training, desk, on_duty):
    ahead, ticket = issue(training), issue(training)
    url = reverse("phone:status", args=[ticket.token])
    first = client.get(url)
    assert "Votre ticket est le prochain" not in first.content.decode()
    services.call_ticket(ticket=ahead, desk=desk, by=on_duty)
    after = client.get(url, headers={"If-None-Match": _etag(first)})
    assert after.status_code == 200
    assert "Votre ticket est le prochain" in after.content.decode()


def test_yesterday_s_ticket_gets_no_304_today(client, issue, training):
    ticket = issue(training)
    url = reverse("phone:status", args=[ticket.token])
    first = client.get(url)
    Ticket.objects.filter(pk=ticket.pk).update(day=ticket.day - datetime.timedelta(days=1))
    bump_queue_version()
    assert client.get(url, headers={"If-None-Match": _etag(first)}).status_code == 410


def test_versions_are_per_day(issue, training):
    issue(training)
    today = timezone.localdate()
    assert queue_version(today) >= 1
    assert queue_version(today + datetime.timedelta(days=1)) == 0


@pytest.mark.parametrize("name", ["issue", "call_next", "finish_session", "transfer_waiting"])
def test_the_front_desk_s_live_queue_answers_304_until_the_queue_moves(
    name, client, receptionist, moves, django_assert_num_queries
):
    move = moves(name)
    client.force_login(receptionist)
    url = reverse("reception:queue-overview")
    first = client.get(url)
    assert first.status_code == 200 and b"queue-table" in first.content
    with django_assert_num_queries(4):  # the session, the user, their groups and permissions, the version
        again = client.get(url, headers={"If-None-Match": _etag(first)})
    assert again.status_code == 304 and again.content == b""
    move()
    after = client.get(url, headers={"If-None-Match": _etag(first)})
    assert after.status_code == 200
    assert _etag(after) != _etag(first)


def test_the_live_queue_s_etag_follows_the_minute(client, receptionist, issue, training):
    """Waits are shown in minutes: the same queue a minute later is another answer."""
    issue(training)
    client.force_login(receptionist)
    url = reverse("reception:queue-overview")
    first = client.get(url)
    later = timezone.now() + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        after = client.get(url, headers={"If-None-Match": _etag(first)})
    assert after.status_code == 200 and _etag(after) != _etag(first)


def test_the_live_queue_s_304_is_for_reception_only(client, outsider, receptionist):
    client.force_login(receptionist)
    url = reverse("reception:queue-overview")
    etag = _etag(client.get(url))
    client.force_login(outsider)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 403
