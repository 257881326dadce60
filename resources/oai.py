"""The OAI-PMH 2.0 data provider at /oai: our network and public records in Dublin Core (oai_dc).

Sets: `theme:<area code>`, `kind:<kind>`, `audience:<audience>` and `visibility:<network|public>`,
each under its parent set. Lists are paged by a signed resumption token that carries the last
(datestamp, id) sent, so editing or deleting records during a harvest never skips one: an edited
record only moves to the end of the list. Deleted records are kept as tombstones (`persistent`).
"""

import re
import uuid
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core import signing
from django.db.models import Exists, Min, OuterRef, Q
from django.db.models.functions import JSONObject
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from cite import dates
from cite.errors import DomainError
from cite.models import Area
from resources.models import Record, RecordFile

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
METADATA_FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "resources.oai.resumption"  # noqa: S105 (a signing salt, not a secret)

# verb -> (required arguments, optional arguments); resumptionToken is exclusive where allowed.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}
# XML 1.0's characters (§2.2): what an argument may hold to be echoed in a response.
XML_SAFE = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")

# Dublin Core's type vocabulary (DCMI Type) for each kind of record.
DCMI_TYPES = {
    Record.Kind.VIDEO: "MovingImage",
    Record.Kind.WEBSITE: "InteractiveResource",
    Record.Kind.TRAINING_DIRECTORY: "Dataset",
}
SET_FAMILIES = {
    "theme": "Themes (areas of advice)",
    "kind": "Kinds of record",
    "audience": "Audiences",
    "visibility": "Visibility",
}


class OAIError(DomainError):
    """A request the protocol refuses: `code` is the OAI-PMH error code (§3.6), `message` says why."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def page_size():
    # The ceiling: at most 100 records a page.
    return min(settings.RESOURCES_OAI_PAGE_SIZE, 100)


def namespace(request):
    # Never the request's Host header: identifiers must not change with the name a harvester uses.
    return settings.RESOURCES_OAI_NAMESPACE


def oai_identifier(request, record):
    return f"oai:{_per_response(request, 'namespace', namespace)}:{record.uuid}"


_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


def absolute_url(request, name, uuid_value):
    """The absolute URL of a record's or a file's page, from a template built once per response:
    `reverse()` for each of a hundred records was a fifth of a ListRecords page's time."""
    template = _per_response(
        request, name, lambda request: request.build_absolute_uri(reverse(name, kwargs={"uuid": _PLACEHOLDER}))
    )
    return template.replace(_PLACEHOLDER, str(uuid_value))


def _per_response(request, key, compute):
    memo = request.__dict__.setdefault("_oai_memo", {})
    if key not in memo:
        memo[key] = compute(request)
    return memo[key]


