"""Return codes link a visitor's visits without an identity; walk-ins are visits met directly at a desk."""

import re

import pytest
from django.urls import reverse

from reception import services
from reception.models import RETURN_CODE_ALPHABET, ReturnCode, Ticket


def test_a_new_return_code_is_short_unambiguous_and_printed(client, receptionist, training):
    client.force_login(receptionist)
    response = client.post(reverse("reception:front-desk"), {"area": training.pk, "new_return_code": "on"}, follow=True)
    ticket = Ticket.objects.get()
    code = ticket.return_code.code
    assert re.fullmatch(rf"[{RETURN_CODE_ALPHABET}]{{3}}-[{RETURN_CODE_ALPHABET}]{{3}}", code)
    assert code in response.content.decode()
    printed = client.get(reverse("reception:print-ticket", args=[ticket.pk])).content.decode()
    assert code in printed


def test_a_quoted_code_links_the_new_visit_to_the_earlier_ones(client, receptionist, issue, training, job):
    earlier = issue(training)
    earlier.return_code = ReturnCode.objects.create()
    earlier.save()
    quoted = earlier.return_code.code.lower().replace("-", " ")  # as a visitor might say it
    client.force_login(receptionist)
    client.post(reverse("reception:front-desk"), {"area": job.pk, "quoted_return_code": quoted})
    later = Ticket.objects.get(area=job)
    assert later.return_code == earlier.return_code


def test_an_unknown_quoted_code_is_refused_and_the_answers_are_kept(client, receptionist, training):
    client.force_login(receptionist)
    response = client.post(
        reverse("reception:front-desk"), {"area": training.pk, "quoted_return_code": "XXX-XXX", "first_visit": "no"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "XXX-XXX" in page
    assert re.search(r'value="no"[^>]*checked', page)
    assert not Ticket.objects.exists()


def test_erasing_a_code_keeps_the_visits_and_unlinks_them(issue, training):
    code = ReturnCode.objects.create()
    first, second = issue(training), issue(training)
    Ticket.objects.update(return_code=code)
    services.erase_return_code(return_code=code)
    assert Ticket.objects.filter(pk__in=[first.pk, second.pk], return_code__isnull=True).count() == 2


def test_a_walk_in_is_a_visit_already_at_the_desk_with_no_wait(training, desk, on_duty):
    ticket = services.record_walk_in(area=training, desk=desk, by=on_duty)
    assert (ticket.status, ticket.walk_in, ticket.desk) == ("serving", True, desk)
    assert ticket.arrived_at == ticket.called_at == ticket.started_at
    assert list(ticket.events.values_list("kind", "to_status")) == [("issued", "waiting"), ("started", "serving")]
    services.finish(ticket=ticket, desk=desk, by=on_duty)


def test_a_walk_in_needs_a_free_desk(issue, training, desk, on_duty):
    services.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    with pytest.raises(services.QueueError):
        services.record_walk_in(area=training, desk=desk, by=on_duty)
