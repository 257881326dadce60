"""Importing the occupation reference from ESCO's CSV download (import_esco)."""

import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from resources.esco import EscoImportError, import_esco
from resources.models import IscoGroup, Occupation, OccupationLabel
from tests.resources.conftest import PLUMBER, SHARED, write_esco


@pytest.mark.django_db
def test_import_builds_the_four_levels_of_isco_with_their_parents_and_leading_zeros(esco_dir):
    result = import_esco(directory=esco_dir)

    assert result.languages == ["en", "fr"]
    assert IscoGroup.objects.count() == 12
    unit = IscoGroup.objects.get(code="0110")
    assert unit.level == IscoGroup.Level.UNIT
    assert [unit.parent.code, unit.parent.parent.code, unit.parent.parent.parent.code] == ["011", "01", "0"]
    assert unit.parent.parent.parent.parent is None


@pytest.mark.django_db
def test_occupations_keep_their_uri_group_and_labels_in_every_language(esco_dir):
    import_esco(directory=esco_dir)

    plumber = Occupation.objects.get(uri=PLUMBER)
    assert plumber.group.code == "7126"
    assert plumber.labels == {"en": "plumber", "fr": "plombier/plombière"}
    assert plumber.alt_labels["fr"] == ["plombier sanitaire", "plombière"]
    labels = set(OccupationLabel.objects.filter(occupation=plumber).values_list("language", "kind", "text"))
    assert ("fr", "alternative", "plombière") in labels
    assert ("en", "preferred", "plumber") in labels
    assert OccupationLabel.objects.get(occupation=plumber, text="plombière").normalized == "plombiere"


@pytest.mark.django_db
def test_labels_show_in_the_interface_language_falling_back_to_english(esco_dir, tmp_path):
    import_esco(directory=esco_dir)
    plumber = Occupation.objects.get(uri=PLUMBER)
    with translation.override("fr"):
        assert plumber.label == "plombier/plombière"
    with translation.override("en"):
        assert plumber.label == "plumber"
    with translation.override("de"):
        assert plumber.label == "plumber"
    assert IscoGroup.objects.get(code="7126").descriptions == {"en": "About Plumbers and pipe fitters."}


@pytest.mark.django_db
def test_importing_twice_changes_nothing(esco_dir):
    import_esco(directory=esco_dir)
    before = (IscoGroup.objects.count(), Occupation.objects.count(), OccupationLabel.objects.count())
    ids = dict(Occupation.objects.values_list("uri", "pk"))

    import_esco(directory=esco_dir)

    assert (IscoGroup.objects.count(), Occupation.objects.count(), OccupationLabel.objects.count()) == before
    assert dict(Occupation.objects.values_list("uri", "pk")) == ids


@pytest.mark.django_db
def test_a_language_imported_later_is_merged_with_the_others(tmp_path):
    import_esco(directory=write_esco(tmp_path / "en", languages=["en"]))
    import_esco(directory=write_esco(tmp_path / "fr", languages=["fr"]))

    plumber = Occupation.objects.get(uri=PLUMBER)
    assert set(plumber.labels) == {"en", "fr"}
    assert OccupationLabel.objects.filter(occupation=plumber, language="en").exists()


@pytest.mark.django_db
def test_files_without_the_extra_columns_of_a_full_download_import_too(tmp_path):
    import_esco(directory=write_esco(tmp_path / "esco", extra_columns=False))
    assert Occupation.objects.count() == 3


@pytest.mark.django_db
def test_a_file_missing_a_required_column_is_refused_with_its_name(tmp_path):
    folder = tmp_path / "esco"
    folder.mkdir()
    (folder / "ISCOGroups_en.csv").write_text("conceptUri,preferredLabel\nhttp://x,Y\n", encoding="utf-8")
    with pytest.raises(EscoImportError, match=r"ISCOGroups_en\.csv.* code"):
        import_esco(directory=folder)
    assert IscoGroup.objects.count() == 0


@pytest.mark.django_db
def test_the_command_reports_a_folder_without_esco_files(tmp_path):
    with pytest.raises(CommandError, match="ISCOGroups_"):
        call_command("import_esco", str(tmp_path), verbosity=0)


@pytest.mark.django_db
def test_the_command_imports_and_says_how_much(esco_dir, capsys):
    call_command("import_esco", str(esco_dir))
    out = capsys.readouterr().out
    assert "Imported 12 ISCO-08 groups, 3 occupations" in out


@pytest.mark.slow  # ESCO's 3,000 occupations in three languages, imported twice
@pytest.mark.django_db
def test_the_real_esco_download_imports_in_seconds():
    folder = SHARED / "data" / "esco"
    if not (folder / "occupations_en.csv").exists():
        pytest.skip(f"ESCO's files are not in {folder} (they stay out of the repository).")
    started = time.perf_counter()
    result = import_esco(directory=folder)
    elapsed = time.perf_counter() - started

    assert result.languages == ["en", "es", "fr"]
    assert IscoGroup.objects.count() == 619
    assert [IscoGroup.objects.filter(level=level).count() for level in (1, 2, 3, 4)] == [10, 43, 130, 436]
    assert Occupation.objects.count() == 2942
    assert not Occupation.objects.filter(group__level__lt=4).exists()
    assert result.skipped == []
    assert elapsed < 60, f"import took {elapsed:.1f} s"
    # Idempotent on the real data too.
    import_esco(directory=folder)
    assert Occupation.objects.count() == 2942
