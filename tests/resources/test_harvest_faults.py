"""What a real network does to the harvester, and that no fault ever stops it for good: a record the
database refuses, XML broken in the middle of a list, a server error, a provider that trickles its
answer, a harvest killed by the system, and a first centre failing before a second one."""

import io
import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import DataError, connection

from cite.models import Centre
from resources import harvest
from resources.harvest import HARVEST_LOCK, HarvestAlreadyRunning, harvest_centre, last_datestamp
from resources.models import HarvestRecordError, HarvestRun, Record
from tests.resources.provider import ROOT, Answer, FakeProvider, database_url, dc_record, list_records

pytestmark = pytest.mark.django_db


def test_a_record_whose_identifier_is_too_long_is_written_down_and_the_run_goes_on(sister):
    long_identifier = "oai:ge:" + "x" * 600
    page = list_records([dc_record(long_identifier), dc_record("oai:ge:2", title="Bon")])
    with FakeProvider([page]) as provider:
        sister.oai_base_url = provider.url
        run = harvest_centre(centre=sister)

    assert (run.status, run.created, run.failed) == ("succeeded", 1, 1)
    error = HarvestRecordError.objects.get(run=run)
    assert error.identifier == long_identifier[:500]
    assert "500" in error.message
    assert Record.objects.get(source_centre=sister).title == "Bon"
    assert not HarvestRun.objects.filter(status=HarvestRun.Status.RUNNING).exists()


def test_any_fault_of_one_record_is_written_down_and_the_run_goes_on(sister, monkeypatch):
    """A value the database refuses, or a bug met on an odd record: not only ValueError."""
    real_map = harvest.map_record

    def map_record(harvested, **lookups):
        if harvested.identifier == "oai:ge:1":
            raise DataError("value too long for type character varying(300)")
        if harvested.identifier == "oai:ge:2":
            raise KeyError("surprise")
        return real_map(harvested, **lookups)

    monkeypatch.setattr(harvest, "map_record", map_record)
    page = list_records([dc_record("oai:ge:1"), dc_record("oai:ge:2"), dc_record("oai:ge:3", title="Bon")])
    with FakeProvider([page]) as provider:
        sister.oai_base_url = provider.url
        run = harvest_centre(centre=sister)

    assert (run.status, run.created, run.failed) == ("succeeded", 1, 2)
    messages = dict(HarvestRecordError.objects.filter(run=run).values_list("identifier", "message"))
    assert messages["oai:ge:1"].startswith("DataError")
    assert messages["oai:ge:2"].startswith("KeyError")


def test_xml_broken_in_the_middle_of_a_list_fails_the_run_and_keeps_what_was_taken(sister):
    pages = [
        list_records([dc_record("oai:ge:1", title="Premier")], token="page1"),
        list_records([dc_record("oai:ge:2")]).replace("</ListRecords></OAI-PMH>", "<ListRec"),
    ]
    with FakeProvider(pages) as provider:
        sister.oai_base_url = provider.url
        run = harvest_centre(centre=sister)

    assert run.status == HarvestRun.Status.FAILED
    assert "XML" in run.message
    assert run.created == 1
    assert Record.objects.get(source_centre=sister).title == "Premier"
    # Not a success: the next harvest starts from the same point again, so nothing is skipped.
    assert last_datestamp(sister) is None


def test_a_server_error_fails_the_run_with_its_status(sister):
    with FakeProvider([Answer("<html><body>Internal Server Error</body></html>", status=500)]) as provider:
        sister.oai_base_url = provider.url
        run = harvest_centre(centre=sister)
    assert run.status == HarvestRun.Status.FAILED
    assert "500" in run.message
    assert "XML" not in run.message
    assert run.finished_at is not None


