"""The admin of the planning refuses what the week grid refuses, with the same messages."""

import datetime

import pytest

from counselling.models import Permanence, PermanenceException
from tests.counselling.planning_helpers import institution, open_centre, plan

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def planned(training):
    open_centre()
    return plan(institution=institution("France Travail"), area=training, weekday=0, valid_from=D(2026, 1, 5))


def form_data(permanence, **changes):
    data = {
        "institution": permanence.institution_id,
        "area": permanence.area_id,
        "weekday": 0,
        "starts_at": "09:00",
        "ends_at": "12:00",
        "frequency": 1,
        "valid_from": "2026-01-05",
        "exceptions-TOTAL_FORMS": 0,
        "exceptions-INITIAL_FORMS": 0,
        "exceptions-MIN_NUM_FORMS": 0,
        "exceptions-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data


def test_the_admin_refuses_an_overlapping_permanence(client, back_office, planned):
    client.force_login(back_office)
    assert client.get("/admin/counselling/permanence/").status_code == 200
    response = client.post(
        "/admin/counselling/permanence/add/",
        form_data(planned, starts_at="11:00", ends_at="13:00"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert (
        "France Travail already holds the permanence of monday 09:00–12:00 in this area." in response.content.decode()
    )
    assert Permanence.objects.count() == 1


def test_the_admin_refuses_a_change_on_a_date_the_permanence_does_not_hold(client, back_office, planned):
    client.force_login(back_office)
    data = form_data(
        planned,
        **{
            "exceptions-TOTAL_FORMS": 1,
            "exceptions-0-kind": "cancelled",
            "exceptions-0-date": "2026-01-13",
            "exceptions-0-permanence": planned.pk,
        },
    )
    response = client.post(f"/admin/counselling/permanence/{planned.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert "The permanence does not take place on this date." in response.content.decode()
    assert not PermanenceException.objects.exists()

    data["exceptions-0-date"] = "2026-01-12"
    response = client.post(f"/admin/counselling/permanence/{planned.pk}/change/", data)
    assert response.status_code == 302
    assert PermanenceException.objects.get().date == D(2026, 1, 12)


def test_opening_hours_and_closures_in_the_admin(client, back_office, planned):
    client.force_login(back_office)
    for url in (
        "/admin/counselling/openinghours/",
        "/admin/counselling/closure/add/",
        "/admin/counselling/openinghours/add/",
    ):
        assert client.get(url).status_code == 200, url
