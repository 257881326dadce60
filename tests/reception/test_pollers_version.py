"""The pollers (the display every second, the phones every few seconds) take the queue's version this
process read less than half a second ago: a 304 without a query, a move of this process seen at once,
another process's within the half second, and never an answer older than the browser's."""

import pytest
from django.urls import reverse

from reception import services, versions
from reception.models import QueueVersion

# Committed transactions: the version is only kept from a reading made outside one.
pytestmark = pytest.mark.django_db(transaction=True)

DISPLAY = reverse("reception:display-state")


@pytest.fixture
def clock(monkeypatch):
    """versions' time.monotonic, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(versions.time, "monotonic", lambda: now[0])
    return now


def etag(response):
    return response.headers["ETag"]


def test_a_poll_within_half_a_second_asks_no_query(client, issue, training, clock, django_assert_num_queries):
    issue(training)
    first = client.get(DISPLAY)
    clock[0] += versions.POLLERS_READ_AGAIN_AFTER / 2
    with django_assert_num_queries(0):
        again = client.get(DISPLAY, headers={"If-None-Match": etag(first)})
    assert again.status_code == 304
    clock[0] += versions.POLLERS_READ_AGAIN_AFTER
    with django_assert_num_queries(1):  # read again: the version, nothing else
        assert client.get(DISPLAY, headers={"If-None-Match": etag(first)}).status_code == 304


def test_a_move_made_by_this_process_is_seen_at_once(client, issue, training, desk, on_duty, clock):
    ticket = issue(training)
    first = client.get(DISPLAY)
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    after = client.get(DISPLAY, headers={"If-None-Match": etag(first)})
    assert after.status_code == 200
    assert [call["code"] for call in after.json()["calls"]] == [ticket.code]


def test_a_move_made_by_another_process_is_seen_within_half_a_second(client, issue, training, clock):
    issue(training)
    first = client.get(DISPLAY)
    QueueVersion.objects.update(version=QueueVersion.objects.get().version + 1)  # another process's move
    assert client.get(DISPLAY, headers={"If-None-Match": etag(first)}).status_code == 304  # not yet
    clock[0] += versions.POLLERS_READ_AGAIN_AFTER
    after = client.get(DISPLAY, headers={"If-None-Match": etag(first)})
    assert after.status_code == 200 and etag(after) != etag(first)


def test_a_browser_holding_a_later_answer_gets_no_older_one(client, issue, training, clock):
    """Two processes: another one, fresher, answered this display last; this one must not send it
    back to the state before."""
    issue(training)
    first = client.get(DISPLAY)
    version = QueueVersion.objects.get().version
    QueueVersion.objects.update(version=version + 1)
    later = f'"{version + 1}-0123456789abcdef01234567"'  # the ETag another process gave
    answer = client.get(DISPLAY, headers={"If-None-Match": later})
    assert answer.status_code == 200
    assert etag(answer).startswith(f'"{version + 1}-') and etag(answer) != etag(first)


def test_the_phone_status_is_polled_the_same_way(client, issue, training, clock, django_assert_num_queries):
    ticket = issue(training)
    url = reverse("phone:status", args=[ticket.token])
    client.get(url)  # the first estimate of the day refreshes the service times: a move of its own
    first = client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url, headers={"If-None-Match": etag(first)}).status_code == 304


def test_a_reading_inside_a_transaction_is_not_kept(issue, training, clock, django_assert_num_queries):
    from django.db import transaction

    issue(training)
    with transaction.atomic():
        versions.bump_queue_version()  # uncommitted: it may still be rolled back
        seen = versions.queue_version(max_age=1)
        transaction.set_rollback(True)
    with django_assert_num_queries(1):
        assert versions.queue_version(max_age=1) == seen - 1
