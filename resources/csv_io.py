"""Records as CSV: export what a catalogue search shows, import a spreadsheet or another catalogue's export.

Columns go by name, multiple values are separated by `|`, occupations by their ESCO URI and groups
by their ISCO-08 code, so a file moves between centres unchanged. An import checks every row with
the record form first and writes nothing while any row is wrong.
"""

import csv
import io
import unicodedata
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from cite.models import Area
from cite.spreadsheets import csv_writer, untext_cell
from resources.forms import RecordForm
from resources.languages import LANGUAGE_CHOICES, normalize_language
from resources.models import IscoGroup, Occupation, Record
from resources.services import create_record, update_record

COLUMNS = [
    "uuid",
    "title",
    "description",
    "creator",
    "publisher",
    "date",
    "kind",
    "format",
    "language",
    "identifier",
    "source",
    "rights",
    "url",
    "themes",
    "keywords",
    "coverage",
    "audiences",
    "occupations",
    "isco_groups",
    "visibility",
    "source_centre",
    "origin_identifier",
]
EXPORT_ONLY = {"source_centre", "origin_identifier"}
COLUMN_OF_FIELD = {"areas": "themes"}  # the record form's field → the file's column
SEPARATOR = "|"


def _join(values):
    return f" {SEPARATOR} ".join(values)


def _split(value):
    return [item.strip() for item in (value or "").split(SEPARATOR) if item.strip()]


def export_queryset(queryset):
    return queryset.select_related("source_centre").prefetch_related(
        Prefetch("areas", queryset=Area.objects.only("id", "code")),
        Prefetch("occupations", queryset=Occupation.objects.only("id", "uri")),
        Prefetch("isco_groups", queryset=IscoGroup.objects.only("id", "code")),
    )


def export_rows(queryset):
    """The header, then one row per record, as lists of values (streamed in chunks)."""
    yield COLUMNS
    for record in export_queryset(queryset).iterator(chunk_size=500):
        values = {
            "uuid": record.uuid,
            "themes": _join(area.code for area in record.areas.all()),
            "keywords": _join(record.keywords),
            "audiences": _join(record.audiences),
            "occupations": _join(occupation.uri for occupation in record.occupations.all()),
            "isco_groups": _join(group.code for group in record.isco_groups.all()),
            "source_centre": record.source_centre.name if record.source_centre else "",
        }
        yield [values[name] if name in values else getattr(record, name) for name in COLUMNS]


class Echo:
    def write(self, value):
        return value


def export_csv_lines(queryset):
    """CSV text, line by line, for a streaming response (UTF-8 with a BOM so spreadsheets read accents);
    text that starts like a formula is written behind a quote (cite.spreadsheets)."""
    writer = csv_writer(Echo())
    yield "\ufeff"
    for row in export_rows(queryset):
        yield writer.writerow(row)


@dataclass
class CsvImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (line number, message)


def _read_rows(upload):
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # spreadsheets saved on Windows
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)


