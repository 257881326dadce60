"""The OAI-PMH 2.0 provider at /oai: the six verbs, sets, dates, resumption tokens, deletions, every error;
every response valid against the official OAI-PMH and oai_dc schemas."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone
from lxml import etree

from resources import oai
from resources.models import Record
from resources.services import attach_file, delete_record, update_record
from tests.resources.conftest import make_record

NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
pytestmark = pytest.mark.django_db


@pytest.fixture
def harvest(client, oai_schema):
    """GET /oai with these arguments; the response must be valid, then its XML is returned."""

    def get(method="get", **arguments):
        response = getattr(client, method)("/oai", arguments)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        document = etree.fromstring(response.content)
        assert oai_schema.validate(document), oai_schema.error_log
        return document

    return get


def dublin_core_values(document):
    """{element name: [texts]} of the first record's Dublin Core."""
    values = {}
    for element in document.find(".//oai:metadata", NS)[0]:
        values.setdefault(etree.QName(element).localname, []).append(element.text)
    return values


def error_code(document):
    errors = document.findall("oai:error", NS)
    return errors[0].get("code") if errors else None


def identifiers(document):
    return [element.text for element in document.iterfind(".//oai:header/oai:identifier", NS)]


def identifier(record):
    return f"oai:testserver:{record.uuid}"


def test_identify_describes_the_repository(harvest):
    make_record(visibility="public")
    document = harvest(verb="Identify")
    identify = document.find("oai:Identify", NS)
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://testserver/oai"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert document.find("oai:request", NS).get("verb") == "Identify"


def test_identify_of_an_empty_repository_is_valid(harvest):
    assert error_code(harvest(verb="Identify")) is None


def test_list_metadata_formats_offers_oai_dc(harvest):
    record = make_record(visibility="network")
    for document in (
        harvest(verb="ListMetadataFormats"),
        harvest(verb="ListMetadataFormats", identifier=identifier(record)),
    ):
        assert [e.text for e in document.iterfind(".//oai:metadataPrefix", NS)] == ["oai_dc"]


def test_list_sets_gives_themes_kinds_audiences_and_visibility(harvest, areas):
    document = harvest(verb="ListSets")
    specs = [element.text for element in document.iterfind(".//oai:setSpec", NS)]
    assert {"theme", "theme:find-job", "kind", "kind:guide", "audience:job-seekers", "visibility:public"} <= set(specs)


def test_get_record_gives_dublin_core_with_occupations_as_esco_uris(harvest, areas, reference):
    record = make_record(
        title="Fiche métier : plombier",
        description="Tout sur le métier.",
        creator="Onisep",
        date="2024-05",
        kind="occupation-sheet",
        keywords=["bâtiment"],
        areas=[areas["find-job"]],
        audiences=["young-people"],
        occupations=[reference["plumber"]],
        isco_groups=[reference["2423"]],
        url="https://example.org/plombier",
        rights="CC BY 4.0",
        visibility="public",
    )
    document = harvest(verb="GetRecord", identifier=identifier(record), metadataPrefix="oai_dc")
    header = document.find(".//oai:header", NS)
    assert header.findtext("oai:identifier", namespaces=NS) == identifier(record)
    assert [e.text for e in header.findall("oai:setSpec", NS)] == [
        "theme:find-job",
        "kind:occupation-sheet",
        "audience:young-people",
        "visibility:public",
    ]
    values = dublin_core_values(document)
    assert values["title"] == ["Fiche métier : plombier"]
    assert values["creator"] == ["Onisep"]
    assert values["date"] == ["2024-05"]
    assert values["language"] == ["fr"]
    assert values["rights"] == ["CC BY 4.0"]
    assert "http://data.europa.eu/esco/occupation/ed3cf43d-c2c1-4c46-82fc-1375e27e0290" in values["subject"]
    assert "http://data.europa.eu/esco/isco/C2423" in values["subject"]
    assert "bâtiment" in values["subject"]
    assert values["identifier"][0] == "https://example.org/plombier"
    assert f"http://testserver/resources/public/records/{record.uuid}/" in values["identifier"]
    assert "Text" in values["type"] and "occupation-sheet" in values["type"]


