"""Records as CSV: export what a search shows, import a spreadsheet (all rows checked first)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from resources.csv_io import import_records_csv
from resources.languages import LANGUAGE_CHOICES
from resources.models import Record
from tests.resources.conftest import PLUMBER, make_record

pytestmark = pytest.mark.django_db


def csv_file(rows, delimiter=","):
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("records.csv", output.getvalue().encode("utf-8"), "text/csv")


def exported(client, **query):
    response = client.get(reverse("resources:record-export"), query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_follows_the_search_and_names_occupations_by_their_esco_uri(client, counsellor, areas, reference):
    make_record(
        title="Fiche plombier", areas=[areas["find-job"]], occupations=[reference["plumber"]], keywords=["a", "b"]
    )
    make_record(title="Autre chose", kind="video")
    client.force_login(counsellor)

    rows = exported(client, kind="guide")
    assert [row["title"] for row in rows] == ["Fiche plombier"]
    assert rows[0]["occupations"] == PLUMBER
    assert rows[0]["themes"] == "find-job"
    assert rows[0]["keywords"] == "a | b"
    assert len(exported(client)) == 2


def test_cells_that_look_like_formulas_are_neutralised(client, counsellor):
    make_record(title='=HYPERLINK("http://evil")')
    client.force_login(counsellor)
    assert exported(client)[0]["title"].startswith("'=")


def test_an_export_imports_back_into_another_catalogue_unchanged(client, counsellor, areas, reference):
    original = make_record(
        title="Fiche plombier",
        description="Tout.",
        areas=[areas["find-job"]],
        occupations=[reference["plumber"]],
        isco_groups=[reference["2423"]],
        audiences=["young-people"],
        keywords=["bâtiment"],
        date="2024-05",
        visibility="network",
    )
    client.force_login(counsellor)
    rows = exported(client)
    Record.all_objects.all().delete()

    result = import_records_csv(upload=csv_file(rows))
    assert (result.created, result.errors) == (1, [])
    record = Record.objects.get()
    assert record.uuid == original.uuid  # permalinks survive the move
    assert (record.title, record.date, record.visibility) == ("Fiche plombier", "2024-05", "network")
    assert list(record.occupations.all()) == [reference["plumber"]]
    assert list(record.isco_groups.all()) == [reference["2423"]]
    assert list(record.areas.all()) == [areas["find-job"]]
    assert (record.keywords, record.audiences) == (["bâtiment"], ["young-people"])


def test_importing_a_row_with_the_uuid_of_one_of_our_records_updates_it():
    record = make_record(title="Ancien")
    result = import_records_csv(upload=csv_file([{"uuid": str(record.uuid), "title": "Nouveau", "kind": "guide"}]))
    assert (result.created, result.updated) == (0, 1)
    record.refresh_from_db()
    assert record.title == "Nouveau"


def test_a_spreadsheet_with_semicolons_and_labels_imports():
    result = import_records_csv(
        upload=csv_file(
            [
                {
                    "title": "Guide CV",
                    "kind": "guide",
                    "audiences": f"{Record.Audience.JOB_SEEKERS.label} | young-people",  # a label, as typed
                    "language": "FR",
                }
            ],
            delimiter=";",
        )
    )
    assert result.errors == []
    assert Record.objects.get().audiences == ["job-seekers", "young-people"]


def test_one_wrong_row_imports_nothing_and_says_which_line(client, back_office, areas):
    rows = [
        {"title": "Bon", "kind": "guide", "themes": "find-job", "date": "2024"},
        {"title": "", "kind": "guide", "themes": "nowhere", "date": "hier"},
    ]
    client.force_login(back_office)
    response = client.post(reverse("resources:record-import"), {"file": csv_file(rows)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "nowhere" in page
    assert ">3</td>" in page  # the spreadsheet's line of the wrong row
    assert not Record.objects.exists()


def test_the_import_page_imports_and_goes_back_to_the_library(client, back_office):
    client.force_login(back_office)
    response = client.post(reverse("resources:record-import"), {"file": csv_file([{"title": "Bon", "kind": "guide"}])})
    assert response.status_code == 302
    assert Record.objects.get().created_by == back_office


def test_a_file_that_is_not_csv_is_refused(client, back_office):
    client.force_login(back_office)
    response = client.post(
        reverse("resources:record-import"),
        {"file": SimpleUploadedFile("records.xlsx", b"PK\x03\x04", "application/zip")},
    )
    assert response.status_code == 200
    assert "csv" in response.content.decode().lower()
    assert not Record.objects.exists()


def test_an_impossible_day_is_refused_with_its_line_and_nothing_is_imported():
    result = import_records_csv(
        upload=csv_file([{"title": "Bon", "date": "2024-02-29"}, {"title": "Faux", "date": "2024-02-30"}])
    )
    assert [line for line, _message in result.errors] == [3]
    assert "2024-02-30" in result.errors[0][1]
    assert not Record.objects.exists()


def test_the_record_form_refuses_an_impossible_day_too(client, back_office):
    client.force_login(back_office)
    response = client.post(
        reverse("resources:record-create"),
        {"title": "Faux", "kind": "guide", "language": "fr", "date": "2023-02-29", "visibility": "internal"},
    )
    assert response.status_code == 200
    assert "2023-02-29" in response.content.decode()
    assert not Record.objects.exists()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_coded_column_takes_its_labels_in_either_language(areas, language):
    area = areas["find-job"]
    with translation.override(language):
        row = {
            "title": "Guide CV",
            "kind": str(Record.Kind.OCCUPATION_SHEET.label).upper(),
            "language": str(dict(LANGUAGE_CHOICES)["en"]),
            "themes": area.name_fr if language == "fr" else area.name_en,
            "audiences": str(Record.Audience.JOB_SEEKERS.label),
            "visibility": str(Record.Visibility.PUBLIC.label),
        }
    result = import_records_csv(upload=csv_file([row]))
    assert result.errors == []
    record = Record.objects.get()
    assert (record.kind, record.language, record.visibility) == ("occupation-sheet", "en", "public")
    assert (record.audiences, list(record.areas.all())) == (["job-seekers"], [area])


def test_french_labels_without_accents_and_short_visibility_words_are_read():
    result = import_records_csv(
        upload=csv_file(
            [
                {
                    "title": "Guide",
                    "kind": "fiche metier",
                    "language": "Français",
                    "visibility": "réseau",
                    "audiences": "Demandeurs d'emploi",  # the keyboard's apostrophe, not the label's ’
                }
            ]
        )
    )
    assert result.errors == []
    record = Record.objects.get()
    assert (record.kind, record.language, record.visibility) == ("occupation-sheet", "fr", "network")
    assert record.audiences == ["job-seekers"]


def test_each_unknown_value_names_its_column_and_lists_the_allowed_values(areas):
    row = {
        "title": "Guide",
        "kind": "brochure",
        "language": "klingon",
        "themes": "nowhere",
        "audiences": "retirees",
        "visibility": "secret",
    }
    with translation.override("en"):
        result = import_records_csv(upload=csv_file([row]))
    messages = {message.split("”")[0]: message for _line, message in result.errors}
    assert len(result.errors) == 5, result.errors
    assert {line for line, _message in result.errors} == {2}
    assert (
        "column “kind”" in messages["unknown value “brochure"]
        and "occupation-sheet = occupation sheet" in messages["unknown value “brochure"]
    )
    assert "fr = French" in messages["unknown value “klingon"]
    assert "allowed: find-job = Find a job, choose-path = " in messages["unknown value “nowhere"]
    assert "job-seekers = job seekers" in messages["unknown value “retirees"]
    assert "public = public (also visitors)" in messages["unknown value “secret"]
    assert not Record.objects.exists()


def test_allowed_values_are_listed_in_the_language_of_the_person_importing(client, back_office):
    client.force_login(back_office)
    response = client.post(
        reverse("resources:record-import"),
        {"file": csv_file([{"title": "Guide", "kind": "brochure"}])},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    page = response.content.decode()
    assert "brochure" in page
    assert "occupation-sheet = fiche métier" in page


def test_an_old_publication_date_is_still_a_date():
    result = import_records_csv(upload=csv_file([{"title": "Guide de 1972", "date": "1972-02-29"}]))
    assert result.errors == []
    assert Record.objects.get().date == "1972-02-29"
