"""A counsellor's day: their own sessions of today's visits, the median session time, topics and occupations."""

import datetime

from django.urls import reverse
from django.utils import timezone

from counselling import services
from counselling.models import Session
from reception import services as queue
from reception.models import Ticket
from tests.conftest import make_staff
from tests.factories import make_desk


def served(ticket, desk, counsellor, minutes, *, days_ago=0, **fields):
    """A finished session of `minutes`, today shortly after midnight (centre time) or `days_ago` (the
    visit's day with it)."""
    queue.call_ticket(ticket=ticket, desk=desk, by=counsellor)
    session = services.start_session(ticket=ticket, desk=desk, counsellor=counsellor)
    services.save_session(session=session, by=counsellor, data=fields)
    services.finish_session(session=session, by=counsellor)
    start = timezone.localtime().replace(hour=0, minute=5, second=0, microsecond=0)
    start -= datetime.timedelta(days=days_ago)
    Session.objects.filter(pk=session.pk).update(started_at=start, ended_at=start + datetime.timedelta(minutes=minutes))
    Ticket.objects.filter(pk=ticket.pk).update(day=timezone.localdate(start))
    return session


def test_my_day_counts_my_sessions_their_median_topics_and_occupations_and_no_one_elses(
    client, on_duty, issue, training, desk, topics, plumber
):
    served(issue(training), desk, on_duty, 10, topics=topics, occupations=[plumber])
    served(issue(training), desk, on_duty, 20, topics=topics[:1], occupation_groups=[plumber.group])
    served(issue(training), desk, on_duty, 50, days_ago=1, topics=topics[1:])  # yesterday: not today's
    colleague = make_staff("yanis@example.org", "Counsellor", first_name="Yanis")
    other_desk = make_desk("4", training)
    queue.start_duty(user=colleague, desk=other_desk)
    served(issue(training), other_desk, colleague, 45, topics=topics[1:], occupations=[plumber])

    client.force_login(on_duty)
    page = client.get(reverse("counselling:my-day")).content.decode()

    assert "2 entretiens" in page and "entretien médian 10 min" in page  # 10 and 20: the 1st of 2
    assert page.count('class="ticket-cell"') == 2
    topics_list = page.split("<h2>Thèmes</h2>")[1].split("</ul>")[0]
    assert "CV et lettre <strong>2</strong>" in topics_list and "Alternance <strong>1</strong>" in topics_list
    occupations_list = page.split("Métiers explorés</h2>")[1].split("</ul>")[0]
    assert "<strong>1</strong>" in occupations_list  # the colleague's plumber is not mine
    assert "7126" in page.split("Groupes de métiers explorés</h2>")[1]


def test_my_day_shows_my_month_as_the_statistics_count_it_and_only_mine(client, on_duty, issue, training, desk):
    served(issue(training), desk, on_duty, 10)
    served(issue(training), desk, on_duty, 20)
    colleague = make_staff("yanis@example.org", "Counsellor", first_name="Yanis")
    other_desk = make_desk("4", training)
    queue.start_duty(user=colleague, desk=other_desk)
    served(issue(training), other_desk, colleague, 45)

    client.force_login(on_duty)
    page = client.get(reverse("counselling:my-day")).content.decode()

    month = page.split('id="my-month-heading">')[1].split("</section>")[0]
    assert "2 visiteurs reçus" in month and "entretien médian 10 min" in month
    assert "Trouver une formation <strong>2</strong>" in month