def import_records_csv(*, upload, created_by=None):
    """Create or update this centre's records from a CSV file; nothing is written if a row is wrong."""
    result = CsvImportResult()
    reader = _read_rows(upload)
    columns = {name.strip() for name in reader.fieldnames or []}
    if "title" not in columns:
        result.errors.append((1, _("The file has no “title” column.")))
        return result
    vocabularies = _vocabularies()
    planned = []
    rows = list(reader)
    uris = {uri for row in rows for uri in _split(row.get("occupations"))}
    codes = {code for row in rows for code in _split(row.get("isco_groups"))}
    occupations = dict(Occupation.objects.filter(uri__in=uris).values_list("uri", "pk"))
    groups = dict(IscoGroup.objects.filter(code__in=codes).values_list("code", "pk"))
    wanted_uuids = {row.get("uuid", "").strip() for row in rows if row.get("uuid")}
    existing = {str(record.uuid): record for record in Record.all_objects.filter(uuid__in=_valid_uuids(wanted_uuids))}

    for line, row in enumerate(rows, start=2):
        row = {(key or "").strip(): untext_cell(value) for key, value in row.items() if key}
        problems = []
        data = {name: row.get(name, "") for name in COLUMNS if name not in EXPORT_ONLY and name != "uuid"}
        data["kind"] = data["kind"] or Record.Kind.OTHER
        data["language"] = data["language"] or "fr"
        data["visibility"] = data["visibility"] or Record.Visibility.INTERNAL
        data["areas"] = _split(data.pop("themes"))
        data["audiences"] = _split(data["audiences"])
        data["keywords"] = ",".join(_split(data["keywords"]))
        said = set()
        for name, vocabulary in vocabularies.items():
            column = COLUMN_OF_FIELD.get(name, name)
            values = data[name] if isinstance(data[name], list) else [data[name]]
            codes = [vocabulary.code(value) for value in values]
            said |= {name} if None in codes else set()
            problems += [
                _("unknown value “%(value)s” in column “%(column)s”; allowed: %(allowed)s")
                % {"value": value, "column": column, "allowed": vocabulary.allowed()}
                for value, code in zip(values, codes, strict=True)
                if code is None
            ]
            codes = [code for code in codes if code is not None]
            data[name] = codes if isinstance(data[name], list) else (codes[0] if codes else "")
        data["occupations"], unknown = _lookup(_split(data["occupations"]), occupations)
        problems += [_("unknown occupation “%(value)s”") % {"value": value} for value in unknown]
        data["isco_groups"], unknown = _lookup(_split(data["isco_groups"]), groups)
        problems += [_("unknown ISCO-08 group “%(value)s”") % {"value": value} for value in unknown]

        record, record_uuid = None, row.get("uuid", "")
        if record_uuid:
            record = existing.get(record_uuid)
            if record_uuid not in _valid_uuids({record_uuid}):
                problems.append(_("“%(value)s” is not a valid uuid") % {"value": record_uuid})
            elif record is not None and (record.is_harvested or record.deleted_at):
                problems.append(_("record %(uuid)s cannot be changed here") % {"uuid": record_uuid})
        form = RecordForm(data=data, instance=record)
        if not form.is_valid():
            for name, messages in form.errors.items():
                if name in said:
                    continue  # already said, with the allowed values
                problems += [
                    _("%(column)s: %(message)s") % {"column": COLUMN_OF_FIELD.get(name, name), "message": message}
                    for message in messages
                ]
        if problems:
            result.errors += [(line, problem) for problem in problems]
        else:
            planned.append((record, record_uuid, form.cleaned_data))

    if result.errors:
        return result
    with transaction.atomic():
        for record, record_uuid, cleaned in planned:
            cleaned = {name: value for name, value in cleaned.items() if name not in ("new_files", "remove_files")}
            if record is not None:
                update_record(record=record, data=cleaned)
                result.updated += 1
            else:
                if record_uuid:
                    cleaned["uuid"] = uuid.UUID(record_uuid)
                create_record(data=cleaned, created_by=created_by)
                result.created += 1
    return result


class Vocabulary:
    """A coded column's values: each code, and its labels in every language of cite, read whatever the
    case or accents, as a spreadsheet typed by people in either language spells them."""

    def __init__(self, entries, fallback=None):
        self.entries, self.fallback = (
            entries,
            fallback,
        )  # (code, stored value, label in the current language, every label)
        self.known = {}
        for code, stored, _label, labels in entries:
            for name in (code, *labels):
                self.known.setdefault(_fold(name), stored)

    def code(self, value):
        """The stored value for what the file says, or None when it is none of the allowed values."""
        if (found := self.known.get(_fold(value))) is None and self.fallback:
            return self.known.get(self.fallback(value)) or None
        return found

    def allowed(self):
        return ", ".join(f"{code} = {label}" if str(label) != code else code for code, _s, label, _l in self.entries)


def _fold(value):
    """A label as compared: lower case, without accents or spaces around."""
    decomposed = unicodedata.normalize("NFKD", str(value).strip().casefold())
    # A keyboard's straight apostrophe for the labels' typographic one: “demandeurs d'emploi”.
    decomposed = decomposed.translate(APOSTROPHES)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def _labels(choices):
    """(code, stored value, label now, labels in every language of cite) of a model's choices."""
    labels = {value: set() for value, _label in choices}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices:
                # and the word before an explanation: “public” for “public (also visitors)”
                labels[value] |= {str(label), str(label).split(" (")[0]}
    return [(value, value, label, labels[value]) for value, label in choices]


def _vocabularies():
    """The coded columns, by the record form's field they fill."""
    areas = [(area.code, area.pk, area.name, {area.name_fr, area.name_en}) for area in Area.objects.active()]
    return {
        "kind": Vocabulary(_labels(Record.Kind.choices)),
        "language": Vocabulary(_labels(LANGUAGE_CHOICES), fallback=normalize_language),
        "visibility": Vocabulary(_labels(Record.Visibility.choices)),
        "audiences": Vocabulary(_labels(Record.Audience.choices)),
        "areas": Vocabulary(areas),
    }


def _lookup(values, known):
    found = [known[value] for value in values if value in known]
    return found, [value for value in values if value not in known]


def _valid_uuids(values):
    valid = set()
    for value in values:
        try:
            uuid.UUID(value)
        except ValueError:
            continue
        valid.add(value)
    return valid
