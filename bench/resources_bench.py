"""Benchmark of the library at scale: search latency and a full OAI-PMH harvest over 100 000 records.

Run against a database of its own (it fills it), for example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cite_resources_bench \\
        .venv/bin/python bench/resources_bench.py --records 100000

It migrates, imports ESCO (../shared/data/esco when present), generates the records once (kept for
the next run), then prints the p50/p95 of catalogue searches (the search's own queries, and the whole
page: search, count, facets, highlights, rendering), each also as so many times the p50/p95 of a bare
view (/bench/bare, bench/urls.py) measured in the same process before and after them, and the time
oaipmh-scythe takes to harvest every record through /oai.
"""

import argparse
import os
import random
import statistics
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

from common import ROOT, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from cite.models import Area  # noqa: E402
from resources.models import Occupation, Record  # noqa: E402
from resources.services import refresh_search_index  # noqa: E402

BENCH_MARK = "bench"  # the `source` of generated records, to find them again
# Realistic text: titles from templates around ESCO occupations (their labels in the record's
# language), descriptions from ESCO's own descriptions and from a list of topics, so that words
# are spread the way they are in a real catalogue (a few common, most rare).
TITLES = {
    "fr": ["Fiche métier : {o}", "Devenir {o}", "{o} : témoignages", "Se former pour devenir {o}", "{o} en vidéo"],
    "en": ["{o}: occupation profile", "Becoming a {o}", "{o}: testimonies", "Training to become a {o}"],
    "es": ["Ficha de ocupación: {o}", "Ser {o}", "{o}: testimonios"],
}
TOPICS = {
    "fr": [
        "Réussir son CV",
        "Préparer un entretien d'embauche",
        "La validation des acquis de l'expérience",
        "Le compte personnel de formation",
        "Créer son entreprise",
        "L'apprentissage, mode d'emploi",
        "Travailler en Europe",
        "Le bilan de compétences",
        "Se reconvertir après 45 ans",
        "Les métiers qui recrutent",
        "Financer sa formation",
        "Le contrat de professionnalisation",
        "Trouver un stage",
        "S'orienter après le bac",
        "Les salons et forums de l'emploi",
        "Le handicap au travail",
        "La mobilité internationale des jeunes",
        "Négocier son salaire",
        "Les réseaux sociaux professionnels",
        "Le service civique",
    ],
    "en": [
        "Writing a CV",
        "Job interview skills",
        "Apprenticeships explained",
        "Starting a business",
        "Working abroad",
        "Changing careers",
        "Funding your training",
        "Finding an internship",
        "Careers guidance for young people",
        "Labour market information",
    ],
    "es": ["Preparar una entrevista", "Buscar empleo en Europa", "La formación profesional"],
}
DETAILS = {
    "fr": "Les étapes, les organismes à contacter, des exemples concrets et les questions à se poser. {t}.",
    "en": "The steps, who to contact, concrete examples and the questions to ask yourself. {t}.",
    "es": "Los pasos, a quién contactar, ejemplos concretos y las preguntas que hacerse. {t}.",
}
# What visitors and counsellors type: occupations (with and without accents, misspelt), topics, in
# French and English, and two broad words that match a large part of the catalogue.
QUERIES = [
    "plombier",
    "infirmière",
    "infirmiere",
    "conseilller en insertion",
    "développeur web",
    "boulanger",
    "aide à domicile",
    "electricien",
    "apprentissage",
    "entretien d'embauche",
    "validation des acquis",
    "reconversion",
    "créer son entreprise",
    "nurse",
    "software developer",
    "career guidance",
    "working abroad",
    "cuisinier",
    "métier",
    "formation",
]


def ensure_reference():
    if Occupation.objects.exists():
        return
    esco = ROOT.parent / "shared" / "data" / "esco"
    if esco.is_dir():
        call_command("import_esco", str(esco), verbosity=0)
    else:
        from resources.demo import _write_demo_reference

        call_command("import_esco", str(_write_demo_reference()), verbosity=0)


