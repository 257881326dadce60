"""The harvester: incremental, upserting by OAI identifier, applying deletions, recording per-record errors,
timing out cleanly, parsing safely; and end to end against a second, independent cite."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils.translation import gettext
from lxml import etree

from resources.harvest import UnsafeXML, harvest_centre, parse_xml
from resources.models import HarvestRecordError, HarvestRun, Record
from tests.resources.conftest import PLUMBER
from tests.resources.provider import FakeProvider, SisterCite, dc_record, list_records

pytestmark = pytest.mark.django_db


def test_a_harvest_upserts_maps_dublin_core_and_keeps_provenance(sister, areas, reference):
    page = list_records(
        [
            dc_record(
                "oai:ge:1",
                title="Plombier en Suisse",
                subjects=[PLUMBER, "http://data.europa.eu/esco/isco/C2423", "bâtiment"],
                sets=["theme:find-job", "kind:occupation-sheet", "audience:young-people", "visibility:public"],
            ),
            dc_record("oai:ge:2", title="Vidéo", sets=["visibility:network"]),
        ]
    )
    with FakeProvider([page]) as provider:
        sister.oai_base_url = provider.url
        run = harvest_centre(centre=sister)

    assert (run.status, run.created, run.failed) == ("succeeded", 2, 0)
    record = Record.objects.get(origin_identifier="oai:ge:1")
    assert record.source_centre == sister
    assert record.is_harvested
    assert record.title == "Plombier en Suisse"
    assert record.kind == "occupation-sheet"
    assert record.visibility == "public"
    assert record.language == "fr"  # from "fre"
    assert record.date == "2024-05-17"
    assert record.url == "https://example.org/oai:ge:1"
    assert record.keywords == ["bâtiment"]
    assert record.audiences == ["young-people"]
    assert list(record.areas.all()) == [areas["find-job"]]
    assert list(record.occupations.all()) == [reference["plumber"]]
    assert list(record.isco_groups.all()) == [reference["2423"]]
    assert record.origin_datestamp.year == 2025
    video = Record.objects.get(origin_identifier="oai:ge:2")
    assert (video.kind, video.visibility) == ("video", "network")  # DCMI MovingImage
    assert run.next_from.isoformat() == "2025-01-02T03:04:05+00:00"  # the provider's response date


def test_the_next_harvest_is_incremental_updates_and_applies_deletions(sister):
    first = list_records([dc_record("oai:ge:1", title="Ancien"), dc_record("oai:ge:2")])
    with FakeProvider([first]) as provider:
        sister.oai_base_url = provider.url
        harvest_centre(centre=sister)
    second = list_records(
        [dc_record("oai:ge:1", title="Nouveau", datestamp="2025-02-01T00:00:00Z"), dc_record("oai:ge:2", deleted=True)]
    )
    with FakeProvider([second]) as provider:
        sister.oai_base_url = provider.url
        run = harvest_centre(centre=sister)
        asked = provider.requests[-1]

    assert asked["from"] == "2025-01-02T03:04:05Z"
    assert (run.created, run.updated, run.deleted) == (0, 1, 1)
    assert Record.objects.get(origin_identifier="oai:ge:1").title == "Nouveau"
    assert not Record.all_objects.filter(origin_identifier="oai:ge:2").exists()


def test_resumption_tokens_are_followed_and_progress_reported(sister):
    pages = [
        list_records([dc_record("oai:ge:1")], token="page1"),
        list_records([dc_record("oai:ge:2")], token="page2"),
        list_records([dc_record("oai:ge:3")]),
    ]
    progress = []
    with FakeProvider(pages) as provider:
        sister.oai_base_url = provider.url
        run = harvest_centre(centre=sister, on_progress=lambda done, total: progress.append((done, total)))
    assert run.created == 3
    assert progress == [(1, 9), (2, 9), (3, 9)]


def test_a_bad_record_is_written_down_and_the_others_are_taken(sister):
    page = list_records([dc_record("oai:ge:1", title=""), dc_record("oai:ge:2", title="Bon")])
    with FakeProvider([page]) as provider:
        sister.oai_base_url = provider.url
        run = harvest_centre(centre=sister)
    assert (run.status, run.created, run.failed) == ("succeeded", 1, 1)
    error = HarvestRecordError.objects.get(run=run)
    assert error.identifier == "oai:ge:1"
    assert error.message == gettext("The record has no title.")


def test_a_provider_that_does_not_answer_times_out_cleanly(sister, settings):
    settings.RESOURCES_HARVEST_TIMEOUT = 0.5
    with FakeProvider([list_records([dc_record("oai:ge:1")])], delay=2) as provider:
        sister.oai_base_url = provider.url
        run = harvest_centre(centre=sister)
    assert run.status == HarvestRun.Status.FAILED
    assert "0.5" in run.message
    assert run.finished_at is not None
    assert not Record.objects.exists()


def test_an_unreachable_provider_fails_the_run_without_raising(sister):
    sister.oai_base_url = "http://127.0.0.1:9/oai"  # the discard port: nothing listens
    run = harvest_centre(centre=sister)
    assert run.status == HarvestRun.Status.FAILED
    assert run.message


def test_xml_bombs_and_external_entities_are_refused(sister):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        "<responseDate>&lol3;</responseDate></OAI-PMH>"
    )
    with pytest.raises((UnsafeXML, etree.XMLSyntaxError)):
        parse_xml(bomb.encode())
    external = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises((UnsafeXML, etree.XMLSyntaxError)):
        parse_xml(external.encode())

    with FakeProvider([bomb]) as provider:
        sister.oai_base_url = provider.url
        run = harvest_centre(centre=sister)
    assert run.status == HarvestRun.Status.FAILED
    assert "root:" not in run.message


def test_the_parser_never_expands_entities_even_without_a_doctype_check():
    from resources.harvest import SAFE_PARSER

    document = etree.fromstring(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', parser=SAFE_PARSER)
    assert "root:" not in etree.tostring(document, encoding="unicode")


def test_the_command_harvests_active_centres_and_fails_loudly_when_one_fails(sister):
    with FakeProvider([list_records([dc_record("oai:ge:1")])]) as provider:
        sister.oai_base_url = provider.url
        sister.save()
        call_command("harvest_centres", verbosity=0)
    assert Record.objects.filter(source_centre=sister).count() == 1
    sister.oai_base_url = "http://127.0.0.1:9/oai"
    sister.save()
    with pytest.raises(CommandError, match="could not be harvested"):
        call_command("harvest_centres", sister.name, verbosity=0)


SISTER_SETUP = """
from resources.esco import import_esco
from resources.models import Occupation
from resources.services import create_record, delete_record
from cite.models import Area
import_esco(directory={esco!r})
area = Area.objects.create(code="find-job", letter="C", name_fr="Trouver un emploi", name_en="Find a job")
plumber = Occupation.objects.get(uri={plumber!r})
for number in range(120):
    create_record(data={{"title": f"Fiche sœur {{number}}", "language": "fr", "visibility": "network",
                        "areas": [area], "occupations": [plumber] if number == 0 else []}})
