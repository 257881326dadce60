"""Desks calling at the same instant against PostgreSQL: never the same ticket, never one left behind."""

import threading

import pytest
from django.db import connections

from reception import services
from reception.models import Ticket
from tests.conftest import make_staff
from tests.factories import make_area, make_desk

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(functions):
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), []

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # reported below: a thread must not swallow a failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.slow  # twelve threads, each with its own connection; the two-desk test below stays quick
def test_twelve_desks_calling_next_at_once_get_the_twelve_oldest_tickets_each_once():
    area = make_area("find-job")
    tickets = [services.issue_ticket(area=area, issued_by=None) for _ in range(30)]
    desks, counsellors = [], []
    for index in range(12):
        desks.append(make_desk(f"D{index}", area))
        counsellors.append(make_staff(f"c{index}@example.org", "Counsellor"))
        services.start_duty(user=counsellors[-1], desk=desks[-1])

    called = run_at_once(
        [lambda d=d, c=c: services.call_next(desk=d, by=c) for d, c in zip(desks, counsellors, strict=True)]
    )
    assert sorted(t.code for t in called) == sorted(t.code for t in tickets[:12])  # distinct, none skipped

    # Round after round until the queue is empty: every ticket is called exactly once.
    while Ticket.objects.filter(status="waiting").exists():
        holders = dict(zip(desks, counsellors, strict=True))
        for ticket in Ticket.objects.filter(status="called").select_related("desk"):
            services.mark_no_show(ticket=ticket, desk=ticket.desk, by=holders[ticket.desk])
        run_at_once(
            [lambda d=d, c=c: services.call_next(desk=d, by=c) for d, c in zip(desks, counsellors, strict=True)]
        )
    calls = Ticket.objects.values_list("code", "call_count")
    assert sorted(calls) == sorted((t.code, 1) for t in tickets)


def test_two_desks_calling_the_same_ticket_out_of_order_only_one_gets_it():
    area = make_area("find-job")
    ticket = services.issue_ticket(area=area, issued_by=None)
    desks = [make_desk(name, area) for name in ("1", "2")]
    holders = {}
    for desk in desks:
        holders[desk] = make_staff(f"desk{desk.name}@example.org", "Counsellor")
        services.start_duty(user=holders[desk], desk=desk)
    outcomes = []

    def call(desk):
        try:
            services.call_ticket(ticket=ticket, desk=desk, by=holders[desk])
            outcomes.append("called")
        except services.QueueError:
            outcomes.append("refused")

    run_at_once([lambda d=d: call(d) for d in desks])
    assert sorted(outcomes) == ["called", "refused"]
    assert Ticket.objects.get().call_count == 1
