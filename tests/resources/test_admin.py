"""The back office's administration pages for the library, with the same checks and services as the pages."""

import pytest
from django.urls import reverse

from resources.models import HarvestRun, Record
from tests.resources.conftest import make_record
from tests.resources.provider import FakeProvider, dc_record, list_records

pytestmark = pytest.mark.django_db


def test_every_library_admin_page_opens_for_the_back_office(client, back_office, reference, sister):
    record = make_record()
    client.force_login(back_office)
    for url in (
        reverse("admin:resources_record_changelist"),
        reverse("admin:resources_record_add"),
        reverse("admin:resources_record_change", args=[record.pk]),
        reverse("admin:resources_occupation_changelist") + "?q=plombeir",
        reverse("admin:resources_iscogroup_changelist"),
        reverse("admin:resources_sistercentre_changelist"),
        reverse("admin:resources_harvestrun_changelist"),
    ):
        assert client.get(url).status_code == 200, url


def test_adding_a_record_in_the_admin_goes_through_the_same_checks(client, back_office, reference):
    client.force_login(back_office)
    data = {
        "title": "Fiche",
        "kind": "guide",
        "language": "fr",
        "visibility": "public",
        "date": "le 17 mai",
        "occupations": [reference["plumber"].pk],
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:resources_record_add"), data)
    assert response.status_code == 200
    assert not Record.objects.exists()

    data["date"] = "2024-05"
    response = client.post(reverse("admin:resources_record_add"), data)
    assert response.status_code == 302
    record = Record.objects.get()
    assert record.created_by == back_office
    assert "7126" in record.isco_codes  # the service built the index
    assert record.search_vector


def test_deleting_a_published_record_in_the_admin_leaves_a_tombstone(client, back_office):
    record = make_record(visibility="public")
    client.force_login(back_office)
    response = client.post(reverse("admin:resources_record_delete", args=[record.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert Record.all_objects.get(pk=record.pk).deleted_at is not None


def test_a_harvested_record_is_read_only_in_the_admin(client, back_office, sister):
    record = Record.objects.create(title="Fiche", source_centre=sister, origin_identifier="oai:x:1")
    client.force_login(back_office)
    page = client.get(reverse("admin:resources_record_change", args=[record.pk])).content.decode()
    assert 'name="title"' not in page
    response = client.post(reverse("admin:resources_record_change", args=[record.pk]), {"title": "Autre"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.title == "Fiche"


def test_the_harvest_action_harvests_the_chosen_centres(client, back_office, sister):
    with FakeProvider([list_records([dc_record("oai:ge:1")])]) as provider:
        sister.oai_base_url = provider.url
        sister.save()
        client.force_login(back_office)
        response = client.post(
            reverse("admin:resources_sistercentre_changelist"),
            {"action": "harvest_now", "_selected_action": [sister.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert HarvestRun.objects.get(centre=sister).created == 1
    assert Record.objects.filter(source_centre=sister).count() == 1


def test_managers_see_harvests_but_cannot_start_one(client, manager, sister):
    client.force_login(manager)
    assert client.get(reverse("admin:resources_harvestrun_changelist")).status_code == 200
    assert client.get(reverse("admin:resources_sistercentre_changelist")).status_code == 403


def test_the_centres_list_shows_the_last_success_and_the_last_error_linked_to_its_record_errors(
    client, back_office, sister
):
    from django.utils import timezone

    from resources.models import HarvestRecordError

    now = timezone.now()
    HarvestRun.objects.create(
        centre=sister, base_url="http://x/oai", status="succeeded", started_at=now, finished_at=now
    )
    failed = HarvestRun.objects.create(
        centre=sister,
        base_url="http://x/oai",
        status="failed",
        started_at=now + timezone.timedelta(hours=6),
        message="The centre answered with the HTTP error 502.",
    )
    HarvestRecordError.objects.create(run=failed, identifier="oai:ge:long", message="Identifier too long")
    client.force_login(back_office)

    page = client.get(reverse("admin:resources_sistercentre_changelist")).content.decode()
    assert f"{timezone.localtime(now):%Y}" in page
    assert "The centre answered with the HTTP error 502." in page
    run_url = reverse("admin:resources_harvestrun_change", args=[failed.pk])
    assert run_url in page
    assert "oai:ge:long" in client.get(run_url).content.decode()
