"""Fixtures of the library's tests: a small ESCO download written by the tests, areas, records."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from cite.models import Centre
from resources.esco import import_esco
from resources.models import IscoGroup, Occupation, Record
from resources.services import create_record
from tests.factories import make_areas

SHARED = Path(settings.BASE_DIR).parent / "shared"
OCCUPATION = "http://data.europa.eu/esco/occupation/"
ISCO = "http://data.europa.eu/esco/isco/C"
PLUMBER = OCCUPATION + "ed3cf43d-c2c1-4c46-82fc-1375e27e0290"
ADVISER = OCCUPATION + "5d0cc30d-068a-424c-8463-f42872a7149e"
CONSULTANT = OCCUPATION + "e4112a88-973f-4c7a-97f5-2241e6b6833f"

# (code, English, French): a slice of ISCO-08, with its leading-zero codes.
GROUPS = [
    ("0", "Armed forces occupations", "Professions militaires"),
    ("01", "Commissioned armed forces officers", "Officiers des forces armées"),
    ("011", "Commissioned armed forces officers", "Officiers des forces armées"),
    ("0110", "Commissioned armed forces officers", "Officiers des forces armées"),
    ("2", "Professionals", "Professions intellectuelles et scientifiques"),
    ("24", "Business and administration professionals", "Spécialistes en administration d’entreprises"),
    ("242", "Administration professionals", "Spécialistes des fonctions administratives"),
    ("2423", "Personnel and careers professionals", "Spécialistes, ressources humaines et évolution de carrière"),
    ("7", "Craft and related trades workers", "Métiers qualifiés de l’industrie et de l’artisanat"),
    ("71", "Building and related trades workers", "Métiers qualifiés du bâtiment"),
    ("712", "Building finishers and related trades workers", "Métiers qualifiés du bâtiment (finitions)"),
    ("7126", "Plumbers and pipe fitters", "Plombiers et tuyauteurs"),
]
# (URI, unit group, English, French, English alternatives, French alternatives)
OCCUPATIONS = [
    (
        PLUMBER,
        "7126",
        "plumber",
        "plombier/plombière",
        ["gas fitter", "pipe worker"],
        ["plombier sanitaire", "plombière"],
    ),
    (
        ADVISER,
        "2423",
        "career guidance advisor",
        "conseiller d'orientation/conseillère d'orientation",
        ["careers officer"],
        ["conseillère d'orientation professionnelle"],
    ),
    (
        CONSULTANT,
        "2423",
        "employment and vocational integration consultant",
        "chargé de bilan de compétence/chargée de bilan de compétence",
        ["job placement adviser"],
        ["conseiller en insertion professionnelle", "conseillère en insertion professionnelle"],
    ),
]


def write_esco(folder, languages=("en", "fr"), extra_columns=True):
    """ESCO's CSV download format, with some of the extra columns a full download has."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    extra = ["status", "modifiedDate"] if extra_columns else []
    for language in languages:
        column = 1 if language == "en" else 2
        with open(folder / f"ISCOGroups_{language}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", *extra, "description"])
            for row in GROUPS:
                description = f"About {row[1]}." if language == "en" else ""
                writer.writerow(["ISCOGroup", ISCO + row[0], row[0], row[column], "", *["x"] * len(extra), description])
        with open(folder / f"occupations_{language}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["conceptType", "conceptUri", "iscoGroup", *extra, "preferredLabel", "altLabels", "description"]
            )
            for uri, code, english, french, alt_en, alt_fr in OCCUPATIONS:
                label, alternatives = (english, alt_en) if language == "en" else (french, alt_fr)
                writer.writerow(["Occupation", uri, code, *["x"] * len(extra), label, "\n".join(alternatives), ""])
    return folder


@pytest.fixture
def esco_dir(tmp_path):
    return write_esco(tmp_path / "esco")


@pytest.fixture
def reference(db, esco_dir):
    import_esco(directory=esco_dir)
    return {
        "plumber": Occupation.objects.get(uri=PLUMBER),
        "adviser": Occupation.objects.get(uri=ADVISER),
        "consultant": Occupation.objects.get(uri=CONSULTANT),
        "2423": IscoGroup.objects.get(code="2423"),
        "7": IscoGroup.objects.get(code="7"),
    }


@pytest.fixture
def areas(db):
    return make_areas("find-job", "choose-path")


@pytest.fixture
def sister(db):
    return Centre.objects.create(
        name="Cité des métiers de Genève", country="CH", city="Genève", oai_base_url="http://127.0.0.1:9/oai"
    )


def make_record(**fields):
    """A record of this centre, through the service (so its search index is built)."""
    data = {"title": "Un document", "kind": Record.Kind.GUIDE, "language": "fr", "visibility": "public"} | fields
    return create_record(data=data)


@pytest.fixture
def oai_schema():
    folder = SHARED / "oai-pmh"
    if not (folder / "combined.xsd").exists():
        pytest.skip(f"The OAI-PMH schemas are not in {folder} (CI has them).")
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(folder / "combined.xsd")))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
