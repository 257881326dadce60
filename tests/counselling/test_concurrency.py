"""Twenty counsellors calling next at the same instant against PostgreSQL."""

import pytest

from reception import services as queue
from reception.models import Ticket
from tests.conftest import make_staff
from tests.factories import make_area, make_desk
from tests.reception.test_concurrency import run_at_once


@pytest.mark.slow  # twenty threads, each with its own connection
@pytest.mark.django_db(transaction=True)
def test_twenty_threads_calling_next_never_get_the_same_ticket_and_leave_none_behind():
    area = make_area("find-job")
    for _ in range(20):
        queue.issue_ticket(area=area, issued_by=None)
    pairs = []
    for index in range(20):
        desk = make_desk(f"D{index}", area)
        counsellor = make_staff(f"c{index}@example.org", "Counsellor")
        queue.start_duty(user=counsellor, desk=desk)
        pairs.append((desk, counsellor))
    called = run_at_once([lambda d=d, c=c: queue.call_next(desk=d, by=c) for d, c in pairs])
    assert len({ticket.pk for ticket in called}) == 20
    assert not Ticket.objects.filter(status="waiting").exists()
    assert sorted(Ticket.objects.values_list("desk__name", flat=True)) == sorted(f"D{i}" for i in range(20))