def test_a_provider_trickling_its_answer_is_stopped_by_the_harvest_deadline(sister, settings):
    """One byte every 0.1 s never trips the per-read timeout; the deadline of the whole harvest does."""
    settings.RESOURCES_HARVEST_TIMEOUT = 1
    settings.RESOURCES_HARVEST_DEADLINE_MINUTES = 1.5 / 60
    endless = Answer(list_records([dc_record(f"oai:ge:{number}") for number in range(20)]), trickle=0.1)
    with FakeProvider([endless]) as provider:
        sister.oai_base_url = provider.url
        started = time.monotonic()
        run = harvest_centre(centre=sister)
        elapsed = time.monotonic() - started

    assert elapsed < 5, elapsed  # the whole answer would take over 7 minutes
    assert run.status == HarvestRun.Status.FAILED
    assert "minutes" in run.message
    assert not HarvestRun.objects.filter(status=HarvestRun.Status.RUNNING).exists()


def _hold_lock_from_another_connection(centre):
    params = connection.get_connection_params()
    other = psycopg.connect(**{key: value for key, value in params.items() if key != "cursor_factory"}, autocommit=True)
    assert other.execute("SELECT pg_try_advisory_lock(%s, %s)", [HARVEST_LOCK, centre.pk]).fetchone()[0]
    return other


def test_two_harvests_of_one_centre_never_run_at_once(sister):
    other = _hold_lock_from_another_connection(sister)
    try:
        with pytest.raises(HarvestAlreadyRunning):
            harvest_centre(centre=sister)
    finally:
        other.close()
    assert not HarvestRun.objects.exists()


KILLED = """
import time
from cite.models import Centre
from resources.harvest import harvest_lock, start_run
centre = Centre.objects.get(pk={pk})
with harvest_lock(centre=centre):
    start_run(centre=centre)
    print("holding", flush=True)
    time.sleep(600)
"""


@pytest.mark.django_db(transaction=True)
def test_a_harvest_killed_by_the_system_never_blocks_the_next_one(sister):
    """kill -9 runs no cleanup: the run stays marked running, but its lock goes with its connection."""
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict, connection.settings_dict["NAME"])}
    env.pop("DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", KILLED.format(pk=sister.pk)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "holding", process.stderr.read()
        with pytest.raises(HarvestAlreadyRunning):
            harvest_centre(centre=sister)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()
    interrupted = HarvestRun.objects.get()
    assert interrupted.status == HarvestRun.Status.RUNNING  # what the dead process left behind

    with FakeProvider([list_records([dc_record("oai:ge:1")])]) as provider:
        sister.oai_base_url = provider.url
        deadline = time.monotonic() + 10
        while True:  # PostgreSQL notices the dead client within moments
            try:
                run = harvest_centre(centre=sister)
                break
            except HarvestAlreadyRunning:
                assert time.monotonic() < deadline, "the killed harvest's lock was never released"
                time.sleep(0.1)

    assert (run.status, run.created) == ("succeeded", 1)
    interrupted.refresh_from_db()
    assert interrupted.status == HarvestRun.Status.FAILED
    assert "Interrupted" in interrupted.message or "interrompu" in interrupted.message.lower()


def test_a_first_centre_failing_never_stops_the_second_and_the_command_exits_non_zero(sister):
    broken = Centre.objects.create(name="Cité des métiers A (en panne)", country="FR", oai_base_url="")
    locked = Centre.objects.create(name="Cité des métiers B (occupée)", country="FR", oai_base_url="")
    sister.name = "Cité des métiers C"
    with (
        FakeProvider([Answer("<html>Bad gateway</html>", status=502)]) as failing,
        FakeProvider([list_records([dc_record("oai:ge:1")])]) as working,
    ):
        broken.oai_base_url = failing.url
        broken.save()
        locked.oai_base_url = working.url
        locked.save()
        sister.oai_base_url = working.url
        sister.save()
        other = _hold_lock_from_another_connection(locked)
        out, err = io.StringIO(), io.StringIO()
        try:
            with pytest.raises(CommandError, match="2 centre"):
                call_command("harvest_centres", verbosity=1, stdout=out, stderr=err)
        finally:
            other.close()

    assert Record.objects.filter(source_centre=sister).count() == 1  # sorted after the two that failed
    assert "Cité des métiers A (en panne)" in err.getvalue() and "502" in err.getvalue()
    assert "Cité des métiers B (occupée)" in err.getvalue()
    assert "Cité des métiers C" in out.getvalue() and "1 created" in out.getvalue()
