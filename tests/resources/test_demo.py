"""The demo library builds once and can be built again without duplicates."""

import pytest
from django.core.management import call_command

from resources.models import Occupation, Record


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
