"""Every change to the library's records: create, update, delete (leaving a tombstone), attach files.

Views, the admin, the CSV import, the harvester and the demo all go through these functions, so
the OAI-PMH datestamp, the tombstones and the search index never drift from the records.
The ESCO importer lives in resources.esco, the harvester in resources.harvest.
"""

import uuid

from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cite.errors import DomainError
from resources.languages import CODES as STEMMED_LANGUAGES
from resources.models import Record, RecordFile
from resources.uploads import inspect_upload, make_thumbnail, private_storage

M2M_FIELDS = ("areas", "occupations", "isco_groups")


class ResourcesError(DomainError):
    """A change the library refuses, with a message for the person who asked for it."""


class HarvestedRecordIsReadOnly(ResourcesError):
    message = _("This record was harvested from a sister centre: it can only be changed there.")


def _apply_fields(record, data):
    for name, value in data.items():
        if name not in M2M_FIELDS:
            setattr(record, name, value)


def _set_relations(record, data):
    for name in M2M_FIELDS:
        if name in data:
            getattr(record, name).set(data[name])


def _touch(record):
    """A change the network must see: a new OAI-PMH datestamp, and a flag once published."""
    record.datestamp = timezone.now()
    record.was_published = record.was_published or record.is_published


@transaction.atomic
def create_record(*, data, created_by=None, files=()):
    """A new record of this centre; `data` holds model fields and the many-to-many lists."""
    record = Record(created_by=created_by)
    _apply_fields(record, data)
    record.full_clean(exclude=M2M_FIELDS)
    _touch(record)
    record.save()
    _set_relations(record, data)
    for upload in files:
        _attach(record, upload)
    refresh_search_index(record_ids=[record.pk])
    return record


@transaction.atomic
def update_record(*, record, data, files=(), remove_files=()):
    """Change a record of this centre (and attach or remove files); harvested records are read-only."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    if record.is_harvested:
        raise HarvestedRecordIsReadOnly
    for attached in remove_files:
        _detach(record, attached)
    _apply_fields(record, data)
    record.full_clean(exclude=M2M_FIELDS)
    _touch(record)
    record.save()
    _set_relations(record, data)
    for upload in files:
        _attach(record, upload)
    refresh_search_index(record_ids=[record.pk])
    return record


@transaction.atomic
def delete_record(*, record):
    """Delete a record; one the network has seen stays as a tombstone so harvesters learn of it."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    if record.is_harvested:
        raise HarvestedRecordIsReadOnly
    _remove_record(record)


def _remove_record(record):
    forget_catalogue_results()
    stored = [item.file.name for item in record.files.all()]
    if record.thumbnail:
        stored.append(record.thumbnail.name)
    if record.was_published:
        # OAI-PMH 2.0 §2.5.1: deletedRecord "persistent", the header stays with status="deleted".
        record.files.all().delete()
        record.deleted_at = timezone.now()
        record.datestamp = record.deleted_at
        record.thumbnail = ""
        record.search_vector = None
        record.title_vector = None
        record.save()
    else:
        record.delete()
    _delete_stored_files_on_commit(stored)


def _delete_stored_files_on_commit(names):
    def delete():
        for name in names:
            private_storage.delete(name)

    if names:
        transaction.on_commit(delete)


