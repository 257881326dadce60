"""The planning and workshop forms refuse dates out of the years cite counts with: a form error, never a 500.

Before the bounded date fields, an extra date, a move or a permanence from 9999-12-30 overflowed while
the planning looked for the next occurrence, and a workshop in year 1 was saved.
"""

import datetime

import pytest
from django.urls import reverse

from counselling.models import Permanence, PermanenceException, Workshop
from tests.counselling.planning_helpers import institution, open_centre, plan

pytestmark = pytest.mark.django_db
REFUSED = "Donnez une date comprise entre les années 1900 et 2200."


@pytest.fixture
def weekly(training):
    open_centre()
    return plan(
        institution=institution("France Travail"), area=training, weekday=1, valid_from=datetime.date(2026, 1, 6)
    )


@pytest.mark.parametrize("far", ["9999-12-30", "9999-12-31", "0001-01-01"])
def test_planning_forms_refuse_a_far_date_beside_the_field(client, back_office, weekly, training, far):
    client.force_login(back_office)
    pages = [
        client.post(
            reverse("counselling:occurrence-add", args=[weekly.pk]),
            {"date": far, "starts_at": "09:00", "ends_at": "10:00"},
        ),
        client.post(f"/counselling/planning/{weekly.pk}/2026-03-10/", {"action": "move", "new_date": far}),
        client.post(
            reverse("counselling:permanence-add"),
            {
                "institution": weekly.institution_id,
                "area": training.pk,
                "weekday": 1,
                "starts_at": "13:00",
                "ends_at": "14:00",
                "frequency": 1,
                "valid_from": far,
            },
        ),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert all(REFUSED in page.content.decode() for page in pages)
    assert not PermanenceException.objects.exists()
    assert Permanence.objects.count() == 1


@pytest.mark.parametrize("far", ["9999-12-31T23:30", "0001-01-01T00:00"])
def test_a_workshop_cannot_be_planned_in_a_far_year(client, counsellor, training, far):
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:workshop-create"),
        {"kind": "workshop", "title": "CV", "area": training.pk, "starts_at": far, "ends_at": far, "place": "Salle"},
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Workshop.objects.exists()


def test_the_planning_link_to_a_new_permanence_carries_its_day_and_refuses_a_far_one(client, back_office):
    client.force_login(back_office)
    page = client.get(reverse("counselling:permanence-add") + "?valid_from=2026-03-10&weekday=1").content.decode()
    assert 'value="2026-03-10"' in page
    response = client.get(reverse("counselling:permanence-add") + "?valid_from=9999-12-31")
    assert response.status_code == 400 and REFUSED in response.content.decode()