def test_attached_files_go_out_as_formats_and_public_records_give_their_address(harvest, media):
    from tests.resources.test_uploads import pdf, png, upload

    public = make_record(visibility="public", format="")
    first = attach_file(record=public, upload=upload("guide.pdf", pdf()))
    second = attach_file(record=public, upload=upload("affiche.png", png(40, 30)))
    network = make_record(visibility="network", format="")
    hidden = attach_file(record=network, upload=upload("notes.pdf", pdf()))

    def dublin_core(record):
        return dublin_core_values(harvest(verb="GetRecord", identifier=identifier(record), metadataPrefix="oai_dc"))

    values = dublin_core(public)
    assert values["format"] == ["application/pdf", "image/png"]  # in the order they were attached
    assert f"http://testserver{first.get_absolute_url()}" in values["identifier"]
    assert f"http://testserver{second.get_absolute_url()}" in values["identifier"]
    values = dublin_core(network)
    assert values["format"] == ["application/pdf"]
    # A network record is not on the public site: its file has no address there either.
    assert not any(hidden.get_absolute_url() in value for value in values.get("identifier", []))


def test_internal_records_are_never_published(harvest):
    record = make_record(visibility="internal")
    document = harvest(verb="GetRecord", identifier=identifier(record), metadataPrefix="oai_dc")
    assert error_code(document) == "idDoesNotExist"
    assert error_code(harvest(verb="ListRecords", metadataPrefix="oai_dc")) == "noRecordsMatch"


def test_a_deleted_record_is_a_header_with_the_deleted_status(harvest):
    record = make_record(visibility="network")
    delete_record(record=record)
    document = harvest(verb="GetRecord", identifier=identifier(record), metadataPrefix="oai_dc")
    assert document.find(".//oai:header", NS).get("status") == "deleted"
    assert document.find(".//oai:metadata", NS) is None
    document = harvest(verb="ListMetadataFormats", identifier=identifier(record))
    assert error_code(document) == "noMetadataFormats"


def test_a_published_record_made_internal_is_declared_deleted(harvest):
    record = make_record(visibility="public")
    update_record(record=record, data={"visibility": "internal"})
    document = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert document.find(".//oai:header", NS).get("status") == "deleted"


def test_lists_are_paged_by_resumption_tokens_that_survive_edits(harvest, settings):
    settings.RESOURCES_OAI_PAGE_SIZE = 3
    records = [make_record(title=f"Fiche {number}", visibility="public") for number in range(8)]
    seen = []
    document = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = document.find(".//oai:resumptionToken", NS)
    assert token.get("completeListSize") == "8" and token.get("cursor") == "0"
    seen += identifiers(document)
    # During the harvest: one record already sent and one not yet sent are edited, one not yet sent deleted.
    update_record(record=records[0], data={"title": "Fiche 0 bis"})
    update_record(record=records[5], data={"title": "Fiche 5 bis"})
    delete_record(record=records[6])
    while token is not None and token.text:
        document = harvest(verb="ListIdentifiers", resumptionToken=token.text)
        seen += identifiers(document)
        token = document.find(".//oai:resumptionToken", NS)
    assert token is not None and token.text is None  # the last page carries an empty token
    assert set(seen) == {identifier(record) for record in records}  # none skipped
    assert seen.count(identifier(records[0])) == 2  # sent again after its change
    assert len(document.findall(".//oai:header[@status='deleted']", NS)) == 1


def test_list_records_pages_hold_at_most_100_records(harvest, settings):
    settings.RESOURCES_OAI_PAGE_SIZE = 500
    for number in range(101):
        Record.objects.create(title=f"R{number}", visibility="public", was_published=True)
    document = harvest(verb="ListRecords", metadataPrefix="oai_dc")
    assert len(document.findall(".//oai:record", NS)) == 100
    document = harvest(verb="ListRecords", resumptionToken=document.find(".//oai:resumptionToken", NS).text)
    assert len(document.findall(".//oai:record", NS)) == 1


def test_from_and_until_select_by_datestamp_to_the_second(harvest):
    old, new = make_record(title="Ancienne"), make_record(title="Nouvelle")
    moment = datetime.datetime(2024, 5, 17, 10, 0, 0, tzinfo=datetime.UTC)
    Record.objects.filter(pk=old.pk).update(datestamp=moment)
    Record.objects.filter(pk=new.pk).update(datestamp=moment + datetime.timedelta(seconds=1))

    assert identifiers(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", until="2024-05-17T10:00:00Z")) == [
        identifier(old)
    ]
    assert identifiers(
        harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2024-05-17T10:00:01Z"})
    ) == [identifier(new)]
    document = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2024-05-17", "until": "2024-05-17"})
    assert len(identifiers(document)) == 2
    document = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2024-05-18"})
    assert error_code(document) == "noRecordsMatch"


