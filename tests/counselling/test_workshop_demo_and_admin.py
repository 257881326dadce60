"""The demo's workshops (around today, attendance for the past ones, idempotent) and their admin."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cite import demo as cite_demo
from counselling import demo
from counselling.models import Workshop
from tests.counselling.workshop_factories import make_lists, make_workshop

pytestmark = pytest.mark.django_db


def test_the_demo_plans_fifteen_workshops_around_today_and_counts_the_past_ones(db):
    from partners import demo as partners_demo

    cite_demo.create_staff()
    cite_demo.create_areas()
    partners_demo.build()
    make_lists()
    demo.build()
    demo.build_workshops()
    demo.build_workshops()  # again: nothing more

    workshops = list(Workshop.objects.prefetch_related("institutions", "attendance_counts"))
    now = timezone.now()
    past = [w for w in workshops if w.ends_at < now]
    assert len(workshops) == 15
    assert {w.kind for w in workshops} == {"workshop", "information_session", "forum", "job_dating"}
    assert len(past) >= 6 and len(workshops) - len(past) >= 5
    counted = [w for w in past if w.attendance is not None]
    assert len(counted) == len(past) - 1  # one still to count
    assert all(w.attendance_counts.all() for w in counted)
    for workshop in counted:
        by_list = {}
        for row in workshop.attendance_counts.all():
            by_list[row.profile_list] = by_list.get(row.profile_list, 0) + row.count
        assert all(total <= workshop.attendance for total in by_list.values())
    assert sum(w.is_cancelled for w in workshops) == 1
    assert all(w.institutions.all() for w in workshops if w.title != "Partir travailler à l'étranger")


def test_the_back_office_manages_workshops_in_the_admin_and_cancels_through_the_service(client, back_office):
    coming = make_workshop("Forum de l'alternance", days=3)
    held = make_workshop("Atelier CV", days=-3, attendance=9)
    client.force_login(back_office)
    assert client.get(reverse("admin:counselling_workshop_changelist")).status_code == 200
    page = client.get(reverse("admin:counselling_workshop_change", args=[held.pk])).content.decode()
    assert reverse("counselling:workshop-attendance", args=[held.pk]) in page  # attendance is counted on the page
    assert 'name="attendance"' not in page
    assert client.get(reverse("admin:counselling_workshop_add")).status_code == 200

    client.post(
        reverse("admin:counselling_workshop_changelist"),
        {"action": "cancel", "_selected_action": [coming.pk, held.pk]},
    )
    coming.refresh_from_db()
    held.refresh_from_db()
    assert coming.is_cancelled and not held.is_cancelled  # people attended the held one
