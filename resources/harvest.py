"""Harvesting the sister centres' OAI-PMH providers into the library (oaipmh-scythe as the client).

Incremental: each run asks for what changed since the previous successful run's response date.
Records are upserted by (centre, OAI identifier) and stay read-only here; deletions are applied;
a record that cannot be taken in, whatever the reason, is written down and the run goes on. Every
response is parsed without DTDs, entity expansion or network access, whatever the provider sends.
One harvest of a centre at a time, guarded by a PostgreSQL advisory lock (released by PostgreSQL
itself when the process holding it dies); each harvest has a deadline of its own.
"""

import logging
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from functools import cached_property

import httpx2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from lxml import etree
from oaipmh_scythe import HTTPConfig, Scythe
from oaipmh_scythe.exceptions import NoRecordsMatch, OAIPMHException
from oaipmh_scythe.iterator import OAIResponseIterator
from oaipmh_scythe.response import OAIResponse

from cite.models import Area
from resources.languages import normalize_language
from resources.models import HarvestRecordError, HarvestRun, IscoGroup, Occupation, Record
from resources.models.records import validate_w3cdtf
from resources.services import ResourcesError, forget_catalogue_results, refresh_search_index

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"
ESCO_ISCO = "http://data.europa.eu/esco/isco/C"
ISCO_CODE = re.compile(r"^ISCO(?:-08)?[\s:]*([0-9]{1,4})$", re.IGNORECASE)
DCMI_KINDS = {"movingimage": Record.Kind.VIDEO, "interactiveresource": Record.Kind.WEBSITE}
IDENTIFIER_MAX_LENGTH = Record._meta.get_field("origin_identifier").max_length
# pg_try_advisory_lock(HARVEST_LOCK, centre id): the two-integer key space, apart from the single
# keys the planning and the statistics' roll-up lock.
HARVEST_LOCK = 713_201_400

logger = logging.getLogger(__name__)


class HarvestError(ResourcesError):
    message = _("This centre cannot be harvested.")


class HarvestAlreadyRunning(HarvestError):
    message = _("A harvest of this centre is already running.")


class UnsafeXML(Exception):
    """A response that declares a DTD: OAI-PMH never needs one, and it is how XML bombs start."""


class DeadlinePassed(Exception):
    """The harvest of one centre took longer than RESOURCES_HARVEST_DEADLINE_MINUTES."""


# -- Safe XML ---------------------------------------------------------------------------------

SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
)


def parse_xml(content):
    """An OAI-PMH response parsed without entity expansion nor network access; DTDs are refused."""
    root = etree.fromstring(content, parser=SAFE_PARSER)
    if root.getroottree().docinfo.doctype:
        raise UnsafeXML("the response declares a DTD")
    return root


class SafeResponse(OAIResponse):
    @cached_property
    def xml(self):
        return parse_xml(self.http_response.content)