def test_sets_select_by_theme_kind_and_visibility(harvest, areas):
    guide = make_record(kind="guide", areas=[areas["find-job"]], visibility="public")
    video = make_record(kind="video", visibility="network")
    assert identifiers(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="theme:find-job")) == [
        identifier(guide)
    ]
    assert identifiers(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="theme")) == [identifier(guide)]
    assert identifiers(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:video")) == [
        identifier(video)
    ]
    assert identifiers(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="visibility:public")) == [
        identifier(guide)
    ]
    assert error_code(harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:nothing")) == "noRecordsMatch"


def test_harvesters_may_post(harvest):
    make_record()
    assert identifiers(harvest(method="post", verb="ListIdentifiers", metadataPrefix="oai_dc"))


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "17/05/2024"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-30"}, "badArgument"),
        # Days out of the years cite answers for: `until` 9999-12-31 used to overflow (a 500) on its next day.
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "9999-12-31"}, "badArgument"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "9999-12-31T23:59:59Z"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "0001-01-01"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-05-17", "until": "2024-05-18T00:00:00Z"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-05-18", "until": "2024-05-17"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "Identify", "resumptionToken": "x"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "forged-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "marc21", "identifier": "oai:testserver:x"},
            "cannotDisseminateFormat",
        ),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere:1"}, "idDoesNotExist"),
        ({"verb": "ListMetadataFormats", "identifier": "oai:testserver:not-a-uuid"}, "idDoesNotExist"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, "noRecordsMatch"),
    ],
)
def test_every_error_is_reported_with_its_code_in_a_valid_response(harvest, arguments, code):
    document = harvest(**arguments)
    assert error_code(document) == code
    if code in ("badVerb", "badArgument"):
        assert dict(document.find("oai:request", NS).attrib) == {}  # §3.6: no echo of bad arguments


def test_a_token_from_another_verb_is_refused(harvest, settings):
    settings.RESOURCES_OAI_PAGE_SIZE = 1
    make_record(), make_record()
    token = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc").find(".//oai:resumptionToken", NS).text
    assert error_code(harvest(verb="ListRecords", resumptionToken=token)) == "badResumptionToken"


@pytest.mark.parametrize("code", ["noSetHierarchy", "noMetadataFormats", "badResumptionToken"])
def test_error_documents_are_valid_for_every_code(oai_schema, code):
    # noSetHierarchy cannot happen here (the repository always has sets): its document is checked all the same.
    request = RequestFactory().get("/oai")
    document = etree.fromstring(oai.error_response(request, code, "message").content)
    assert oai_schema.validate(document), oai_schema.error_log


def test_datestamps_are_utc_seconds(harvest):
    record = make_record()
    Record.objects.filter(pk=record.pk).update(
        datestamp=timezone.make_aware(datetime.datetime(2024, 7, 1, 12, 30, 15, 123456))
    )
    document = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert document.findtext(".//oai:datestamp", namespaces=NS) == "2024-07-01T10:30:15Z"  # Paris summer time


@pytest.mark.parametrize("value", ["\x00", "abc\x08", "\x1f"])
def test_an_argument_xml_cannot_carry_is_a_bad_argument(harvest, value):
    """Found by the fuzz tests: echoing a control character in the response was a server error."""
    assert error_code(harvest(verb="ListRecords", resumptionToken=value)) == "badArgument"
    assert error_code(harvest(verb="GetRecord", metadataPrefix="oai_dc", identifier=value)) == "badArgument"
    assert error_code(harvest(verb="ListSets", **{f"x{value}": "a"})) == "badArgument"  # names are echoed too


def test_a_repeated_argument_with_an_unprintable_name_is_a_bad_argument(client):
    response = client.get("/oai?verb=Identify&%01=a&%01=b")
    document = etree.fromstring(response.content)
    assert error_code(document) == "badArgument"


def test_the_lists_are_read_from_the_index_of_published_records():
    """The partial index's condition is `for_oai`'s: PostgreSQL can only use it while they agree, and
    the first page of a harvest then counts the published records without reading the table."""
    from django.db import connection

    make_record(visibility="public")
    with connection.cursor() as cursor:
        # A handful of rows: any plan is cheap. Without a table scan or a sort, only an index that
        # gives the list's order and that PostgreSQL may use for for_oai()'s rows is left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    plan = Record.all_objects.for_oai().order_by("datestamp", "id").explain()
    assert "using resources_record_oai on" in plan, plan


def test_identifiers_never_change_with_the_name_a_harvester_uses(client, settings):
    settings.ALLOWED_HOSTS = ["cite.example.org", "10.0.0.7"]
    settings.RESOURCES_OAI_NAMESPACE = "cite.example.org"
    record = make_record(visibility="public")
    for host in ("cite.example.org", "10.0.0.7"):
        response = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, HTTP_HOST=host)
        document = etree.fromstring(response.content)
        assert identifiers(document) == [f"oai:cite.example.org:{record.uuid}"]
