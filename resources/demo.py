"""The demo library: the ESCO reference (the shared files when present, else a small set) and about forty
records in French and English, in the three visibilities, a few harvested from sister centres."""

import csv
import io
import json
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from cite.models import Area, Centre
from resources.esco import import_esco
from resources.harvest import Harvested, take_record
from resources.models import IscoGroup, Occupation, Record
from resources.services import create_record

NAMESPACE = uuid.UUID("6f1c1f0e-2b7a-4f0e-9d3c-8a1e5c0b7d21")
ESCO_DIR = Path(settings.BASE_DIR).parent / "shared" / "data" / "esco"
OCCUPATION = "http://data.europa.eu/esco/occupation/"

# The demo's reference, records and sister centres' records: data, not code.
DATA_FILE = Path(__file__).with_name("demo_library.json")


def library():
    """The demo's data file: `isco_groups`, `occupations`, `records` and `sister_records`."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def occupation_uris():
    """English label of each demo occupation (how the records name them) → its ESCO URI."""
    return {row["labels"]["en"]: OCCUPATION + row["esco"] for row in library()["occupations"]}


def build():
    """Idempotent: the reference is imported by URI, records are created once (fixed identifiers)."""
    if ESCO_DIR.is_dir():
        import_esco(directory=ESCO_DIR)
    elif not Occupation.objects.exists():
        import_esco(directory=_write_demo_reference())
    create_records()
    create_sister_records()


def _write_demo_reference():
    folder = Path(tempfile.mkdtemp(prefix="cite-esco-demo-"))
    data = library()
    for language in ("en", "fr"):
        with open(folder / f"ISCOGroups_{language}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "description"])
            for group in data["isco_groups"]:
                code = group["code"]
                writer.writerow(
                    ["ISCOGroup", f"http://data.europa.eu/esco/isco/C{code}", code, group["labels"][language], "", ""]
                )
        with open(folder / f"occupations_{language}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"])
            for row in data["occupations"]:
                writer.writerow(
                    [
                        "Occupation",
                        OCCUPATION + row["esco"],
                        row["isco"],
                        row["labels"][language],
                        "\n".join(row["alt_labels"][language]),
                        "",
                    ]
                )
    return folder


KIND_COLOURS = {
    "occupation-sheet": "#1d4f73",
    "guide": "#1e6b3a",
    "video": "#a2261e",
    "method": "#6a3d9a",
    "website": "#0b6b73",
}


def _cover(title, kind, *, pdf=False):
    """A simple cover: the kind's colour and the title, as a PNG (or as a one-page PDF)."""
    image = Image.new("RGB", (600, 820), KIND_COLOURS.get(kind, "#8a4b08"))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 560, 780), outline="white", width=6)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 44)
    except OSError:
        font = ImageFont.load_default(size=44)
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > 460 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = 140
    for text in lines[:9]:
        draw.text((70, y), text, fill="white", font=font)
        y += 60
    output = io.BytesIO()
    image.save(output, "PDF" if pdf else "PNG")
    return output.getvalue()


@transaction.atomic
def create_records():
    areas = {area.code: area for area in Area.objects.all()}
    occupations = {occupation.uri: occupation for occupation in Occupation.objects.all()}
    groups = {group.code: group for group in IscoGroup.objects.all()}
    uris = occupation_uris()
    for item in library()["records"]:
        fields = dict(item)
        key, area_codes, labels, group_codes = (
            fields.pop(name) for name in ("key", "areas", "occupations", "isco_groups")
        )
        record_uuid = uuid.uuid5(NAMESPACE, key)
        if Record.all_objects.filter(uuid=record_uuid).exists():
            continue
        cover, pdf = fields.pop("cover", False), fields.pop("pdf", False)
        files = []
        if cover:
            data = _cover(fields["title"], fields["kind"], pdf=pdf)
            name = f"{key}.pdf" if pdf else f"{key}.png"
            files.append(SimpleUploadedFile(name, data, "application/pdf" if pdf else "image/png"))
        create_record(
            data={
                "uuid": record_uuid,
                **fields,
                "areas": [areas[code] for code in area_codes if code in areas],
                "occupations": [occupations[uris[label]] for label in labels if uris[label] in occupations],
                "isco_groups": [groups[code] for code in group_codes if code in groups],
            },
            files=files,
        )


def create_sister_records():
    """Records as the harvester would have taken them in from the sister centres' providers."""
    areas = dict(Area.objects.values_list("code", "pk"))
    lookups = {
        "areas": areas,
        "occupations": dict(Occupation.objects.values_list("uri", "pk")),
        "groups": dict(IscoGroup.objects.values_list("uri", "pk")),
    }
    uris = occupation_uris()
    for item in library()["sister_records"]:
        centre_name, key, kind, visibility = item["centre"], item["key"], item["kind"], item["visibility"]
        centre = Centre.objects.filter(name=centre_name).first()
        if centre is None:
            continue
        host = centre.oai_base_url.split("/")[2] if centre.oai_base_url else "example.org"
        harvested = Harvested(
            identifier=f"oai:{host}:{uuid.uuid5(NAMESPACE, key)}",
            datestamp="2025-01-15T10:00:00Z",
            deleted=False,
            set_specs=[f"kind:{kind}", f"visibility:{visibility}"]
            + [f"theme:{code}" for code in item["areas"]]
            + [f"audience:{audience}" for audience in item["audiences"]],
            dc={
                "title": [item["title"]],
                "description": [item["description"]],
                "language": [item["language"]],
                "publisher": [centre_name],
                "subject": [uris[label] for label in item["occupations"]],
                "identifier": [f"{centre.website or 'https://example.org/'}ressources/{key}"],
            },
        )
        take_record(centre=centre, harvested=harvested, lookups=lookups)
