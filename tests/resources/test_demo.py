"""The demo library builds once and can be built again without duplicates."""

import uuid

import pytest
from django.core.management import call_command

from resources.models import IscoGroup, Occupation, Record


@pytest.mark.slow  # the whole demo, twice
@pytest.mark.django_db
def test_the_demo_library_is_idempotent_and_believable(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    # The demo's small reference, not ESCO's 3,000 occupations in three languages (seconds per import);
    # importing the real download, twice, is tests/resources/test_esco_import.py's job.
    monkeypatch.setattr("resources.demo.ESCO_DIR", tmp_path / "no-esco")
    call_command("demo", verbosity=0)
    counts = (Record.all_objects.count(), Occupation.objects.count())
    call_command("demo", verbosity=0)
    assert (Record.all_objects.count(), Occupation.objects.count()) == counts
    assert Record.objects.count() >= 40
    assert set(Record.objects.values_list("visibility", flat=True)) == {"internal", "network", "public"}
    assert Record.objects.filter(source_centre__isnull=False).exists()
    assert Record.objects.exclude(thumbnail="").exists()
    assert Record.objects.filter(occupations__isnull=False).exists()


@pytest.mark.django_db
def test_every_record_of_the_data_file_is_built_with_its_themes_occupations_and_groups(tmp_path, monkeypatch):
    from cite.demo import create_areas, create_centres
    from resources import demo

    monkeypatch.setattr(demo, "ESCO_DIR", tmp_path / "no-esco")  # the file's own small reference
    create_areas()
    create_centres()
    demo.build()

    data = demo.library()
    assert IscoGroup.objects.count() == len(data["isco_groups"])
    assert Occupation.objects.count() == len(data["occupations"])
    for item in data["records"]:
        record = Record.all_objects.get(uuid=uuid.uuid5(demo.NAMESPACE, item["key"]))
        assert (record.title, record.kind, record.language, record.visibility) == (
            item["title"],
            item["kind"],
            item["language"],
            item["visibility"],
        )
        assert sorted(record.areas.values_list("code", flat=True)) == sorted(item["areas"])
        assert sorted(o.labels["en"] for o in record.occupations.all()) == sorted(item["occupations"])
        assert sorted(record.isco_groups.values_list("code", flat=True)) == sorted(item["isco_groups"])
        assert record.files.exists() == item.get("cover", False)
    harvested = Record.all_objects.filter(source_centre__isnull=False)
    assert sorted(harvested.values_list("source_centre__name", "title")) == sorted(
        (item["centre"], item["title"]) for item in data["sister_records"]
    )
