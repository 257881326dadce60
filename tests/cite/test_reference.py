"""The reference data every part of the centre shares: areas and centres of the network."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from cite.models import Area, Centre


def make_area(**fields):
    values = {"code": "find-job", "letter": "C", "name_fr": "Trouver un emploi", "name_en": "Find a job"} | fields
    return Area.objects.create(**values)


@pytest.mark.django_db
def test_an_area_is_named_in_the_language_of_the_page():
    area = make_area()
    with translation.override("fr"):
        assert str(area) == "Trouver un emploi"
    with translation.override("en"):
        assert str(area) == "Find a job"


@pytest.mark.django_db
def test_two_areas_cannot_share_a_ticket_letter():
    make_area()
    with pytest.raises(IntegrityError):
        make_area(code="other")


@pytest.mark.django_db
@pytest.mark.parametrize("letter", ["c", "1", "É"])
def test_a_ticket_letter_is_one_capital_letter(letter):
    with pytest.raises(ValidationError):
        Area(code="x", letter=letter, name_fr="x", name_en="x").full_clean()


@pytest.mark.django_db
def test_a_centre_country_is_stored_as_an_iso_code():
    centre = Centre.objects.create(name="Cité des métiers de Genève", country="ch")
    assert centre.country == "CH"
    with pytest.raises(IntegrityError):
        Centre.objects.filter(pk=centre.pk).update(country="ch")  # bypasses save()


@pytest.mark.slow  # the whole demo, twice
@pytest.mark.django_db
def test_demo_is_idempotent(monkeypatch, tmp_path):
    from django.core.management import call_command

    monkeypatch.setattr("resources.demo.ESCO_DIR", tmp_path / "no-esco")  # the demo's small reference will do
    call_command("demo", verbosity=0)
    counts = (Area.objects.count(), Centre.objects.count())
    call_command("demo", verbosity=0)
    assert (Area.objects.count(), Centre.objects.count()) == counts == (6, 6)
