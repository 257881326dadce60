"""Hostile input on the library: the catalogues' search, facets, sort and page, the record form and
its files, the CSV import, the occupation search and type-ahead, and every OAI-PMH argument."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from resources.languages import LANGUAGE_CHOICES
from resources.models import Record
from tests.fuzz import (
    assert_handled,
    field,
    form_data,
    fuzz,
    logged_in,
    pks,
    raw_query,
    refused_with_a_reason,
    rolled_back,
)
from tests.resources.conftest import make_record

NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}


def choices(values):
    return st.sampled_from([value for value, _ in values])


@pytest.fixture
def library(reference, areas):
    records = [
        make_record(title="Devenir plombier", keywords=["plomberie"]),
        make_record(title="Trouver une alternance", kind=Record.Kind.WEBSITE, visibility="network"),
        make_record(title="Fiche interne", visibility="internal", language="en"),
    ]
    records[0].areas.set(areas.values())
    records[0].occupations.set([reference["plumber"]])
    return records


def catalogue_filters(areas, reference):
    return form_data(
        q=field(st.sampled_from(["plombier", "plombeir", "alternance -stage", '"fiche métier"', "a OR b"])),
        kind=field(choices(Record.Kind.choices)),
        theme=field(st.sampled_from([area.code for area in areas.values()])),
        audience=field(choices(Record.Audience.choices)),
        language=field(choices(LANGUAGE_CHOICES)),
        group=field(st.sampled_from(["7", "71", "7126", "2423"])),
        occupation=field(pks(reference["plumber"])),
        centre=field(st.sampled_from(["local", "1"])),
        visibility=field(choices(Record.Visibility.choices)),
        sort=field(st.sampled_from(["relevance", "newest", "title", "date"])),
        page=field(st.integers(min_value=-3, max_value=10**30).map(str), st.just("last")),
    )


@pytest.mark.parametrize("url", ["/resources/records/", "/resources/public/", "/resources/records/export.csv"])
@fuzz
@given(data=st.data())
def test_the_catalogues_accept_any_search_facet_sort_and_page(
    client, back_office, library, areas, reference, url, data
):
    logged_in(client, back_office)
    with rolled_back():
        if data.draw(st.integers(0, 4)):
            response = client.get(url, data.draw(catalogue_filters(areas, reference)))
        else:
            response = client.get(url + "?" + data.draw(raw_query()))
        assert_handled(response)
        assert response.status_code == 200


@fuzz
@given(data=st.data())
def test_the_record_form_refuses_any_input_cleanly(client, back_office, library, areas, reference, data):
    logged_in(client, back_office)
    record = form_data(
        title=field(st.text(min_size=1, max_size=50)),
        description=field(st.text(max_size=200)),
        kind=field(choices(Record.Kind.choices)),
        language=field(choices(LANGUAGE_CHOICES)),
        creator=field(),
        publisher=field(),
        date=field(st.sampled_from(["2024", "2024-05", "2024-05-17", "17/05/2024"])),
        format=field(),
        identifier=field(),
        source=field(),
        rights=field(),
        url=field(st.sampled_from(["https://example.org/a", "example.org", "ftp://x", "http://[::1"])),
        areas=field(pks(*areas.values())),
        keywords=field(st.sampled_from(["cv, lettre", ",,,", '"a,b", c'])),
        coverage=field(),
        audiences=field(choices(Record.Audience.choices)),
        occupations=field(pks(reference["plumber"])),
        isco_groups=field(pks(reference["7"])),
        visibility=field(choices(Record.Visibility.choices)),
    )
    posted = data.draw(record) | {"csrfmiddlewaretoken": "x"}  # a browser's POST is never empty
    if data.draw(st.integers(0, 3)) == 0:
        posted["new_files"] = SimpleUploadedFile(
            data.draw(st.sampled_from(["fiche.pdf", "image.png", "notes.txt", "x.svg", "a.docx"])),
            data.draw(st.binary(max_size=1_000)),
        )
    url = data.draw(st.sampled_from(["/resources/records/new/", f"/resources/records/{library[0].uuid}/edit/"]))
    with rolled_back():
        response = client.post(url, posted)
        assert_handled(response, form=True)
        if response.status_code in {200, 400}:
            assert refused_with_a_reason(response.content.decode())


@fuzz
@given(content=st.one_of(st.binary(max_size=2_000), st.text(max_size=2_000).map(str.encode)), name=field())
def test_the_csv_import_refuses_any_file_cleanly(client, back_office, areas, content, name):
    logged_in(client, back_office)
    name = os.path.basename(str(name)[:200].replace("\x00", "")).strip(". ") or "x"  # what a browser sends
    upload = SimpleUploadedFile(name, content)
    with rolled_back():
        response = client.post("/resources/records/import/", {"file": upload})
        assert_handled(response, form=True)


@fuzz
@given(data=st.data())
def test_the_occupation_search_and_type_ahead_accept_any_text(client, counsellor, reference, data):
    logged_in(client, counsellor)
    query = data.draw(field(st.sampled_from(["plombier", "plombeir", "7126", "conseil"])))
    kind = data.draw(field(st.sampled_from(["", "group", "occupation"])))
    if data.draw(st.booleans()):
        response = client.get("/resources/occupations/", {"q": query})
        assert_handled(response)
        assert response.status_code == 200
    else:
        response = client.get("/resources/occupations/lookup/", {"q": query, "kind": kind})
        assert response.status_code == 200
        assert "results" in response.json()
    code = data.draw(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"), max_size=8))
    if code.strip() and code not in {".", ".."}:
        from urllib.parse import quote

        assert client.get(f"/resources/occupations/groups/{quote(code, safe='')}/").status_code in {200, 404}


def oai_arguments(library):
    identifier = st.sampled_from([f"oai:testserver:{record.uuid}" for record in library])
    dates = st.one_of(
        st.dates().map(str),
        st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")),
        st.sampled_from(["9999-12-31", "9999-12-31T23:59:59Z", "0001-01-01", "2024-02-30", "2024-13-01"]),
    )
    return form_data(
        verb=field(st.sampled_from(["Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers"])),
        identifier=field(identifier),
        metadataPrefix=field(st.sampled_from(["oai_dc", "marc21"])),
        set=field(st.sampled_from(["theme", "theme:find-job", "kind:guide", "visibility:public", "audience:x"])),
        **{"from": field(dates), "until": field(dates)},
        resumptionToken=field(
            st.binary(max_size=200).map(lambda raw: raw.hex()),
            st.sampled_from(["x" * 100_000, ".eJyrVkrLz1eyUkpKLFKqBQAvJAWt:1:forged"]),
        ),
    )


@fuzz
@given(data=st.data())
def test_oai_pmh_answers_any_argument_with_a_valid_response_or_error(client, library, data):
    arguments = data.draw(oai_arguments(library))
    if data.draw(st.integers(0, 9)) == 0:  # an argument of any name, sometimes repeated
        arguments[data.draw(st.text(min_size=1, max_size=20))] = data.draw(field())
    method = data.draw(st.sampled_from(["get", "post"]))
    response = getattr(client, method)("/oai", arguments)
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    assert document.find("oai:responseDate", NS) is not None
    errors = document.findall("oai:error", NS)
    assert all(error.get("code") and error.text for error in errors)


@fuzz
@given(token=st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda raw: raw.decode("latin-1"))))
def test_forged_resumption_tokens_are_refused_as_bad_tokens(client, library, token):
    document = etree.fromstring(client.get("/oai", {"verb": "ListRecords", "resumptionToken": token}).content)
    assert document.find("oai:error", NS).get("code") in {"badResumptionToken", "badArgument"}
