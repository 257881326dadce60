"""Shared projects: objectives with a target and progress, steered by managers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners import services
from partners.models import Objective, Project
from tests.partners.factories import make_group

pytestmark = pytest.mark.django_db


def make_project(name="Développer l'alternance", groups=(), objectives=(("Entreprises au forum", 40, 27),)):
    project = Project.objects.create(name=name, description="Rapprocher jeunes et entreprises.")
    project.working_groups.set(groups)
    for title, target, progress in objectives:
        project.objectives.create(
            title=title, target=target, progress=progress, unit="entreprises", deadline=datetime.date(2027, 3, 1)
        )
    return project


def test_the_project_page_shows_progress_towards_each_target_and_the_groups_carrying_it(client, manager):
    make_project(groups=[make_group("Forum de l'alternance")])
    client.force_login(manager)

    page = client.get("/partners/projects/").content.decode()

    assert "Développer l&#x27;alternance" in page
    assert "Forum de l&#x27;alternance" in page
    assert '<progress max="100" value="67"' in page
    assert "27 of 40 entreprises (67 %)" in page


def test_progress_beyond_the_target_shows_a_full_bar():
    objective = Objective(target=10, progress=14)
    assert objective.percent == 100


def test_the_project_page_keeps_a_fixed_number_of_queries(client, back_office):
    client.force_login(back_office)
    make_project("P0", groups=[make_group("G0")])
    with CaptureQueriesContext(connection) as once:
        client.get("/partners/projects/")
    for serial in range(1, 8):
        make_project(f"P{serial}", groups=[make_group(f"G{serial}")], objectives=[("A", 5, 1), ("B", 8, 2)])
    with CaptureQueriesContext(connection) as many:
        client.get("/partners/projects/")
    assert len(many) == len(once)


def test_a_manager_records_progress(client, manager):
    objective = make_project().objectives.get()
    client.force_login(manager)

    response = client.post(f"/partners/projects/objectives/{objective.pk}/progress/", {"progress": "31"})

    assert response.status_code == 302
    assert response["Location"] == f"/partners/projects/#project-{objective.project_id}"
    objective.refresh_from_db()
    assert objective.progress == 31


def test_negative_progress_is_refused_beside_the_field_and_keeps_what_was_typed(client, manager):
    objective = make_project().objectives.get()
    client.force_login(manager)

    response = client.post(f"/partners/projects/objectives/{objective.pk}/progress/", {"progress": "-3"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in page
    assert 'value="-3"' in page
    objective.refresh_from_db()
    assert objective.progress == 27


def test_the_service_refuses_negative_progress_too():
    objective = make_project().objectives.get()
    with pytest.raises(services.ObjectiveError):
        services.record_progress(objective=objective, progress=-1)


def test_counsellors_cannot_change_objectives(client, counsellor):
    objective = make_project().objectives.get()
    client.force_login(counsellor)
    assert client.post(f"/partners/projects/objectives/{objective.pk}/progress/", {"progress": "40"}).status_code == 403
    objective.refresh_from_db()
    assert objective.progress == 27