class SafeScythe(Scythe):
    """oaipmh-scythe, with every response parsed by parse_xml (and parsed once, not at each access),
    and read within the harvest's deadline.

    httpx's timeout is per read: a provider sending one byte every second never trips it. The body is
    read chunk by chunk and the deadline checked at each one.
    """

    def __init__(self, *args, deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def harvest(self, query):
        check_deadline(self.deadline)
        with self.client.stream("GET", self.endpoint, params=query) as streamed:
            body = bytearray()
            for chunk in streamed.iter_raw():
                check_deadline(self.deadline)
                body += chunk
            # Decoded (gzip…) by the new response, from the same headers.
            http_response = httpx2.Response(
                streamed.status_code, headers=streamed.headers, content=bytes(body), request=streamed.request
            )
        # A server error's page is HTML, not an OAI-PMH answer: say so rather than "not well-formed XML".
        if http_response.status_code >= 500:
            http_response.raise_for_status()
        response = SafeResponse(http_response, params=query)
        response.raise_for_oaipmh_error()
        http_response.raise_for_status()
        return response


def check_deadline(deadline):
    if time.monotonic() > deadline:
        raise DeadlinePassed


# -- Mapping Dublin Core ------------------------------------------------------------------------


@dataclass
class Harvested:
    identifier: str
    datestamp: str
    deleted: bool
    set_specs: list
    dc: dict  # element name -> [values]


def read_record(element):
    header = element.find(f"{OAI}header")
    if header is None:
        raise ValueError("record without a header")
    values = {}
    metadata = element.find(f"{OAI}metadata")
    if metadata is not None:
        for child in metadata.iter():
            if isinstance(child.tag, str) and child.tag.startswith(DC):
                text = (child.text or "").strip()
                if text:
                    values.setdefault(child.tag[len(DC) :], []).append(text)
    return Harvested(
        identifier=(header.findtext(f"{OAI}identifier") or "").strip(),
        datestamp=(header.findtext(f"{OAI}datestamp") or "").strip(),
        deleted=header.get("status") == "deleted",
        set_specs=[(spec.text or "").strip() for spec in header.findall(f"{OAI}setSpec")],
        dc=values,
    )


def _first(values, name, limit):
    return (values.get(name) or [""])[0][:limit]


def _date(values):
    for value in values.get("date", []):
        if match := re.match(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value):
            try:
                validate_w3cdtf(match[0])
            except ValidationError:
                continue
            return match[0]
    return ""


def map_record(harvested, *, areas, occupations, groups):
    """Record fields and relations from Dublin Core and the header's sets."""
    dc = harvested.dc
    specs = harvested.set_specs
    title = _first(dc, "title", 300)
    if not title:
        raise ValueError(_("The record has no title."))
    kinds = [spec.split(":", 1)[1] for spec in specs if spec.startswith("kind:")]
    kind = next((value for value in kinds if value in Record.Kind.values), None)
    kind = kind or next((value for value in dc.get("type", []) if value in Record.Kind.values), None)
    kind = kind or next((DCMI_KINDS[v.lower()] for v in dc.get("type", []) if v.lower() in DCMI_KINDS), None)
    identifiers = dc.get("identifier", [])
    urls = [value for value in identifiers if value.startswith(("http://", "https://"))]
    others = [value for value in identifiers if not value.startswith(("http://", "https://"))]
    occupation_ids, group_ids, keywords = [], [], []
    for subject in dc.get("subject", []):
        if subject.startswith(ESCO_OCCUPATION):
            if subject in occupations:
                occupation_ids.append(occupations[subject])
        elif subject.startswith(ESCO_ISCO):
            if subject in groups:
                group_ids.append(groups[subject])
        elif match := ISCO_CODE.match(subject):
            if (code_uri := f"{ESCO_ISCO}{match[1]}") in groups:
                group_ids.append(groups[code_uri])
        else:
            keywords.append(subject[:100])
    audiences = [spec.split(":", 1)[1] for spec in specs if spec.startswith("audience:")]
    return {
        "title": title,
        "description": "\n\n".join(dc.get("description", [])),
        "creator": "; ".join(dc.get("creator", []))[:300],
        "publisher": "; ".join(dc.get("publisher", []))[:300],
        "date": _date(dc),
        "kind": kind or Record.Kind.OTHER,
        "format": _first(dc, "format", 100),
        "language": normalize_language(_first(dc, "language", 20)) or settings.LANGUAGE_CODE,
        "identifier": (others or [""])[0][:300],
        "source": _first(dc, "source", 300),
        "rights": _first(dc, "rights", 300),
        "coverage": "; ".join(dc.get("coverage", []))[:200],
        "url": (urls or [""])[0][:1000],
        "keywords": list(dict.fromkeys(keywords))[:50],
        "audiences": [value for value in dict.fromkeys(audiences) if value in Record.Audience.values],
        "visibility": Record.Visibility.PUBLIC if "visibility:public" in specs else Record.Visibility.NETWORK,
        "areas": [areas[spec[6:]] for spec in specs if spec.startswith("theme:") and spec[6:] in areas],
        "occupations": list(dict.fromkeys(occupation_ids)),
        "isco_groups": list(dict.fromkeys(group_ids)),
    }


# -- Taking records in --------------------------------------------------------------------------

RELATIONS = ("areas", "occupations", "isco_groups")


@transaction.atomic
def take_record(*, centre, harvested, lookups):
    """Create, update or delete our copy of one harvested record: 'created', 'updated', 'deleted' or
    'unchanged'."""
    existing = (
        Record.all_objects.select_for_update()
        .filter(source_centre=centre, origin_identifier=harvested.identifier)
        .first()
    )
    if harvested.deleted:
        if existing is None:
            return "unchanged"
        existing.delete()  # harvested copies are never published again: no tombstone needed here
        forget_catalogue_results()
        return "deleted"
    origin_datestamp = parse_datetime(harvested.datestamp.replace("Z", "+00:00")) if harvested.datestamp else None
    if existing is not None and origin_datestamp and existing.origin_datestamp == origin_datestamp:
        return "unchanged"
    data = map_record(harvested, **lookups)
    record = existing or Record(source_centre=centre, origin_identifier=harvested.identifier)
    for name, value in data.items():
        if name not in RELATIONS:
            setattr(record, name, value)
    record.origin_datestamp = origin_datestamp
    record.datestamp = timezone.now()
    record.full_clean(exclude=[*RELATIONS, "source_centre", "origin_identifier"])
    record.save()
    for name in RELATIONS:
        getattr(record, name).set(data[name])
    refresh_search_index(record_ids=[record.pk])
    return "updated" if existing else "created"


# -- Runs ---------------------------------------------------------------------------------------


def timeout_seconds():
    return settings.RESOURCES_HARVEST_TIMEOUT


@contextmanager
def harvest_lock(*, centre):
    """Hold the centre's harvest lock, or raise HarvestAlreadyRunning.

    A session-level advisory lock: PostgreSQL releases it when the connection ends, so a harvest
    killed by the system (kill -9, a reboot) never blocks the next one, unlike a "running" row.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [HARVEST_LOCK, centre.pk])
        if not cursor.fetchone()[0]:
            raise HarvestAlreadyRunning
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [HARVEST_LOCK, centre.pk])
        except DatabaseError:
            pass  # the connection is gone, and the lock with it


def start_run(*, centre):
    """The run row of a harvest, under the centre's lock: runs still marked running were left by a
    process that died (it would hold the lock otherwise), so they are closed as interrupted."""
    HarvestRun.objects.filter(centre=centre, status=HarvestRun.Status.RUNNING).update(
        status=HarvestRun.Status.FAILED,
        finished_at=timezone.now(),
        message=_("Interrupted: the process stopped before the harvest finished."),
    )
    return HarvestRun.objects.create(
        centre=centre, base_url=centre.oai_base_url, set_spec=centre.oai_set, status=HarvestRun.Status.RUNNING
    )


def last_datestamp(centre):
    """Where an incremental harvest of `centre` starts: the previous successful run's response date."""
    run = (
        HarvestRun.objects.filter(centre=centre, status=HarvestRun.Status.SUCCEEDED, next_from__isnull=False)
        .order_by("-started_at")
        .first()
    )
    return run.next_from if run else None


def harvest_centre(*, centre, full=False, on_progress=None):
    """Harvest one sister centre; returns the finished HarvestRun (succeeded or failed, never raises
    for what the provider, the network or a record does). Raises HarvestError when the centre has no
    base URL and HarvestAlreadyRunning while another process harvests it."""
    if not centre.oai_base_url:
        raise HarvestError(_("%(centre)s has no OAI-PMH base URL.") % {"centre": centre})
    with harvest_lock(centre=centre):
        run = start_run(centre=centre)
        try:
            _harvest(run, centre, full=full, on_progress=on_progress)
        except Exception as error:
            # Whatever happens, the run is closed with what went wrong, and the next centre comes.
            logger.exception("Harvest of %s stopped", centre)
            run.status = HarvestRun.Status.FAILED
            run.message = _("The harvest stopped on an unexpected error: %(error)s") % {
                "error": f"{type(error).__name__}: {error}"[:1000]
            }
        run.finished_at = timezone.now()
        run.save()
    return run


def _harvest(run, centre, *, full, on_progress):
    since = None if full else last_datestamp(centre)
    lookups = {
        "areas": dict(Area.objects.values_list("code", "pk")),
        "occupations": dict(Occupation.objects.values_list("uri", "pk")),
        "groups": dict(IscoGroup.objects.values_list("uri", "pk")),
    }
    deadline = time.monotonic() + settings.RESOURCES_HARVEST_DEADLINE_MINUTES * 60
    done, total = 0, None
    run.status = HarvestRun.Status.SUCCEEDED
    try:
        config = HTTPConfig(timeout=timeout_seconds(), user_agent="cite-resources-harvester")
        with SafeScythe(
            centre.oai_base_url, http_config=config, iterator=OAIResponseIterator, deadline=deadline
        ) as scythe:
            granularity = getattr(scythe.identify(), "granularity", "YYYY-MM-DDThh:mm:ssZ") or ""
            if since is not None:
                since_utc = since.astimezone(UTC)
                run.harvested_from = (
                    since_utc.strftime("%Y-%m-%d")
                    if granularity == "YYYY-MM-DD"
                    else since_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
                )
            pages = scythe.list_records(from_=run.harvested_from or None, set_=centre.oai_set or None)
            for page in pages:
                root = page.xml
                if run.next_from is None:
                    run.next_from = parse_datetime((root.findtext(f"{OAI}responseDate") or "").replace("Z", "+00:00"))
                token = root.find(f".//{OAI}resumptionToken")
                if total is None and token is not None and (token.get("completeListSize") or "").isdigit():
                    total = int(token.get("completeListSize"))
                for element in root.iterfind(f".//{OAI}record"):
                    check_deadline(deadline)
                    _take(run, centre, element, lookups)
                    done += 1
                    if on_progress:
                        on_progress(done, total)
    except NoRecordsMatch:
        run.next_from = run.next_from or since  # nothing new: start from the same point next time
    except DeadlinePassed:
        run.status = HarvestRun.Status.FAILED
        run.message = _(
            "The harvest took longer than %(minutes)s minutes and was stopped; the records already taken are kept."
        ) % {"minutes": settings.RESOURCES_HARVEST_DEADLINE_MINUTES}
    except httpx2.TimeoutException:
        run.status = HarvestRun.Status.FAILED
        run.message = _("The centre did not answer within %(seconds)s seconds.") % {"seconds": timeout_seconds()}
    except httpx2.HTTPStatusError as error:
        run.status = HarvestRun.Status.FAILED
        run.message = _("The centre answered with the HTTP error %(status)s.") % {"status": error.response.status_code}
    except httpx2.HTTPError as error:
        run.status = HarvestRun.Status.FAILED
        run.message = _("The centre could not be reached: %(error)s") % {"error": error}
    except OAIPMHException as error:
        run.status = HarvestRun.Status.FAILED
        run.message = _("The centre answered with an OAI-PMH error: %(error)s") % {
            "error": f"{type(error).__name__} {error}"
        }
    except (etree.XMLSyntaxError, UnsafeXML) as error:
        run.status = HarvestRun.Status.FAILED
        run.message = _("The centre's answer is not safe, well-formed XML: %(error)s") % {"error": error}


def _take(run, centre, element, lookups):
    identifier = ""
    try:
        harvested = read_record(element)
        identifier = harvested.identifier
        if not identifier:
            raise ValueError(_("The record has no identifier."))
        if len(identifier) > IDENTIFIER_MAX_LENGTH:
            raise ValueError(
                _("The record's identifier is longer than %(max)s characters.") % {"max": IDENTIFIER_MAX_LENGTH}
            )
        outcome = take_record(centre=centre, harvested=harvested, lookups=lookups)
    except ValidationError as error:
        messages = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
        _record_error(run, identifier, "; ".join(f"{name}: {', '.join(texts)}" for name, texts in messages))
    except (InterfaceError, OperationalError):
        raise  # the database is gone: no next record can be taken either
    except (DeadlinePassed, KeyboardInterrupt):
        raise
    except ValueError as error:
        _record_error(run, identifier, str(error))
    except Exception as error:
        # Any other fault of one record (a value the database refuses, a bug on an odd record) is
        # written down with the record; take_record's transaction was rolled back, the run goes on.
        logger.warning("Harvest of %s: record %r not taken", centre, identifier[:200], exc_info=True)
        _record_error(run, identifier, f"{type(error).__name__}: {error}")
    else:
        if outcome in ("created", "updated", "deleted"):
            setattr(run, outcome, getattr(run, outcome) + 1)


def _record_error(run, identifier, message):
    run.failed += 1
    HarvestRecordError.objects.create(run=run, identifier=identifier[:500], message=message[:2000])