create_record(data={{"title": "Guide public", "language": "fr", "visibility": "public", "kind": "guide"}})
create_record(data={{"title": "Note interne", "language": "fr", "visibility": "internal"}})
gone = create_record(data={{"title": "Fiche retirée", "language": "fr", "visibility": "public"}})
delete_record(record=gone)
"""

SISTER_CHANGES = """
from resources.models import Record
from resources.services import delete_record, update_record
update_record(record=Record.objects.get(title="Guide public"), data={"title": "Guide public, édition 2025"})
delete_record(record=Record.objects.get(title="Fiche sœur 1"))
"""


@pytest.mark.slow  # a second cite: its own database and its own server process
@pytest.mark.django_db(transaction=True)
def test_our_harvester_harvests_a_second_independent_cite_end_to_end(sister, areas, reference, esco_dir):
    with SisterCite(connection.settings_dict) as other:
        other.python(SISTER_SETUP.format(esco=str(esco_dir), plumber=PLUMBER))
        other.start()
        sister.oai_base_url = other.url
        sister.save()

        run = harvest_centre(centre=sister)
        assert (run.status, run.created, run.failed) == ("succeeded", 121, 0), run.message
        harvested = Record.objects.filter(source_centre=sister)
        assert harvested.count() == 121  # 120 network + 1 public; the internal one and the tombstone are not here
        assert not harvested.filter(title="Note interne").exists()
        first = harvested.get(title="Fiche sœur 0")
        assert list(first.occupations.all()) == [reference["plumber"]]  # mapped by ESCO URI
        assert list(first.areas.all()) == [areas["find-job"]]  # mapped by the theme set
        assert harvested.get(title="Guide public").visibility == "public"
        assert first.origin_identifier.startswith("oai:soeur.example.org:")  # the sister's namespace

        other.python(SISTER_CHANGES)
        run = harvest_centre(centre=sister)
        assert run.harvested_from  # incremental
        assert (run.status, run.updated, run.deleted) == ("succeeded", 1, 1), run.message
        assert harvested.filter(title="Guide public, édition 2025").exists()
        assert not harvested.filter(title="Fiche sœur 1").exists()
