"""A well-kept OAI-PMH client library (oaipmh-scythe) harvests our /oai over HTTP: every record, across
resumption tokens, deletions included."""

import pytest
from django.conf import settings
from oaipmh_scythe import Scythe

from resources.models import Record
from resources.services import delete_record
from tests.resources.conftest import make_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_oaipmh_scythe_harvests_every_record_across_resumption_tokens_with_deletions(live_server, areas):
    published = [
        Record(title=f"Fiche {number}", visibility="public" if number % 2 else "network", was_published=True)
        for number in range(230)
    ]
    Record.objects.bulk_create(published)
    make_record(title="Interne", visibility="internal")
    gone = make_record(title="Supprimée", visibility="public", areas=[areas["find-job"]])
    delete_record(record=gone)

    with Scythe(f"{live_server.url}/oai") as scythe:
        identify = scythe.identify()
        assert identify.deletedRecord == "persistent"
        records = list(scythe.list_records(metadata_prefix="oai_dc"))
        headers = list(scythe.list_identifiers(metadata_prefix="oai_dc", set_="theme:find-job"))
        sets = [item.setSpec for item in scythe.list_sets()]

    assert len(records) == 231  # 230 published and one tombstone, over three pages of at most 100
    deleted = [record for record in records if record.deleted]
    assert [record.header.identifier for record in deleted] == [
        f"oai:{settings.RESOURCES_OAI_NAMESPACE}:{gone.uuid}"  # never the name the harvester used
    ]
    titles = {record.metadata["title"][0] for record in records if not record.deleted}
    assert titles == {f"Fiche {number}" for number in range(230)}
    assert [header.deleted for header in headers] == [True]
    assert "theme:find-job" in sets