def datestamp(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def admin_email():
    candidates = [settings.RESOURCES_OAI_ADMIN_EMAIL]
    candidates += [address for _name, address in settings.ADMINS] + [settings.DEFAULT_FROM_EMAIL]
    for address in candidates:
        if address and re.fullmatch(r"\S+@(\S+\.)+\S+", address):
            return address
    return "webmaster@localhost.localdomain"  # the schema wants a domain with a dot


def base_url(request):
    return request.build_absolute_uri(reverse("oai"))


# -- The endpoint ------------------------------------------------------------------------------


@csrf_exempt  # OAI-PMH 2.0 §3.1.1.2: harvesters may POST, without any cookie
@require_http_methods(["GET", "POST"])
@dates.reads_dates("from", "until")
def endpoint(request):
    arguments = request.POST if request.method == "POST" else request.GET
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    etree.SubElement(root, f"{{{OAI}}}responseDate").text = datestamp(timezone.now())
    request_element = etree.SubElement(root, f"{{{OAI}}}request")
    request_element.text = base_url(request)
    try:
        verb, params = parse_arguments(arguments)
        # §3.6: the request element echoes the arguments only when they were valid.
        request_element.set("verb", verb)
        for name, value in params.items():
            request_element.set(name, value)
        root.append(HANDLERS[verb](request, params))
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            request_element.attrib.clear()
        error_element = etree.SubElement(root, f"{{{OAI}}}error", code=error.code)
        error_element.text = error.message
    return xml_response(root)


def xml_response(root):
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def error_response(request, code, message):
    """A response with one error and no echoed arguments (used for errors of the whole request)."""
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    etree.SubElement(root, f"{{{OAI}}}responseDate").text = datestamp(timezone.now())
    etree.SubElement(root, f"{{{OAI}}}request").text = base_url(request)
    etree.SubElement(root, f"{{{OAI}}}error", code=code).text = message
    return xml_response(root)


def parse_arguments(arguments):
    verbs = arguments.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", _("The verb is missing, repeated or not one of the six OAI-PMH verbs."))
    verb = verbs[0]
    params = {}
    for name in arguments:
        if name == "verb":
            continue
        values = arguments.getlist(name)
        if not all(XML_SAFE.fullmatch(text) for text in (name, *values)):
            # A control character or NUL cannot be echoed in XML: refuse it like any other bad argument.
            raise OAIError("badArgument", _("An argument holds characters that XML cannot carry."))
        if len(values) != 1:
            raise OAIError("badArgument", _("The argument %(name)s is repeated.") % {"name": name})
        params[name] = values[0]
    required, optional = VERBS[verb]
    if "resumptionToken" in params:
        if verb not in RESUMABLE:
            raise OAIError("badArgument", _("%(verb)s takes no resumptionToken.") % {"verb": verb})
        if len(params) > 1:
            raise OAIError("badArgument", _("resumptionToken is an exclusive argument."))
        return verb, params
    unknown = set(params) - required - optional
    if unknown:
        raise OAIError("badArgument", _("Illegal argument(s): %(names)s.") % {"names": ", ".join(sorted(unknown))})
    missing = required - set(params)
    if missing:
        raise OAIError("badArgument", _("Missing argument(s): %(names)s.") % {"names": ", ".join(sorted(missing))})
    return verb, params


# -- Verbs --------------------------------------------------------------------------------------


def identify(request, params):
    element = etree.Element(f"{{{OAI}}}Identify")
    earliest = Record.all_objects.for_oai().aggregate(first=Min("datestamp"))["first"]
    for name, value in (
        ("repositoryName", settings.CENTRE_NAME),
        ("baseURL", base_url(request)),
        ("protocolVersion", "2.0"),
        ("adminEmail", admin_email()),
        ("earliestDatestamp", datestamp(earliest or datetime(2000, 1, 1, tzinfo=UTC))),
        ("deletedRecord", "persistent"),
        ("granularity", GRANULARITY),
    ):
        etree.SubElement(element, f"{{{OAI}}}{name}").text = value
    return element


def list_metadata_formats(request, params):
    if "identifier" in params:
        record = find_record(request, params["identifier"])
        if is_deleted(record):
            raise OAIError("noMetadataFormats", _("This record was deleted: no metadata is available for it."))
    element = etree.Element(f"{{{OAI}}}ListMetadataFormats")
    for prefix, (schema, namespace_uri) in METADATA_FORMATS.items():
        fmt = etree.SubElement(element, f"{{{OAI}}}metadataFormat")
        etree.SubElement(fmt, f"{{{OAI}}}metadataPrefix").text = prefix
        etree.SubElement(fmt, f"{{{OAI}}}schema").text = schema
        etree.SubElement(fmt, f"{{{OAI}}}metadataNamespace").text = namespace_uri
    return element


def list_sets(request, params):
    if "resumptionToken" in params:
        # Every set fits in one response: no token of ours can be valid here.
        raise OAIError("badResumptionToken", _("This resumption token is invalid or has expired."))
    element = etree.Element(f"{{{OAI}}}ListSets")
    for spec, name in all_sets():
        item = etree.SubElement(element, f"{{{OAI}}}set")
        etree.SubElement(item, f"{{{OAI}}}setSpec").text = spec
        etree.SubElement(item, f"{{{OAI}}}setName").text = name
    return element


def all_sets():
    sets = []
    for family, name in SET_FAMILIES.items():
        sets.append((family, name))
        if family == "theme":
            sets += [(f"theme:{area.code}", area.name_en) for area in Area.objects.order_by("order", "letter")]
        elif family == "kind":
            sets += [(f"kind:{value}", label) for value, label in _english(Record.Kind.choices)]
        elif family == "audience":
            sets += [(f"audience:{value}", label) for value, label in _english(Record.Audience.choices)]
        else:
            sets += [(f"visibility:{value}", str(value)) for value in Record.PUBLISHED]
    return sets


def _english(choices):
    from django.utils import translation

    with translation.override("en"):
        return [(value, str(label)) for value, label in choices]


def get_record(request, params):
    check_prefix(params["metadataPrefix"])
    record = find_record(request, params["identifier"], prefetch=True)
    element = etree.Element(f"{{{OAI}}}GetRecord")
    element.append(record_element(request, record, with_metadata=True))
    return element


def list_identifiers(request, params):
    return list_items(request, params, verb="ListIdentifiers")


def list_records(request, params):
    return list_items(request, params, verb="ListRecords")


def list_items(request, params, *, verb):
    if "resumptionToken" in params:
        state = read_token(params["resumptionToken"], verb)
    else:
        check_prefix(params["metadataPrefix"])
        start, end = parse_range(params.get("from"), params.get("until"))
        state = {
            "verb": verb,
            "prefix": params["metadataPrefix"],
            "set": params.get("set", ""),
            "from": start.isoformat() if start else "",
            "until": end.isoformat() if end else "",
            "cursor": 0,
        }
    queryset = filtered(state)
    if "after" not in state:
        state["size"] = queryset.count()
    else:
        after, after_id = datetime.fromisoformat(state["after"]), state["after_id"]
        # Keyset paging: (datestamp, id) strictly after the last one sent.
        queryset = queryset.filter(datestamp__gte=after).exclude(datestamp=after, id__lte=after_id)
    size = page_size()
    rows = list(prefetched(queryset.order_by("datestamp", "id"), with_metadata=verb == "ListRecords")[: size + 1])
    if not rows:
        # Also when the rest of a list left its set meanwhile: there is nothing more to send.
        raise OAIError("noRecordsMatch", _("No record matches these arguments."))
    has_more = len(rows) > size
    rows = rows[:size]
    element = etree.Element(f"{{{OAI}}}{verb}")
    for record in rows:
        if verb == "ListRecords":
            element.append(record_element(request, record, with_metadata=True))
        else:
            element.append(header_element(request, record))
    if has_more or state["cursor"] > 0:
        token = etree.SubElement(
            element,
            f"{{{OAI}}}resumptionToken",
            completeListSize=str(max(state["size"], state["cursor"] + len(rows))),
            cursor=str(state["cursor"]),
        )
        if has_more:
            last = rows[-1]
            following = state | {
                "after": last.datestamp.isoformat(),
                "after_id": last.pk,
                "cursor": state["cursor"] + len(rows),
            }
            token.text = signing.dumps(following, salt=TOKEN_SALT, compress=True)
    return element


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


# -- Arguments ----------------------------------------------------------------------------------


def check_prefix(prefix):
    if prefix not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            _("The metadata format %(prefix)s is not offered: use oai_dc.") % {"prefix": prefix},
        )