def make_record(rng, occupations, language, kinds, audiences):
    occupation = rng.choice(occupations) if rng.random() < 0.6 else None
    topic = rng.choice(TOPICS[language])
    if occupation:
        _pk, labels, alt_labels, descriptions = occupation
        name = labels.get(language) or labels.get("en", "")
        title = rng.choice(TITLES[language]).format(o=name)
        others = ", ".join(alt_labels.get(language, [])[:4])
        description = (descriptions.get(language) or descriptions.get("en") or "")[:600] + (
            f" {others}." if others else ""
        )
        kind = rng.choice(["occupation-sheet", "occupation-sheet", "video", "guide"])
    else:
        title, description = topic, DETAILS[language].format(t=rng.choice(TOPICS[language]))
        kind = rng.choice(kinds)
    return Record(
        title=title[:300],
        description=description,
        creator=rng.choice(["Onisep", "France Travail", "Cité des métiers", "APEC", "Cedefop", "Carif-Oref"]),
        date=f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}",
        kind=kind,
        language=language,
        keywords=rng.sample([t.split()[-1].lower() for t in TOPICS[language]], 2),
        audiences=rng.sample(audiences, rng.randint(0, 2)),
        visibility=rng.choices(["public", "network", "internal"], weights=[50, 30, 20])[0],
        source=BENCH_MARK,
    ), (occupation[0] if occupation else None)


def generate(count):
    existing = Record.objects.filter(source=BENCH_MARK).count()
    if existing >= count:
        print(f"{existing} generated records already there")
        build_index()
        return
    rng = random.Random(2026)
    areas = list(Area.objects.all()) or [
        Area.objects.create(code="find-job", letter="C", name_fr="Trouver un emploi", name_en="Find a job"),
        Area.objects.create(code="choose-path", letter="A", name_fr="Choisir son orientation", name_en="Choose a path"),
    ]
    occupations = list(Occupation.objects.values_list("id", "labels", "alt_labels", "descriptions"))
    kinds = Record.Kind.values
    audiences = Record.Audience.values
    started = time.perf_counter()
    batch = 5000
    for offset in range(existing, count, batch):
        made = [
            make_record(rng, occupations, rng.choices(["fr", "en", "es"], weights=[70, 25, 5])[0], kinds, audiences)
            for _number in range(offset, min(offset + batch, count))
        ]
        rows = [record for record, _job in made]
        with transaction.atomic():
            for record in rows:
                record.was_published = record.visibility != "internal"
            created = Record.objects.bulk_create(rows)
            Record.areas.through.objects.bulk_create(
                [Record.areas.through(record_id=record.pk, area_id=rng.choice(areas).pk) for record in created]
            )
            Record.occupations.through.objects.bulk_create(
                [
                    Record.occupations.through(record_id=record.pk, occupation_id=job)
                    for record, (_row, job) in zip(created, made, strict=True)
                    if job
                ]
            )
        print(f"\r{min(offset + batch, count)} records", end="", flush=True)
    print(f"\ngenerated in {time.perf_counter() - started:.0f} s")
    build_index()


def build_index():
    missing = list(Record.objects.filter(source=BENCH_MARK, search_vector__isnull=True).values_list("id", flat=True))
    if not missing:
        return
    with connection.cursor() as cursor:
        for table in ("resources_record", "resources_record_areas", "resources_record_occupations"):
            cursor.execute(f"ANALYZE {table}")
    started = time.perf_counter()
    refresh_search_index(record_ids=missing)
    print(f"search index of {len(missing)} records built in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE resources_record")
        cursor.execute("VACUUM ANALYZE resources_record_areas")
        cursor.execute("VACUUM ANALYZE resources_record_occupations")


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


def bench_bare(client, count=200):
    """The bare view (/bench/bare: a fixed string through the whole middleware stack, bench/urls.py)
    in this process: the framework's own time, which the pages are compared with."""
    from django.test.utils import override_settings

    timings = []
    with override_settings(ROOT_URLCONF="bench.urls"):
        for _number in range(count):
            started = time.perf_counter()
            response = client.get("/bench/bare")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    return timings


