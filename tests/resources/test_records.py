"""Records: creating, editing and deleting them (tombstones), harvested ones read-only, the pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from resources.models import Record
from resources.services import HarvestedRecordIsReadOnly, delete_record, update_record
from tests.resources.conftest import make_record


@pytest.mark.django_db
def test_a_new_record_gets_a_datestamp_a_search_vector_and_its_isco_codes_at_every_level(reference):
    record = make_record(title="Devenir plombier", occupations=[reference["plumber"]], isco_groups=[reference["2423"]])
    record.refresh_from_db()
    assert record.datestamp is not None
    assert record.search_vector
    assert record.isco_codes == ["2", "24", "242", "2423", "7", "71", "712", "7126"]
    assert record.was_published  # created public


@pytest.mark.django_db
def test_the_date_follows_dublin_cores_w3cdtf():
    for value in ("2024", "2024-05", "2024-05-17"):
        make_record(date=value)
    with pytest.raises(ValidationError) as error:
        make_record(date="17/05/2024")
    assert "date" in error.value.message_dict


@pytest.mark.django_db
def test_deleting_a_record_never_shared_removes_it():
    record = make_record(visibility="internal")
    delete_record(record=record)
    assert not Record.all_objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_deleting_a_shared_record_leaves_a_tombstone_with_a_new_datestamp():
    record = make_record(visibility="network")
    before = record.datestamp
    delete_record(record=record)

    tombstone = Record.all_objects.get(pk=record.pk)
    assert tombstone.deleted_at is not None
    assert tombstone.datestamp > before
    assert not Record.objects.filter(pk=record.pk).exists()  # gone from every page


@pytest.mark.django_db
def test_a_record_made_internal_again_stays_known_as_published():
    record = make_record(visibility="public")
    record = update_record(record=record, data={"visibility": "internal"})
    assert record.was_published


@pytest.mark.django_db
def test_harvested_records_cannot_be_changed_or_deleted_here(sister):
    record = Record.objects.create(title="Fiche", source_centre=sister, origin_identifier="oai:x:1")
    with pytest.raises(HarvestedRecordIsReadOnly):
        update_record(record=record, data={"title": "Autre"})
    with pytest.raises(HarvestedRecordIsReadOnly):
        delete_record(record=record)
    record.refresh_from_db()
    assert record.title == "Fiche"


@pytest.mark.django_db
def test_back_office_adds_a_record_with_themes_audiences_and_occupations(client, back_office, areas, reference):
    client.force_login(back_office)
    response = client.post(
        reverse("resources:record-create"),
        {
            "title": "Fiche métier : plombier",
            "description": "Tout sur le métier.",
            "kind": "occupation-sheet",
            "language": "fr",
            "date": "2024-05",
            "areas": [areas["choose-path"].pk],
            "audiences": ["young-people", "job-seekers"],
            "keywords": "bâtiment, apprentissage",
            "occupations": [reference["plumber"].pk],
            "visibility": "public",
        },
    )
    record = Record.objects.get(title="Fiche métier : plombier")
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert record.created_by == back_office
    assert record.keywords == ["bâtiment", "apprentissage"]
    assert record.audiences == ["young-people", "job-seekers"]
    assert list(record.occupations.all()) == [reference["plumber"]]
    assert "7126" in record.isco_codes
    page = client.get(response["Location"]).content.decode()
    assert "Fiche métier : plombier" in page and "plombier/plombière" in page


@pytest.mark.django_db
def test_bad_input_is_explained_beside_the_field_and_what_was_typed_is_kept(client, back_office):
    client.force_login(back_office)
    response = client.post(
        reverse("resources:record-create"),
        {"title": "Mon guide", "kind": "guide", "language": "fr", "date": "mai 2024", "visibility": "public"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a year (2024)" in page or "Saisissez une année" in page
    assert 'value="Mon guide"' in page
    assert not Record.objects.exists()


@pytest.mark.django_db
def test_editing_a_record_saves_it_and_changes_its_datestamp(client, back_office):
    record = make_record(title="Ancien titre")
    before = record.datestamp
    client.force_login(back_office)
    response = client.post(
        reverse("resources:record-edit", kwargs={"uuid": record.uuid}),
        {"title": "Nouveau titre", "kind": "guide", "language": "fr", "visibility": "network"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "Nouveau titre"
    assert record.visibility == "network"
    assert record.datestamp > before


@pytest.mark.django_db
def test_a_harvested_record_has_no_edit_form(client, back_office, sister):
    record = Record.objects.create(title="Fiche", source_centre=sister, origin_identifier="oai:x:1")
    client.force_login(back_office)
    response = client.get(reverse("resources:record-edit", kwargs={"uuid": record.uuid}), follow=True)
    assert "harvested from a sister centre" in response.content.decode() or "moissonn" in response.content.decode()
    page = client.get(record.get_absolute_url()).content.decode()
    assert reverse("resources:record-edit", kwargs={"uuid": record.uuid}) not in page
    assert "oai:x:1" in page  # provenance


@pytest.mark.django_db
def test_deleting_from_the_page_asks_first_then_deletes(client, back_office):
    record = make_record(visibility="internal")
    client.force_login(back_office)
    url = reverse("resources:record-delete", kwargs={"uuid": record.uuid})
    assert client.get(url).status_code == 200
    assert Record.objects.filter(pk=record.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Record.all_objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_a_deleted_record_page_is_gone(client, counsellor):
    record = make_record(visibility="public")
    delete_record(record=record)
    client.force_login(counsellor)
    assert client.get(record.get_absolute_url()).status_code == 404
