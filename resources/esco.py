"""Importing the occupation reference from ESCO's CSV download (ISCOGroups_<lang>.csv, occupations_<lang>.csv).

Columns are read by name, so the extra columns of a full download are ignored; every language
present is imported and merged with those already there; concepts are matched by their URI, so
importing twice changes nothing. Everything is written in bulk, in one transaction.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from resources.models import IscoGroup, Occupation, OccupationLabel, Record
from resources.services import ResourcesError, refresh_search_index
from resources.text import normalize

FILE_NAME = re.compile(r"^(ISCOGroups|occupations)_([a-z]{2,3}(?:-[a-z]{2})?)\.csv$", re.IGNORECASE)
REQUIRED = {
    "ISCOGroups": {"conceptUri", "code", "preferredLabel"},
    "occupations": {"conceptUri", "iscoGroup", "preferredLabel"},
}
CONCEPT_TYPE = {"ISCOGroups": "ISCOGroup", "occupations": "Occupation"}
BATCH = 5000


class EscoImportError(ResourcesError):
    message = _("These files cannot be imported.")


@dataclass
class ParsedConcept:
    key: str  # the ISCO code for groups, the unit group's code for occupations
    labels: dict = field(default_factory=dict)
    alt_labels: dict = field(default_factory=dict)
    hidden_labels: dict = field(default_factory=dict)
    descriptions: dict = field(default_factory=dict)


@dataclass
class EscoImportResult:
    languages: list
    groups: int
    occupations: int
    labels: int
    skipped: list  # (uri, reason) of rows that could not be imported


def esco_files(directory):
    """{(kind, language): path} of the ESCO files in `directory`."""
    found = {}
    for path in sorted(Path(directory).iterdir()):
        if match := FILE_NAME.match(path.name):
            kind = "ISCOGroups" if match[1].lower() == "iscogroups" else "occupations"
            found[(kind, match[2].lower())] = path
    return found


def _split_labels(value):
    seen = []
    for line in (value or "").splitlines():
        line = line.strip()
        if line and line not in seen:
            seen.append(line)
    return seen


def _read(path, kind, language, concepts, on_row):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED[kind] - set(reader.fieldnames or [])
        if missing:
            raise EscoImportError(
                _("%(file)s lacks the column(s) %(columns)s.")
                % {"file": path.name, "columns": ", ".join(sorted(missing))}
            )
        for row in reader:
            on_row()
            if row.get("conceptType") and row["conceptType"] != CONCEPT_TYPE[kind]:
                continue
            uri = (row.get("conceptUri") or "").strip()
            label = (row.get("preferredLabel") or "").strip()
            key = (row.get("code") if kind == "ISCOGroups" else row.get("iscoGroup")) or ""
            if not uri or not label:
                continue
            concept = concepts.setdefault(uri, ParsedConcept(key=key.strip()))
            concept.key = concept.key or key.strip()
            concept.labels[language] = label
            if alt := _split_labels(row.get("altLabels")):
                concept.alt_labels[language] = alt
            if hidden := _split_labels(row.get("hiddenLabels")):
                concept.hidden_labels[language] = hidden
            if description := (row.get("description") or "").strip():
                concept.descriptions[language] = description


def _count_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return sum(1 for _row in csv.DictReader(handle))


def import_esco(*, directory, on_progress=None):
    """Import every ESCO file of `directory`; `on_progress(done, total)` follows the rows read."""
    directory = Path(directory)
    if not directory.is_dir():
        raise EscoImportError(_("%(directory)s is not a folder.") % {"directory": directory})
    files = esco_files(directory)
    if not any(kind == "ISCOGroups" for kind, _language in files):
        raise EscoImportError(
            _("No ISCOGroups_<language>.csv file in %(directory)s: download ESCO's CSV files and try again.")
            % {"directory": directory}
        )
    total = sum(_count_rows(path) for path in files.values())
    done = 0

    def on_row():
        nonlocal done
        done += 1
        if on_progress and (done % 500 == 0 or done == total):
            on_progress(done, total)

    groups, occupations = {}, {}
    for (kind, language), path in files.items():
        _read(path, kind, language, groups if kind == "ISCOGroups" else occupations, on_row)
    languages = sorted({language for _kind, language in files})
    with transaction.atomic():
        result = _store(groups, occupations, languages)
    if on_progress:
        on_progress(total, total)
    return result


def _merge(existing, parsed):
    merged = dict(existing or {})
    merged.update(parsed)
    return merged


def _store(groups, occupations, languages):
    skipped = []
    bad_codes = [uri for uri, concept in groups.items() if not re.fullmatch(r"[0-9]{1,4}", concept.key)]
    for uri in bad_codes:
        skipped.append((uri, "invalid ISCO code"))
        del groups[uri]

    # Groups: upsert by URI, keeping the languages imported before.
    existing = {
        uri: (labels, alt, descriptions)
        for uri, labels, alt, descriptions in IscoGroup.objects.filter(uri__in=groups).values_list(
            "uri", "labels", "alt_labels", "descriptions"
        )
    }
    group_rows = []
    for uri, concept in groups.items():
        labels, alt, descriptions = existing.get(uri, ({}, {}, {}))
        group_rows.append(
            IscoGroup(
                uri=uri,
                code=concept.key,
                level=len(concept.key),
                labels=_merge(labels, concept.labels),
                alt_labels=_merge(alt, concept.alt_labels),
                descriptions=_merge(descriptions, concept.descriptions),
            )
        )
    IscoGroup.objects.bulk_create(
        group_rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["uri"],
        update_fields=["code", "level", "labels", "alt_labels", "descriptions"],
    )
    with connection.cursor() as cursor:
        # ISCO-08's hierarchy is in its codes: 2166's parent is 216.
        cursor.execute(
            """UPDATE resources_iscogroup g SET parent_id = p.id FROM resources_iscogroup p
               WHERE p.code = left(g.code, length(g.code) - 1) AND g.parent_id IS DISTINCT FROM p.id"""
        )

    # Occupations, each under its unit group.
    unit_ids = dict(IscoGroup.objects.filter(level=IscoGroup.Level.UNIT).values_list("code", "id"))
    existing = {
        uri: (labels, alt, descriptions)
        for uri, labels, alt, descriptions in Occupation.objects.filter(uri__in=occupations).values_list(
            "uri", "labels", "alt_labels", "descriptions"
        )
    }
    occupation_rows = []
    for uri, concept in list(occupations.items()):
        group_id = unit_ids.get(concept.key)
        if group_id is None:
            skipped.append((uri, f"unknown ISCO unit group {concept.key!r}"))
            del occupations[uri]
            continue
        labels, alt, descriptions = existing.get(uri, ({}, {}, {}))
        occupation_rows.append(
            Occupation(
                uri=uri,
                group_id=group_id,
                labels=_merge(labels, concept.labels),
                alt_labels=_merge(alt, concept.alt_labels),
                descriptions=_merge(descriptions, concept.descriptions),
            )
        )
    Occupation.objects.bulk_create(
        occupation_rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["uri"],
        update_fields=["group", "labels", "alt_labels", "descriptions"],
    )

    # Search labels: those of the imported languages are replaced, the others kept.
    group_ids = dict(IscoGroup.objects.filter(uri__in=groups).values_list("uri", "id"))
    occupation_ids = dict(Occupation.objects.filter(uri__in=occupations).values_list("uri", "id"))
    OccupationLabel.objects.filter(
        Q(group_id__in=group_ids.values()) | Q(occupation_id__in=occupation_ids.values()), language__in=languages
    ).delete()
    label_rows = []
    for concepts, ids, field_name in ((groups, group_ids, "group_id"), (occupations, occupation_ids, "occupation_id")):
        for uri, concept in concepts.items():
            label_rows += _label_rows(concept, {field_name: ids[uri]})
    OccupationLabel.objects.bulk_create(label_rows, batch_size=BATCH)

    # Records classified under these concepts are found by their new labels too.
    classified = (
        Record.objects.filter(Q(occupations__isnull=False) | Q(isco_groups__isnull=False)).values_list("id", flat=True)
    ).distinct()
    refresh_search_index(record_ids=classified)
    with connection.cursor() as cursor:
        # Fresh statistics, or the planner ignores the trigram index of the new labels.
        cursor.execute("ANALYZE resources_iscogroup, resources_occupation, resources_occupationlabel")
    return EscoImportResult(
        languages=languages, groups=len(groups), occupations=len(occupations), labels=len(label_rows), skipped=skipped
    )


def _label_rows(concept, owner):
    rows = []
    kinds = (
        (OccupationLabel.Kind.PREFERRED, {language: [label] for language, label in concept.labels.items()}),
        (OccupationLabel.Kind.ALTERNATIVE, concept.alt_labels),
        (OccupationLabel.Kind.HIDDEN, concept.hidden_labels),
    )
    for kind, by_language in kinds:
        for language, labels in by_language.items():
            seen = set()
            for text in labels:
                if (kind, text) in seen:
                    continue
                seen.add((kind, text))
                rows.append(
                    OccupationLabel(
                        language=language, kind=kind, text=text[:500], normalized=normalize(text)[:500], **owner
                    )
                )
    return rows