def bench_search_queries(rounds):
    """The search's own queries, as the public catalogue runs them for its first page: the words parsed,
    then the total, the facet counts and the first page of ids in relevance (exact, or estimated on the
    sample for a broad search: resources.selectors.search_catalogue). Without the listing, highlights and
    rendering."""
    from resources.filters import RecordFilter
    from resources.selectors import search_catalogue

    timings, by_query, found = [], {}, {}
    for _round in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            filterset = RecordFilter({"q": query}, queryset=Record.objects.public(), public=True)
            result = search_catalogue(
                filterset.qs, tsquery=filterset.tsquery, ordering=filterset.ordering, page=None, page_size=20
            )
            timings.append((time.perf_counter() - started) * 1000)
            found[query] = f"{'about ' if result.estimated else ''}{result.total}"
            by_query.setdefault(query, []).append(timings[-1])
    slowest = sorted(by_query, key=lambda query: -statistics.median(by_query[query]))[:4]
    print(
        "  slowest words (median, public records found): "
        + "; ".join(f"{query} {statistics.median(by_query[query]):.0f} ms, {found[query]}" for query in slowest)
    )
    return timings


def bench_search(rounds):
    """The catalogue pages as visitors and staff load them. The first round of each page meets an empty
    cache (every search computed); the next rounds repeat the same searches within
    RESOURCES_SEARCH_CACHE_SECONDS, as a centre's visitors repeat the common words. Both are printed,
    with the bare view measured in the same run, before and after, for the ratios."""
    from django.conf import settings
    from django.core.cache import caches

    print(f"load average at the start: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    client = Client()
    bare = bench_bare(client)
    timings = {("query only", "every search computed"): bench_search_queries(rounds)}
    from cite.models import User

    staff = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench@example.org", "bench-password-0123"
    )
    staff_client = Client()
    staff_client.force_login(staff)
    settings.RESOURCES_SEARCH_CACHE_SECONDS = 0
    for query in QUERIES:  # warm up PostgreSQL's and Django's own caches once, without keeping results
        client.get("/resources/public/", {"q": query})
    for cached in (False, True):
        settings.RESOURCES_SEARCH_CACHE_SECONDS = 60 if cached else 0
        caches["search"].clear()
        for _round in range(rounds):
            for query in QUERIES:
                for name, which, url in (
                    ("public", client, "/resources/public/"),
                    ("staff", staff_client, "/resources/records/"),
                ):
                    started = time.perf_counter()
                    response = which.get(url, {"q": query})
                    elapsed = (time.perf_counter() - started) * 1000
                    assert response.status_code == 200, response.status_code
                    mode = (
                        "every search computed" if not cached else ("cached, first" if _round == 0 else "cached, again")
                    )
                    timings.setdefault((name, mode), []).append(elapsed)
                    if cached:
                        timings.setdefault((name, "cached, all rounds"), []).append(elapsed)
    bare += bench_bare(client)
    bare_p50, bare_p95 = statistics.median(bare), percentile(bare, 0.95)
    print(f"bare view (before and after; {len(bare)} requests): p50 {bare_p50:.2f} ms, p95 {bare_p95:.2f} ms")
    for (name, mode), values in timings.items():
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        what = (
            "search, query only (parse, total, facets, first ranked page)"
            if name == "query only"
            else f"{name} catalogue page (facets, highlights, rendering)"
        )
        print(
            f"{what} ({mode}; {len(values)} requests): p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
            f"{p50 / bare_p50:.1f}× / {p95 / bare_p95:.1f}× the bare view's"
        )
    print(f"load average at the end: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def bench_harvest():
    from django.core.handlers.wsgi import WSGIHandler
    from oaipmh_scythe import HTTPConfig, Scythe

    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/oai"
    expected = Record.all_objects.for_oai().count()
    started = time.perf_counter()
    harvested = 0
    with Scythe(url, http_config=HTTPConfig(timeout=120)) as scythe:
        for _record in scythe.list_records(metadata_prefix="oai_dc"):
            harvested += 1
    elapsed = time.perf_counter() - started
    server.shutdown()
    print(f"full ListRecords harvest with oaipmh-scythe: {harvested} records ({expected} expected) in {elapsed:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5, help="Times each of the 20 queries is run.")
    parser.add_argument("--no-harvest", action="store_true")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    ensure_reference()
    generate(options.records)
    print(f"{Record.objects.count()} live records, {Record.all_objects.for_oai().count()} published over OAI-PMH")
    bench_search(options.rounds)
    if not options.no_harvest:
        bench_harvest()


if __name__ == "__main__":
    main()
