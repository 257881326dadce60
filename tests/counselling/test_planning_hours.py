"""Hours against agreements on a month computed by hand (March 2026, with the spring DST change)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from counselling import planning, services
from counselling.models import Closure
from partners.models import Agreement, Secondment
from reception.models import Duty
from tests.conftest import make_staff
from tests.counselling.planning_helpers import T, institution, local, open_centre, plan
from tests.factories import make_desk

pytestmark = pytest.mark.django_db

D = datetime.date


def agreement(partner, hours, start, end, stage=Agreement.Stage.SIGNED):
    signed = stage != Agreement.Stage.DRAFT
    return Agreement.objects.create(
        institution=partner,
        title=f"Convention {partner}",
        start_date=start,
        end_date=end,
        committed_hours=hours,
        stage=stage,
        signature_date=start if signed else None,
        document="agreements/signed.pdf" if signed else "",
    )


def duty(user, desk, start, end):
    item = Duty.objects.create(user=user, desk=desk, ended_at=end)
    Duty.objects.filter(pk=item.pk).update(started_at=start)


@pytest.fixture
def march(training, job, counsellor, outsider):
    open_centre()
    france_travail = institution("France Travail")
    mission_locale = institution("Mission Locale", kind="association")
    cio = institution("CIO", kind="guidance")

    # France Travail: Mondays 9-12 -> 2, 9, 16, 23, 30 March = 15 h; 16 March cancelled (-3), 23 March
    # the centre is closed (-3), an extra Wednesday 25 March 14-16 (+2): 11 h planned.
    monday = plan(institution=france_travail, area=training, weekday=0, valid_from=D(2026, 1, 5))
    services.cancel_occurrence(permanence=monday, date=D(2026, 3, 16))
    Closure.objects.create(starts_on=D(2026, 3, 23), ends_on=D(2026, 3, 23), reason_fr="Fermeture")
    services.add_occurrence(permanence=monday, date=D(2026, 3, 25), starts_at=T(14), ends_at=T(16))
    # 3 h a week over the 31 days of March: 31 x 3 / 7 = 13.29 h committed.
    agreement(france_travail, 3, D(2026, 1, 1), D(2026, 12, 31))
    # On duty: 3 h + 2.5 h + 3 h (30 March, summer time) + the March hour of a duty across midnight
    # on 28 February = 9.5 h. The outsider is seconded by nobody: their duty counts for no one.
    Secondment.objects.create(user=counsellor, institution=france_travail, start_date=D(2026, 1, 1))
    desk = make_desk("3", training, job)
    duty(counsellor, desk, local(2026, 3, 2, 9), local(2026, 3, 2, 12))
    duty(counsellor, desk, local(2026, 3, 9, 9), local(2026, 3, 9, 11, 30))
    duty(counsellor, desk, local(2026, 3, 30, 9), local(2026, 3, 30, 12))
    duty(counsellor, desk, local(2026, 2, 28, 23), local(2026, 3, 1, 1))
    duty(outsider, desk, local(2026, 3, 3, 9), local(2026, 3, 3, 12))

    # Mission Locale: every other Tuesday 14-16 from the week of 2 March -> 3, 17, 31 March = 6 h;
    # 1.5 h a week from 15 March: 17 days x 1.5 / 7 = 3.64 h committed; nobody on duty.
    plan(
        institution=mission_locale, area=job, weekday=1, starts=T(14), ends=T(16), valid_from=D(2026, 3, 3), frequency=2
    )
    agreement(mission_locale, Decimal("1.5"), D(2026, 3, 15), D(2026, 12, 31))
    # The CIO's agreement is only a draft: nothing committed yet.
    agreement(cio, 10, D(2026, 1, 1), D(2026, 12, 31), stage=Agreement.Stage.DRAFT)
    return france_travail, mission_locale, cio


def figures(rows):
    return {
        row.institution.name: (round(row.planned, 2), round(row.committed, 2), round(row.on_duty, 2), row.flagged)
        for row in rows
    }


def test_planned_committed_and_on_duty_hours_of_a_month(march):
    rows = planning.hours_report(D(2026, 3, 18), threshold=10, now=local(2026, 4, 2, 12))
    assert figures(rows) == {
        "CIO": (0, 0, 0, False),
        "France Travail": (Decimal("11.00"), Decimal("13.29"), Decimal("9.50"), True),
        "Mission Locale": (Decimal("6.00"), Decimal("3.64"), 0, True),
    }


def test_the_threshold_decides_what_is_flagged(march):
    # France Travail: planned 11 vs 13.29 committed (17 %), on duty 9.5 vs 11 planned (14 %).
    rows = {
        row.institution.name: row for row in planning.hours_report(D(2026, 3, 1), threshold=20, now=local(2026, 4, 2))
    }
    assert not rows["France Travail"].flagged
    assert rows["Mission Locale"].planned_flagged and rows["Mission Locale"].duty_flagged


def test_the_page_and_its_csv_export(client, back_office, settings, march):
    settings.COUNSELLING_HOURS_GAP_PERCENT = 10
    client.force_login(back_office)
    page = client.get("/counselling/planning/hours/?month=2026-03", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "March 2026" in page and "13.3" in page and "9.5" in page

    response = client.get("/counselling/planning/hours.csv?month=2026-03", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Disposition"] == 'attachment; filename="hours-2026-03.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Month", "Institution", "Hours planned", "Hours committed", "Hours on duty"]
    assert ["2026-03", "France Travail", "11.0", "13.3", "9.5", "-2.3", "-1.5", "yes"] in rows
    assert ["2026-03", "Mission Locale", "6.0", "3.6", "0.0", "2.4", "-6.0", "yes"] in rows
    assert ["2026-03", "CIO", "0.0", "0.0", "0.0", "0.0", "0.0", "no"] in rows


def test_the_csv_export_quotes_a_name_that_starts_like_a_formula_and_keeps_gaps_as_numbers(client, back_office, march):
    institution("-2+3+cmd|' /C calc'!A0")
    client.force_login(back_office)
    response = client.get("/counselling/planning/hours.csv?month=2026-03", HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["2026-03", "'-2+3+cmd|' /C calc'!A0", "0.0", "0.0", "0.0", "0.0", "0.0", "no"] in rows
    assert ["2026-03", "France Travail", "11.0", "13.3", "9.5", "-2.3", "-1.5", "yes"] in rows


def test_the_hours_page_keeps_a_fixed_number_of_queries(
    client, back_office, march, training, django_assert_max_num_queries
):
    client.force_login(back_office)
    with django_assert_max_num_queries(20) as few:
        client.get("/counselling/planning/hours/?month=2026-03")
    desk = make_desk("4", training)
    for number in range(15):
        partner = institution(f"Partner {number}")
        plan(institution=partner, area=training, weekday=number % 5, starts=T(13), ends=T(15), valid_from=D(2026, 3, 2))
        agreement(partner, 2, D(2026, 1, 1), D(2026, 12, 31))
        person = make_staff(f"p{number}@example.org")
        Secondment.objects.create(user=person, institution=partner, start_date=D(2026, 1, 1))
        duty(person, desk, local(2026, 3, 4, 13), local(2026, 3, 4, 15))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/counselling/planning/hours/?month=2026-03")
    assert response.content.decode().count("<tr") == 1 + 3 + 15
