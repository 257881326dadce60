"""Harvesting the sister centres' OAI-PMH providers into the library (oaipmh-scythe as the client).

Incremental: each run asks for what changed since the previous successful run's response date.
Records are upserted by (centre, OAI identifier) and stay read-only here; deletions are applied;
a record that cannot be taken in is written down and the run goes on. Every response is parsed
without DTDs, entity expansion or network access, whatever the provider sends.
"""

import re
from dataclasses import dataclass
from datetime import UTC, timedelta
from functools import cached_property

import httpx2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
from resources.services import ResourcesError, refresh_search_index

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"
ESCO_ISCO = "http://data.europa.eu/esco/isco/C"
ISCO_CODE = re.compile(r"^ISCO(?:-08)?[\s:]*([0-9]{1,4})$", re.IGNORECASE)
DCMI_KINDS = {"movingimage": Record.Kind.VIDEO, "interactiveresource": Record.Kind.WEBSITE}


class HarvestError(ResourcesError):
    message = _("This centre cannot be harvested.")


class HarvestAlreadyRunning(HarvestError):
    message = _("A harvest of this centre is already running.")


class UnsafeXML(Exception):
    """A response that declares a DTD: OAI-PMH never needs one, and it is how XML bombs start."""


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
    """oaipmh-scythe, with every response parsed by parse_xml (and parsed once, not at each access)."""

    def harvest(self, query):
        http_response = self.client.get(self.endpoint, params=query)
        response = SafeResponse(http_response, params=query)
        response.raise_for_oaipmh_error()
        http_response.raise_for_status()
        return response


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


def start_run(*, centre):
    stale = timezone.now() - timedelta(hours=settings.RESOURCES_HARVEST_STALE_HOURS)
    HarvestRun.objects.filter(centre=centre, status=HarvestRun.Status.RUNNING, started_at__lt=stale).update(
        status=HarvestRun.Status.FAILED, finished_at=timezone.now(), message="interrupted"
    )
    try:
        with transaction.atomic():
            return HarvestRun.objects.create(
                centre=centre, base_url=centre.oai_base_url, set_spec=centre.oai_set, status=HarvestRun.Status.RUNNING
            )
    except IntegrityError:
        raise HarvestAlreadyRunning from None


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
    for what the provider or the network does)."""
    if not centre.oai_base_url:
        raise HarvestError(_("%(centre)s has no OAI-PMH base URL.") % {"centre": centre})
    run = start_run(centre=centre)
    since = None if full else last_datestamp(centre)
    lookups = {
        "areas": dict(Area.objects.values_list("code", "pk")),
        "occupations": dict(Occupation.objects.values_list("uri", "pk")),
        "groups": dict(IscoGroup.objects.values_list("uri", "pk")),
    }
    done, total = 0, None
    run.status = HarvestRun.Status.SUCCEEDED
    try:
        config = HTTPConfig(timeout=timeout_seconds(), user_agent="cite-resources-harvester")
        with SafeScythe(centre.oai_base_url, http_config=config, iterator=OAIResponseIterator) as scythe:
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
                    _take(run, centre, element, lookups)
                    done += 1
                    if on_progress:
                        on_progress(done, total)
    except NoRecordsMatch:
        run.next_from = run.next_from or since  # nothing new: start from the same point next time
    except httpx2.TimeoutException:
        run.status = HarvestRun.Status.FAILED
        run.message = _("The centre did not answer within %(seconds)s seconds.") % {"seconds": timeout_seconds()}
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
    run.finished_at = timezone.now()
    run.save()
    return run


def _take(run, centre, element, lookups):
    identifier = ""
    try:
        harvested = read_record(element)
        identifier = harvested.identifier
        if not identifier:
            raise ValueError(_("The record has no identifier."))
        outcome = take_record(centre=centre, harvested=harvested, lookups=lookups)
    except ValidationError as error:
        messages = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
        _record_error(run, identifier, "; ".join(f"{name}: {', '.join(texts)}" for name, texts in messages))
    except (ValueError, IntegrityError) as error:
        _record_error(run, identifier, str(error))
    else:
        if outcome in ("created", "updated", "deleted"):
            setattr(run, outcome, getattr(run, outcome) + 1)


def _record_error(run, identifier, message):
    run.failed += 1
    HarvestRecordError.objects.create(run=run, identifier=identifier[:500], message=message[:2000])
