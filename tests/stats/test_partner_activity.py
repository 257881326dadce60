"""A partner's page tells what the partner did this month, from the month's dashboard: its counts are
withheld there and here alike."""

import datetime

import pytest

from partners import selectors
from partners.models import Institution
from stats.figures import dashboard
from stats.partners import partner_activity
from stats.periods import Kind, Period
from tests.stats.test_sessions import reference, sessions  # noqa: F401 (the October sessions)

DAY = datetime.date(2025, 10, 20)


def dashboard_cell(key, institution):
    tables = {t.key: t for t in dashboard(Period.of(Kind.MONTH, DAY), today=DAY)}
    return next(r.cells["visits"].text for r in tables[key].rows if r.code == str(institution.pk))


@pytest.mark.usefixtures("sessions")
def test_a_partners_activity_is_the_dashboards_with_small_counts_withheld():
    employment = Institution.objects.get(name="France Travail")
    guidance = Institution.objects.get(name="CIO")

    cio = partner_activity(institution=guidance, today=DAY)
    assert cio.sessions.value == 4 and cio.sessions.suppressed
    assert cio.sessions.text == "< 5"
    assert cio.sessions.text == dashboard_cell("sessions-by-institution", guidance)

    france_travail = partner_activity(institution=employment, today=DAY)
    assert france_travail.sessions.text == dashboard_cell("sessions-by-institution", employment)
    assert france_travail.referrals.text == dashboard_cell("referrals-by-institution", employment)
    assert france_travail.referrals.value == 5


@pytest.mark.usefixtures("sessions")
def test_partners_ask_the_statistics_through_the_app_hook():
    guidance = Institution.objects.get(name="CIO")
    activity = selectors.partner_activity(guidance, today=DAY)
    assert activity.period.start == datetime.date(2025, 10, 1)
    assert activity.sessions.text == "< 5"


def test_a_partner_without_activity_shows_zeros(db):
    institution = Institution.objects.create(name="AFPA", kind="training")
    activity = partner_activity(institution=institution, today=DAY)
    assert [activity.sessions.text, activity.referrals.text, activity.workshops.text] == ["0", "0", "0"]


def test_a_small_workshop_attendance_is_withheld(db):
    from django.utils import timezone

    from counselling.models import Workshop

    institution = Institution.objects.create(name="BGE", kind="association")
    start = timezone.make_aware(datetime.datetime(2025, 10, 7, 14))
    workshop = Workshop.objects.create(
        title="Créer son activité", starts_at=start, ends_at=start + datetime.timedelta(hours=2), attendance=3
    )
    workshop.institutions.add(institution)
    activity = partner_activity(institution=institution, today=DAY)
    assert activity.workshops.text == "1"
    assert activity.workshop_people.text == "< 5"
    Workshop.objects.filter(pk=workshop.pk).update(attendance=12)
    assert partner_activity(institution=institution, today=DAY).workshop_people.text == "12"