@transaction.atomic
def attach_file(*, record, upload):
    """Attach an uploaded file, checked by its content; the first image or PDF gives the thumbnail."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    if record.is_harvested:
        raise HarvestedRecordIsReadOnly
    attached = _attach(record, upload)
    _touch(record)
    record.save(update_fields=["datestamp", "was_published", "thumbnail"])
    return attached


def _attach(record, upload):
    info = inspect_upload(upload)
    if not record.format:
        Record.objects.filter(pk=record.pk).update(format=info.content_type)
        record.format = info.content_type
    attached = RecordFile(record=record, name=info.name[:255], content_type=info.content_type, size=info.size)
    attached.file.save(info.name, upload, save=False)
    attached.save()
    if not record.thumbnail:
        thumbnail = make_thumbnail(attached.file, info.content_type)
        if thumbnail is not None:
            record.thumbnail.save(f"{record.uuid}.jpg", thumbnail, save=False)
            Record.objects.filter(pk=record.pk).update(thumbnail=record.thumbnail.name)
    return attached


@transaction.atomic
def remove_file(*, attached):
    record = Record.objects.select_for_update().get(pk=attached.record_id)
    if record.is_harvested:
        raise HarvestedRecordIsReadOnly
    _detach(record, attached)
    _touch(record)
    record.save(update_fields=["datestamp", "was_published", "thumbnail"])


def _detach(record, attached):
    if attached.record_id != record.pk:
        raise ResourcesError(_("This file belongs to another record."))
    stored = [attached.file.name]
    attached.delete()
    if record.thumbnail:
        # The thumbnail may have come from this file: make it again from what is left, if anything.
        stored.append(record.thumbnail.name)
        record.thumbnail = ""
        for remaining in record.files.all():
            thumbnail = make_thumbnail(remaining.file, remaining.content_type)
            if thumbnail is not None:
                record.thumbnail.save(f"{record.uuid}-{remaining.pk}.jpg", thumbnail, save=False)
                break
        Record.objects.filter(pk=record.pk).update(thumbnail=record.thumbnail.name or "")
    _delete_stored_files_on_commit(stored)


def count_hand_outs(*, records):
    """A counsellor handed these records to a visitor: count it, for the "documents used" figures.
    Not a change of the record itself, so its OAI-PMH datestamp stays."""
    ids = [record.pk for record in records]
    if ids:
        Record.all_objects.filter(pk__in=ids).update(handed_out=F("handed_out") + 1)


# The search vector of a record: its title in its own language and without stemming (A), keywords
# and the labels of its occupations in every language, unstemmed as they come in several languages (B),
# people and places (C), description (D); and its title vector, the A and the keywords' B alone.
# Occupation labels make a record findable by any alternative label of what it is about.
# Set-based (hash joins over the records to refresh), so refreshing 100 000 records takes seconds.
_CONFIG = "(CASE WHEN r.language = ANY(%(stemmed)s) THEN 'cite_' || r.language ELSE 'cite_simple' END)::regconfig"
INDEX_BATCH = 2000
REFRESH_SQL = f"""
WITH targets AS (SELECT unnest(%(ids)s::bigint[]) AS id),
labels AS (
    SELECT x.record_id, string_agg(x.text, ' ') AS text FROM (
        SELECT ro.record_id, l.text FROM resources_record_occupations ro
        JOIN resources_occupationlabel l ON l.occupation_id = ro.occupation_id
        WHERE ro.record_id IN (SELECT id FROM targets)
        UNION ALL
        SELECT rg.record_id, l.text FROM resources_record_isco_groups rg
        JOIN resources_occupationlabel l ON l.group_id = rg.iscogroup_id
        WHERE rg.record_id IN (SELECT id FROM targets)
    ) x GROUP BY x.record_id
),
codes AS (
    SELECT c.record_id, array_agg(DISTINCT left(c.code, n) ORDER BY left(c.code, n)) AS codes FROM (
        SELECT ro.record_id, g.code FROM resources_record_occupations ro
        JOIN resources_occupation o ON o.id = ro.occupation_id
        JOIN resources_iscogroup g ON g.id = o.group_id
        WHERE ro.record_id IN (SELECT id FROM targets)
        UNION
        SELECT rg.record_id, g.code FROM resources_record_isco_groups rg
        JOIN resources_iscogroup g ON g.id = rg.iscogroup_id
        WHERE rg.record_id IN (SELECT id FROM targets)
    ) c, generate_series(1, length(c.code)) n GROUP BY c.record_id
),
data AS (
    SELECT t.id, coalesce(labels.text, '') AS labels, coalesce(codes.codes, '{{}}') AS codes
    FROM targets t LEFT JOIN labels ON labels.record_id = t.id LEFT JOIN codes ON codes.record_id = t.id
)
UPDATE resources_record r SET
    -- "plombier/plombière" (ESCO's labels, and so many titles) is one "file path" token to PostgreSQL's
    -- parser, found by neither word: the slashes of titles, keywords and labels part the words.
    search_vector =
        setweight(to_tsvector({_CONFIG}, translate(r.title, '/', ' ')), 'A')
        || setweight(to_tsvector('cite_simple', translate(r.title, '/', ' ')), 'A')
        || setweight(to_tsvector({_CONFIG}, translate(array_to_string(r.keywords, ' '), '/', ' ')), 'B')
        || setweight(
            to_tsvector('cite_simple', translate(array_to_string(r.keywords, ' ') || ' ' || data.labels, '/', ' ')), 'B'
        )
        || setweight(to_tsvector({_CONFIG}, concat_ws(' ', r.creator, r.publisher, r.coverage)), 'C')
        || setweight(to_tsvector({_CONFIG}, r.description), 'D'),
    -- The same title and keywords without labels, people, places or description: the first stage of a
    -- broad search's ranking (resources.selectors.search_catalogue).
    title_vector =
        setweight(to_tsvector({_CONFIG}, translate(r.title, '/', ' ')), 'A')
        || setweight(to_tsvector('cite_simple', translate(r.title, '/', ' ')), 'A')
        || setweight(to_tsvector({_CONFIG}, translate(array_to_string(r.keywords, ' '), '/', ' ')), 'B')
        || setweight(to_tsvector('cite_simple', translate(array_to_string(r.keywords, ' '), '/', ' ')), 'B'),
    search_text = lower(unaccent(concat_ws(' ', r.title, array_to_string(r.keywords, ' ')))),
    isco_codes = data.codes
FROM data WHERE r.id = data.id AND r.deleted_at IS NULL
"""  # noqa: S608 (built from this module's constants; every value is a bound parameter)


def forget_catalogue_results():
    """Every process forgets the catalogue results it keeps (resources.selectors.catalogue_results):
    called by each change of the library, once it is committed."""
    from resources.selectors import CATALOGUE_VERSION

    transaction.on_commit(lambda: caches["default"].set(CATALOGUE_VERSION, uuid.uuid4().hex, None))


def refresh_search_index(*, record_ids=None):
    """Rebuild the search vector, the typo index and the ISCO codes of some records (all when None)."""
    forget_catalogue_results()
    if record_ids is None:
        record_ids = Record.objects.values_list("id", flat=True)
    record_ids = list(record_ids)
    params = {"stemmed": sorted(STEMMED_LANGUAGES)}
    # In batches: each keeps a plan of hash joins whatever the table statistics say.
    with connection.cursor() as cursor:
        for start in range(0, len(record_ids), INDEX_BATCH):
            params["ids"] = record_ids[start : start + INDEX_BATCH]
            cursor.execute(REFRESH_SQL, params)
