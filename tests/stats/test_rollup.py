"""The nightly rollup: closed days counted once, the last days again, never today."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from stats.models import WHOLE_CENTRE, DailyCount, DailyDuration, MonthlyDuration, RolledDay
from stats.services import roll_up, roll_up_closed_days
from tests.factories import local

pytestmark = pytest.mark.django_db


def test_every_closed_day_since_the_first_visit_is_rolled_up_once_and_today_never(visit, training):
    today = timezone.localdate()
    first = today - datetime.timedelta(days=20)
    visit(training, local(first, 10), wait=4, session=12)
    visit(training, local(today, 9), wait=1, session=3)
    assert roll_up_closed_days(again=3) == 20
    assert RolledDay.objects.count() == 20
    assert not RolledDay.objects.filter(day=today).exists()
    assert RolledDay.objects.get(day=first).visits == 1
    assert DailyCount.objects.get(**WHOLE_CENTRE, day=first, breakdown="all").visits == 1
    assert DailyDuration.objects.filter(**WHOLE_CENTRE, day=first, measure="wait", area=training).get().minutes == 4
    assert (
        MonthlyDuration.objects.filter(**WHOLE_CENTRE, month=first.replace(day=1), measure="session", area=training)
        .get()
        .visits
        == 1
    )
    # The next night: nothing new but the last three days again.
    assert roll_up_closed_days(again=3) == 3


def test_rolling_a_day_again_replaces_its_counts(visit, training):
    day = datetime.date(2025, 10, 6)
    visit(training, local(day, 10), wait=4, session=12)
    roll_up(days=[day])
    visit(training, local(day, 11), wait=6, session=12)
    roll_up(days=[day])
    assert DailyCount.objects.get(**WHOLE_CENTRE, day=day, breakdown="all").visits == 2
    assert RolledDay.objects.get(day=day).visits == 2
    assert (
        sum(
            DailyDuration.objects.filter(**WHOLE_CENTRE, day=day, measure="wait", area=training).values_list(
                "visits", flat=True
            )
        )
        == 2
    )


def test_the_command_rolls_up_and_checks_its_options(visit, training, capsys):
    visit(training, local(datetime.date(2025, 10, 6), 10), wait=4, session=12)
    call_command("roll_up_statistics", "--again", "0")
    assert RolledDay.objects.filter(day=datetime.date(2025, 10, 6)).exists()
    assert "day(s) rolled up." in capsys.readouterr().out
    call_command("roll_up_statistics", "--since", "2025-10-01", verbosity=0)
    with pytest.raises(CommandError, match="--since must be a date"):
        call_command("roll_up_statistics", "--since", "yesterday")
    with pytest.raises(CommandError, match="--again must be 0 or more"):
        call_command("roll_up_statistics", "--again", "-1")


def test_a_visit_is_rolled_up_in_the_whole_centre_its_area_and_each_institution_that_saw_it(
    visit, training, job, counsellor
):
    from counselling.models import Session
    from partners.models import Institution

    day = datetime.date(2025, 10, 6)
    employment = Institution.objects.create(name="France Travail", kind=Institution.Kind.EMPLOYMENT)
    guidance = Institution.objects.create(name="CIO", kind=Institution.Kind.GUIDANCE)
    seen_twice = visit(training, local(day, 10), wait=4, session=12)
    Session.objects.filter(ticket=seen_twice).update(institution=employment)
    Session.objects.create(
        ticket=seen_twice, counsellor=counsellor, institution=guidance, area=job, started_at=seen_twice.started_at
    )
    visit(job, local(day, 11), status="cancelled")  # no session: the centre and its area only
    roll_up(days=[day])
    scopes = {
        (row.scope_area_id, row.scope_institution_id): row.visits
        for row in DailyCount.objects.filter(day=day, breakdown="all")
    }
    assert scopes == {
        (None, None): 2,
        (training.pk, None): 1,
        (job.pk, None): 1,
        (None, employment.pk): 1,
        (None, guidance.pk): 1,
        (training.pk, employment.pk): 1,
        (training.pk, guidance.pk): 1,
    }
    assert RolledDay.objects.get(day=day).visits == 2  # the whole centre's, not a sum over scopes