def parse_datestamp(value, *, end):
    """A UTC datetime from a day or a second (§3.3.1); an `until` day covers the whole day."""
    for pattern, granularity in ((r"\d{4}-\d{2}-\d{2}", "day"), (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "second")):
        if re.fullmatch(pattern, value):
            try:
                day = dates.parse_date(value[:10])
                clock = time.fromisoformat(value[11:19]) if granularity == "second" else time(0)
            except dates.BadDate as error:  # out of the years cite answers for, or not a day at all
                raise OAIError("badArgument", error.message) from None
            except ValueError:
                break
            moment = datetime.combine(day, clock, tzinfo=UTC)
            if end:
                moment += timedelta(days=1) if granularity == "day" else timedelta(seconds=1)
            return moment, granularity
    raise OAIError(
        "badArgument", _("“%(value)s” is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).") % {"value": value}
    )


def parse_range(start, end):
    """(from, until-exclusive) as datetimes; the two must share their granularity (§3.3.1)."""
    start_moment = start_granularity = end_moment = end_granularity = None
    if start:
        start_moment, start_granularity = parse_datestamp(start, end=False)
    if end:
        end_moment, end_granularity = parse_datestamp(end, end=True)
    if start and end:
        if start_granularity != end_granularity:
            raise OAIError("badArgument", _("from and until must have the same granularity."))
        if start_moment >= end_moment:
            raise OAIError("badArgument", _("from is later than until."))
    return start_moment, end_moment


def read_token(token, verb):
    try:
        state = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise OAIError("badResumptionToken", _("This resumption token is invalid or has expired.")) from None
    if not isinstance(state, dict) or state.get("verb") != verb:
        raise OAIError("badResumptionToken", _("This resumption token is invalid or has expired."))
    return state


def find_record(request, identifier, *, prefetch=False):
    prefix = f"oai:{namespace(request)}:"
    if identifier.startswith(prefix):
        try:
            record_uuid = uuid.UUID(identifier[len(prefix) :])
        except ValueError:
            record_uuid = None
        if record_uuid:
            queryset = Record.all_objects.for_oai()
            if prefetch:
                queryset = prefetched(queryset, with_metadata=True)
            record = queryset.filter(uuid=record_uuid).first()
            if record is not None:
                return record
    raise OAIError("idDoesNotExist", _("No record has the identifier %(identifier)s.") % {"identifier": identifier})


# -- Queries ------------------------------------------------------------------------------------


def filtered(state):
    queryset = Record.all_objects.for_oai()
    if state["from"]:
        queryset = queryset.filter(datestamp__gte=datetime.fromisoformat(state["from"]))
    if state["until"]:
        queryset = queryset.filter(datestamp__lt=datetime.fromisoformat(state["until"]))
    if state["set"]:
        queryset = queryset.filter(set_condition(state["set"]))
    return queryset


