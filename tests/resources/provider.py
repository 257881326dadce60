"""Test doubles for the harvester: a small OAI-PMH provider on 127.0.0.1 serving canned answers, and a second,
independent cite (its own database, its own server process) for the end-to-end harvest."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

ROOT = Path(__file__).resolve().parents[2]

IDENTIFY = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2025-01-01T00:00:00Z</responseDate>
<request verb="Identify">http://127.0.0.1/oai</request><Identify><repositoryName>Fake</repositoryName>
<baseURL>http://127.0.0.1/oai</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>a@example.org</adminEmail>
<earliestDatestamp>2000-01-01T00:00:00Z</earliestDatestamp><deletedRecord>persistent</deletedRecord>
<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify></OAI-PMH>"""


def list_records(records, token=None):
    tail = f'<resumptionToken completeListSize="9">{token}</resumptionToken>' if token else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2025-01-02T03:04:05Z</responseDate>
<request verb="ListRecords">http://127.0.0.1/oai</request><ListRecords>{"".join(records)}{tail}</ListRecords></OAI-PMH>"""


def dc_record(identifier, *, title="Titre", subjects=(), sets=(), deleted=False, datestamp="2025-01-01T00:00:00Z"):
    specs = "".join(f"<setSpec>{spec}</setSpec>" for spec in sets)
    if deleted:
        return (
            f'<record><header status="deleted"><identifier>{identifier}</identifier>'
            f"<datestamp>{datestamp}</datestamp>{specs}</header></record>"
        )
    title_element = f"<dc:title>{title}</dc:title>" if title else ""
    subject_elements = "".join(f"<dc:subject>{subject}</dc:subject>" for subject in subjects)
    return f"""<record><header><identifier>{identifier}</identifier><datestamp>{datestamp}</datestamp>{specs}</header>
<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
{title_element}<dc:language>fre</dc:language><dc:type>MovingImage</dc:type>{subject_elements}
<dc:identifier>https://example.org/{identifier}</dc:identifier><dc:date>2024-05-17T00:00:00Z</dc:date>
</oai_dc:dc></metadata></record>"""


@dataclass
class Answer:
    """A page served with a status of its own, or trickled out one byte every `trickle` seconds."""

    body: str
    status: int = 200
    trickle: float = 0.0


class FakeProvider:
    """Serves `pages` (a list of ListRecords bodies or Answers, chained by tokens page1, page2…) and
    Identify."""

    def __init__(self, pages, *, delay=0.0):
        self.pages = pages
        self.delay = delay
        self.requests = []
        self.stopping = threading.Event()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
                provider.requests.append(query)
                time.sleep(provider.delay)
                if query.get("verb") == "Identify":
                    body = IDENTIFY
                elif "resumptionToken" in query:
                    body = provider.pages[int(query["resumptionToken"].removeprefix("page"))]
                else:
                    body = provider.pages[0]
                answer = body if isinstance(body, Answer) else Answer(body)
                data = answer.body.encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "text/xml; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if not answer.trickle:
                        self.wfile.write(data)
                    for index in range(len(data) if answer.trickle else 0):
                        if provider.stopping.is_set():
                            break
                        self.wfile.write(data[index : index + 1])
                        self.wfile.flush()
                        time.sleep(answer.trickle)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the harvester gave up waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/oai"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict, name):
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port = settings_dict.get("HOST") or "", settings_dict.get("PORT") or "5432"
    if host.startswith("/"):  # the embedded PostgreSQL's socket folder
        return f"postgres://{credentials}:{port}/{name}?host={quote(host)}"
    return f"postgres://{credentials}{host or '127.0.0.1'}:{port}/{name}"


class SisterCite:
    """Another cite, with its own database and its own server process on 127.0.0.1."""

    def __init__(self, settings_dict):
        import psycopg

        self.settings_dict = settings_dict
        self.name = f"{settings_dict['NAME']}_sister"
        self.psycopg = psycopg
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/oai"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(settings_dict, self.name),
            "SECRET_KEY": "sister-centre-test-secret-key-0123456789abcdefghijklmnop",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "MFA_REQUIRED_GROUPS": "",
            "CENTRE_NAME": "Cité des métiers sœur",
            "RESOURCES_OAI_NAMESPACE": "soeur.example.org",  # its own, stable, whatever the host asked
            "LOG_LEVEL": "WARNING",
        }
        self.server = None

    def _admin(self, sql):
        params = {
            "dbname": "postgres",
            "user": self.settings_dict.get("USER") or None,
            "password": self.settings_dict.get("PASSWORD") or None,
            "host": self.settings_dict.get("HOST") or None,
            "port": self.settings_dict.get("PORT") or None,
        }
        with self.psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as connection:
            connection.execute(sql)

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def python(self, code):
        """Run `code` inside the sister's Django (its own database)."""
        return self.manage("shell", "-c", code)

    def __enter__(self):
        """The sister's database is a copy of the test database's schema, emptied: the same migrations
        (the test database was just built by them), without running them again (17 s of CPU)."""
        from django.db import connections

        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        connections.close_all()  # a template database must have no other session while it is copied
        self._admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.settings_dict["NAME"]}"')
        self.manage("flush", "--noinput", "--verbosity", "0")  # the test's own rows are not the sister's
        return self

    def start(self):
        self.server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the sister centre's server did not start")

    def __exit__(self, *exc):
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=20)
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