def set_condition(spec):
    family, _sep, value = spec.partition(":")
    if family == "theme":
        areas = Record.areas.through.objects.filter(record_id=OuterRef("pk"))
        return Exists(areas.filter(area__code=value) if value else areas)
    if family == "kind" and (not value or value in Record.Kind.values):
        return Q(kind=value) if value else Q()
    if family == "audience" and (not value or value in Record.Audience.values):
        return Q(audiences__contains=[value]) if value else ~Q(audiences=[])
    if family == "visibility" and (not value or value in Record.PUBLISHED):
        return Q(visibility=value) if value else Q(visibility__in=Record.PUBLISHED)
    return Q(pk__in=[])  # an unknown set holds nothing: noRecordsMatch


XML_FIELDS = (
    *("uuid", "datestamp", "deleted_at", "visibility", "kind", "audiences", "language", "keywords", "date"),
    *("title", "description", "creator", "publisher", "format", "url", "identifier", "source", "coverage", "rights"),
)


def prefetched(queryset, *, with_metadata):
    """The records with what their XML needs from related tables, as array columns of the one query.

    No prefetch query and no related instance: at 100 records a page, building those (and a queryset
    for each `.all()`) was most of a ListRecords page's time.
    """

    def related(model, column, *order):
        values = model.objects.filter(record_id=OuterRef("pk")).order_by(*order)
        return ArraySubquery(values.values(column) if isinstance(column, str) else values.values(value=column))

    annotations = {"area_codes": related(Record.areas.through, "area__code", "area__order", "area__letter")}
    if with_metadata:
        annotations |= {
            "occupation_uris": related(Record.occupations.through, "occupation__uri", "occupation_id"),
            "group_uris": related(Record.isco_groups.through, "iscogroup__uri", "iscogroup__code"),
            "attached": related(
                RecordFile,
                JSONObject(uuid="uuid", content_type="content_type"),
                "uploaded_at",
                "id",
            ),
        }
    # Only the columns the XML shows: the search columns alone would weigh 80 MB over a full harvest.
    return queryset.only(*XML_FIELDS).annotate(**annotations)


def is_deleted(record):
    # A published record made internal again is withdrawn from the network: deleted, for harvesters.
    return record.deleted_at is not None or not record.is_published


# -- XML ----------------------------------------------------------------------------------------


def set_specs(record):
    specs = [f"theme:{code}" for code in record.area_codes]
    specs.append(f"kind:{record.kind}")
    specs += [f"audience:{audience}" for audience in record.audiences]
    if record.is_published:
        specs.append(f"visibility:{record.visibility}")
    return specs


def header_element(request, record):
    header = etree.Element(f"{{{OAI}}}header")
    if is_deleted(record):
        header.set("status", "deleted")
    etree.SubElement(header, f"{{{OAI}}}identifier").text = oai_identifier(request, record)
    etree.SubElement(header, f"{{{OAI}}}datestamp").text = datestamp(record.datestamp)
    for spec in set_specs(record):
        etree.SubElement(header, f"{{{OAI}}}setSpec").text = spec
    return header


def record_element(request, record, *, with_metadata):
    element = etree.Element(f"{{{OAI}}}record")
    element.append(header_element(request, record))
    if with_metadata and not is_deleted(record):
        metadata = etree.SubElement(element, f"{{{OAI}}}metadata")
        metadata.append(dublin_core(request, record))
    return element


def dublin_core(request, record):
    """The record in simple Dublin Core. Occupations go out as dc:subject with their ESCO URI, groups
    with their ISCO-08 concept URI, so a sister centre maps them whatever its language."""
    dc = etree.Element(
        f"{{{OAI_DC}}}dc",
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
    )
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")

    def add(name, value, lang=None):
        if value:
            element = etree.SubElement(dc, f"{{{DC}}}{name}")
            element.text = _xml_text(str(value))
            if lang:
                element.set(XML_LANG, lang)

    add("title", record.title, record.language)
    add("creator", record.creator)
    for keyword in record.keywords:
        add("subject", keyword, record.language)
    for uri in record.occupation_uris:
        add("subject", uri)
    for uri in record.group_uris:
        add("subject", uri)
    add("description", record.description, record.language)
    add("publisher", record.publisher)
    add("date", record.date)
    add("type", DCMI_TYPES.get(record.kind, "Text"))
    add("type", record.kind)
    formats = [record.format] + [attached["content_type"] for attached in record.attached]
    for value in dict.fromkeys(value for value in formats if value):
        add("format", value)
    add("identifier", record.url)
    if record.is_public:
        add("identifier", absolute_url(request, "resources:public-record", record.uuid))
        for attached in record.attached:
            add("identifier", absolute_url(request, "resources:record-file", attached["uuid"]))
    add("identifier", record.identifier)
    add("source", record.source)
    add("language", record.language)
    add("coverage", record.coverage)
    add("rights", record.rights)
    return dc


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_text(value):
    """XML 1.0 cannot carry control characters that pasted text sometimes holds."""
    return _CONTROL.sub("", value)
