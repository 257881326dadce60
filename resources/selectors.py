"""Reads of the library: the occupation lookup, the catalogue search with its facets, the OAI lists.

`search_occupations` is the reusable lookup other apps (counselling, workshops) call to find an
occupation or an ISCO-08 group by any of its labels, accent- and typo-tolerant.
"""

import hashlib
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, FloatField, Prefetch, Q, Value, When
from django.db.models.functions import Concat, Length, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cite.models import Area, Centre
from resources.languages import CODES as STEMMED_LANGUAGES
from resources.languages import SIMPLE_CONFIG, all_search_configs
from resources.models import IscoGroup, Occupation, OccupationLabel, Record, label_in_language
from resources.models.records import IN_SAMPLE, SAMPLE_BUCKETS
from resources.text import normalize

# ---------------------------------------------------------------------------------------------
# The occupation lookup


MIN_QUERY_LENGTH = 3


@dataclass(frozen=True)
class OccupationMatch:
    """An occupation or an ISCO-08 group found by one of its labels."""

    concept: Occupation | IscoGroup
    matched_label: str
    score: float

    @property
    def is_group(self):
        return isinstance(self.concept, IscoGroup)

    @property
    def label(self):
        return self.concept.label

    @property
    def code(self):
        return self.concept.code if self.is_group else self.concept.group.code

    @property
    def value(self):
        """A stable key for forms: `occupation:<id>` or `group:<id>`."""
        return f"{'group' if self.is_group else 'occupation'}:{self.concept.pk}"

    @property
    def shows_other_label(self):
        return normalize(self.matched_label) not in normalize(self.label)


def search_occupations(query, *, language=None, limit=10, groups=True, occupations=True):
    """Occupations and ISCO-08 groups whose label or alternative label looks like `query`.

    Accent- and case-insensitive, tolerant of typos (trigram word similarity). Ranked so that the
    first suggestion is the one meant (arrow-down + Enter records it): the exact preferred label,
    then preferred labels starting with what was typed, then alternative names (exact, then
    starting with it), then labels containing it, then fuzzy matches. ESCO's preferred labels
    name both genders ("aide-soignant/aide-soignante"): each form counts as the label. Within a
    rank, a whole word before a longer one ("nurse assistant" before "nursery…"), a label in
    `language`, then the shorter. An ISCO code (`2166`, `0110`) finds its group. Three queries,
    whatever the number of matches.
    """
    language = (language or get_language() or "en").split("-")[0]
    text = normalize(query)
    if re.fullmatch(r"[0-9]{1,4}", text):
        found = (
            IscoGroup.objects.filter(code__startswith=text).order_by(Length("code"), "code")[:limit] if groups else []
        )
        return [OccupationMatch(group, group.label, 1.0) for group in found]
    if len(text) < MIN_QUERY_LENGTH:
        return []
    # Word similarity alone, so the trigram index answers: a prefix being typed (`plom`) is similar
    # enough to `plombier`, and a typo (`conseilller`) to `conseiller`.
    labels = OccupationLabel.objects.filter(normalized__trigram_word_similar=text)
    if not groups:
        labels = labels.filter(group__isnull=True)
    if not occupations:
        labels = labels.filter(occupation__isnull=True)
    preferred = Q(kind=OccupationLabel.Kind.PREFERRED)
    # "x/y": each gendered form of a label is the label.
    is_text = Q(normalized=text) | Q(normalized__startswith=text + "/") | Q(normalized__endswith="/" + text)
    starts = Q(normalized__startswith=text) | Q(normalized__contains="/" + text)
    whole_word = (
        is_text
        | Q(normalized__startswith=text + " ")
        | Q(normalized__contains="/" + text + " ")
        | Q(normalized__startswith=text + "/")
    )
    labels = labels.annotate(
        rank=Case(
            When(preferred & is_text, then=Value(0)),
            When(preferred & starts, then=Value(1)),
            When(is_text, then=Value(2)),
            When(starts, then=Value(3)),
            When(normalized__contains=text, then=Value(4)),
            default=Value(5),
        ),
        whole_word=Case(When(whole_word, then=Value(0)), default=Value(1)),
        in_language=Case(When(language=language, then=Value(0)), default=Value(1)),
        score=TrigramWordSimilarity(text, "normalized"),
    ).order_by("rank", "whole_word", "in_language", "-score", Length("text"), "id")
    best = {}
    for occupation_id, group_id, text_, score in labels.values_list("occupation_id", "group_id", "text", "score")[
        : limit * 10
    ]:
        key = ("occupation", occupation_id) if occupation_id else ("group", group_id)
        if key not in best:
            best[key] = (text_, score)
        if len(best) == limit:
            break
    occupation_objects = Occupation.objects.select_related("group").in_bulk(
        [pk for kind, pk in best if kind == "occupation"]
    )
    group_objects = IscoGroup.objects.in_bulk([pk for kind, pk in best if kind == "group"])
    matches = []
    for (kind, pk), (matched, score) in best.items():
        concept = (occupation_objects if kind == "occupation" else group_objects).get(pk)
        if concept is not None:
            matches.append(OccupationMatch(concept, matched, score))
    return matches


def group_children(group):
    """The sub-groups of a group, or the major groups when `group` is None."""
    children = IscoGroup.objects.filter(parent=group) if group else IscoGroup.objects.filter(level=1)
    return children.order_by("code")


def record_counts_by_group(codes):
    """{ISCO code: number of live records classified under it (at any depth)}, in one query."""
    if not codes:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT code, count(*) FROM resources_record r, unnest(r.isco_codes) code
               WHERE r.deleted_at IS NULL AND code = ANY(%s) GROUP BY code""",
            [list(codes)],
        )
        return dict(cursor.fetchall())


# ---------------------------------------------------------------------------------------------
# The catalogue


class ParsedQuery(SearchQuery):
    """A tsquery already parsed (see `parse_search`), sent as a constant: PostgreSQL then never
    re-parses and re-stems the words for each row it checks."""

    def __init__(self, tsquery):
        super().__init__(tsquery)
        self.tsquery = tsquery

    def as_sql(self, compiler, connection, *args, **kwargs):
        return "%s::tsquery", [self.tsquery]


def parse_search(text):
    """The words typed as one tsquery that matches a record in whatever language it is written: the
    words parsed with the configuration of every language the catalogue holds (each stems them its
    own way) and without stemming, duplicates removed. One query; '' when only stop words were typed.

    Only the languages present: another language's stemmer adds stems that no record of it can match
    but that other records may hold by chance (Catalan stems "métier" to "met").
    """
    with connection.cursor() as cursor:
        cursor.execute(
            # The languages present, by a skip scan of the language index: a few lookups, not a table scan.
            """WITH RECURSIVE present(code) AS (
                   SELECT min(language) FROM resources_record
                   UNION ALL
                   SELECT (SELECT min(language) FROM resources_record WHERE language > present.code)
                   FROM present WHERE present.code IS NOT NULL
               )
               SELECT DISTINCT websearch_to_tsquery(c::regconfig, %s)::text FROM unnest(%s::text[]) c
               WHERE c = %s OR c IN (SELECT 'cite_' || code FROM present WHERE code IS NOT NULL)""",
            [text, all_search_configs(), SIMPLE_CONFIG],
        )
        parts = sorted(row[0] for row in cursor.fetchall() if row[0])
    return " | ".join(f"( {part} )" for part in parts)


def search_records(queryset, tsquery):
    """Records matching a parsed search (`parse_search`), with their rank."""
    if not tsquery:
        # Only stop words or punctuation were typed: nothing matches, but the list still sorts by rank.
        return queryset.annotate(rank=Value(0.0, output_field=FloatField())).none()
    query = ParsedQuery(tsquery)
    return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


def fuzzy_records(queryset, text):
    """Records whose title or keywords look like `text` despite typos (pg_trgm), closest first."""
    normalized = normalize(text)
    return (
        queryset.filter(search_text__trigram_word_similar=normalized)
        .annotate(rank=TrigramWordSimilarity(normalized, "search_text"))
        .order_by("-rank", "-id")
    )


def close_matches(queryset, text, suggestion, *, limit):
    """Ids of records that come close to words that found nothing: the first that the suggested spelling
    finds, in relevance (search_catalogue: bounded however many it finds); without a suggestion, or
    when it finds nothing either, those whose title or keywords look like the words (pg_trgm, which
    reads every candidate sharing their trigrams)."""
    if suggestion:
        tsquery = parse_search(suggestion)
        found = search_catalogue(
            search_records(queryset, tsquery), tsquery=tsquery, ordering=RELEVANCE, page=1, page_size=limit
        )
        if found.ids:
            return found.ids
    return list(fuzzy_records(queryset, text).values_list("pk", flat=True)[:limit])


def did_you_mean(text, *, public=False):
    """A spelling of `text` whose words are in the catalogue, or None when every word is already there.
    For the public catalogue (`public`), only the words of public records: a visitor is never offered
    a word that only an internal or network record holds."""
    words = [word for word in re.findall(r"\w+", normalize(text)) if len(word) > 2]
    if not words:
        return None
    # The visibility is the column's own condition (Record.objects.public()), so both indexes still serve.
    visible = "AND visibility = %(public)s" if public else ""
    corrected, changed = [], False
    with connection.cursor() as cursor:
        for word in words:
            # A word some title or keywords hold is kept as it is, found by the title index; only the
            # others are looked for among similar words (pg_trgm), which reads their candidates' rows.
            cursor.execute(
                f"""WITH known AS (
                       SELECT EXISTS (SELECT 1 FROM resources_record WHERE deleted_at IS NULL {visible}
                                      AND title_vector @@ plainto_tsquery('cite_simple', %(word)s)) AS yes
                   )
                   SELECT %(word)s, 1.0 WHERE (SELECT yes FROM known)
                   UNION ALL
                   (SELECT w, similarity(w, %(word)s) AS s FROM (
                       SELECT DISTINCT regexp_split_to_table(search_text, '[^[:alnum:]]+') AS w
                       FROM (SELECT search_text FROM resources_record
                             WHERE deleted_at IS NULL {visible} AND %(word)s <%% search_text LIMIT 200) candidates
                   ) words WHERE NOT (SELECT yes FROM known) AND length(w) > 2 ORDER BY s DESC, w LIMIT 1)""",  # noqa: S608 (a fixed fragment; values as parameters)
                {"word": word, "public": Record.Visibility.PUBLIC},
            )
            row = cursor.fetchone()
            if row and row[0] != word and row[1] >= 0.4:
                corrected.append(row[0])
                changed = True
            else:
                corrected.append(word)
    return " ".join(corrected) if changed else None


HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"  # never in text; replaced by <mark> after escaping


def mark_highlights(text):
    """Safe HTML from ts_headline's output: the text escaped, the matched words in <mark>."""
    if text is None:
        return None
    html = escape(text).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 (everything but our own markers was escaped above)


def with_highlights(records, tsquery):
    """Title and description excerpts of a page of records, matched words highlighted (one query)."""
    records = list(records)
    if not tsquery or not records:
        return records
    query = ParsedQuery(tsquery)
    # The record's own configuration: one condition, not one per language (cheaper to build each page).
    config = Case(
        When(language__in=sorted(STEMMED_LANGUAGES), then=Concat(Value("cite_"), "language")),
        default=Value("cite_simple"),
    )
    marks = {"start_sel": HIGHLIGHT_START, "stop_sel": HIGHLIGHT_STOP}
    rows = Record.objects.filter(pk__in=[record.pk for record in records]).annotate(
        # "plombier/plombière" is one token to the parser (see services.REFRESH_SQL): spaced, each word is marked.
        title_headline=SearchHeadline(
            Replace("title", Value("/"), Value(" / ")), query, config=config, highlight_all=True, **marks
        ),
        description_headline=SearchHeadline(
            "description",
            query,
            config=config,
            max_fragments=2,
            max_words=30,
            min_words=12,
            fragment_delimiter=" … ",
            **marks,
        ),
    )
    headlines = {row["pk"]: row for row in rows.values("pk", "title_headline", "description_headline")}
    for record in records:
        row = headlines.get(record.pk, {})
        record.title_html = mark_highlights(row.get("title_headline"))
        record.excerpt_html = mark_highlights(row.get("description_headline"))
    return records


def for_listing(queryset):
    """What a list of records shows, fetched in a fixed number of queries."""
    return (
        queryset.defer("search_vector", "title_vector", "search_text")
        .select_related("source_centre")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("order", "letter")), "files")
    )


def for_detail(queryset):
    return queryset.select_related("source_centre", "created_by").prefetch_related(
        Prefetch("areas", queryset=Area.objects.order_by("order", "letter")),
        Prefetch("occupations", queryset=Occupation.objects.select_related("group")),
        "isco_groups",
        "files",
    )


# ---------------------------------------------------------------------------------------------
# The catalogue's results, kept a short while per normalised search

CATALOGUE_VERSION = "resources:catalogue-version"  # in the shared cache; changed by every write


def catalogue_results(parts, compute):
    """`compute()`'s result for the search described by `parts` (JSON-able: the parsed words, the
    filters, the order, the page), from this process's memory when the same search was made within
    RESOURCES_SEARCH_CACHE_SECONDS and nothing in the library changed since. One query when kept (the
    version), none of the search's own: counting and ranking thousands of matches is what costs."""
    seconds = settings.RESOURCES_SEARCH_CACHE_SECONDS
    if not seconds:
        return compute()
    version = caches["default"].get(CATALOGUE_VERSION) or 0
    digest = hashlib.sha256(json.dumps([version, parts], sort_keys=True, default=str).encode()).hexdigest()
    key = f"catalogue:{digest}"
    search_cache = caches["search"]
    result = search_cache.get(key)
    if result is None:
        result = compute()
        search_cache.set(key, result, seconds)
    return result


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


# ---------------------------------------------------------------------------------------------
# The catalogue's search: total, facets and a page of record ids, in two queries whatever it finds

# Up to this many matches (as the sample estimates them) a search counts, facets and ranks every one.
# Beyond, visiting every match is what costs (a few µs each, in the table's pages): a broad search
# counts and facets the sample and ranks a window of candidates.
EXACT_UP_TO = 3000
# A broad search ranks by ts_rank the first candidates in this order: the records whose title or
# keywords hold the words (title_vector), newest first, then the others, newest first: five pages.
RANKED_WINDOW = 100
RELEVANCE = ("-rank", "-id")
FACET_SQL = """
    SELECT 'kind', kind, count(*) FROM r GROUP BY kind
    UNION ALL SELECT 'language', language, count(*) FROM r GROUP BY language
    UNION ALL SELECT 'centre', coalesce(source_centre_id::text, 'local'), count(*) FROM r GROUP BY 2
    UNION ALL SELECT 'audience', a, count(*) FROM r, unnest(r.audiences) a GROUP BY a
    UNION ALL SELECT 'group', g, count(*) FROM r, unnest(r.isco_codes) g WHERE length(g) = 1 GROUP BY g
    UNION ALL SELECT 'theme', ra.area_id::text, count(*) FROM resources_record_areas ra
        WHERE ra.record_id IN (SELECT id FROM r) GROUP BY ra.area_id
"""
FACET_COLUMNS = ("id", "kind", "language", "source_centre_id", "audiences", "isco_codes")


@dataclass
class CatalogueSearch:
    """What a catalogue page shows of a search: {facet: {value: count}}, the total, the number of the
    page shown and its record ids in order. `estimated`: the counts and the total were measured on the
    sample and multiplied (a broad search)."""

    counts: dict
    total: int
    number: int
    ids: list
    estimated: bool = False


def search_catalogue(queryset, *, tsquery, ordering, page, page_size):
    """A page of `queryset` (the catalogue's filters and words applied) in `ordering` (`RELEVANCE`, or
    fields as `order_by` takes them), with the total and the facet counts. Two queries, whatever the
    number of matches: the counts on the sample (SAMPLE_BUCKETS), then either every match (counted,
    faceted and sorted in one pass) or, for a broad search, the window of candidates.

    `page` is the number asked for (any string); past the last page, the last page is shown."""
    number = _page_number(page)
    sampled = queryset.order_by().filter(IN_SAMPLE)  # the condition of the sample's indexes
    try:
        sample = _facet_counts(sampled)
    except EmptyResultSet:  # queryset.none(): only stop words were typed
        return CatalogueSearch({}, 0, 1, [])
    estimate = sum(sample.get("kind", {}).values()) * SAMPLE_BUCKETS
    if estimate <= EXACT_UP_TO:
        return _every_match(queryset, ordering=ordering, number=number, page_size=page_size)
    counts = {
        facet: {value: count * SAMPLE_BUCKETS for value, count in values.items()} for facet, values in sample.items()
    }
    offset = (number - 1) * page_size
    # One candidate past the page: whether a next page exists, whatever the estimate says.
    limit = max(RANKED_WINDOW, offset + page_size + 1)
    if tsquery and tuple(ordering) == RELEVANCE:
        rows = _ranked_window(queryset, tsquery=tsquery, offset=offset, limit=limit, page_size=page_size)
    else:
        rows = _first_in_order(queryset, ordering=ordering, offset=offset, limit=limit, page_size=page_size)
    if not rows:
        return CatalogueSearch(counts, 0, 1, [], estimated=True)
    start, candidates = rows[0][1], rows[0][2]
    # Every match read on the way to this page: the total is known after all.
    exhausted = candidates <= offset + page_size
    total = candidates if exhausted else max(estimate, offset + page_size + 1)
    return CatalogueSearch(counts, total, start // page_size + 1, [row[0] for row in rows], estimated=True)


MAX_PAGE = 50_000  # a page number past it is taken as it (then as the last page): offsets stay bigints


def _page_number(page):
    try:
        return min(max(1, int(page)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def _facet_counts(queryset):
    """{facet: {value: count}} for the records of `queryset`, every facet in one query."""
    inner_sql, params = queryset.order_by().values(*FACET_COLUMNS).query.sql_with_params()
    # Our own SQL around the queryset's, whose values stay bound parameters.
    sql = f"WITH r ({', '.join(FACET_COLUMNS)}) AS MATERIALIZED ({inner_sql}) {FACET_SQL}"
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, count in cursor.fetchall():
            counts.setdefault(facet, {})[value] = count
    return counts


def _order_sql(ordering, table):
    """ORDER BY terms for `ordering` (order_by's field names) over the columns of a derived table."""
    return ", ".join(f'{table}."{name.lstrip("-")}"{" DESC" if name.startswith("-") else ""}' for name in ordering)


def _sort_columns(ordering):
    return tuple(name.lstrip("-") for name in ordering if name.lstrip("-") != "id")


def _every_match(queryset, *, ordering, number, page_size):
    """Every match counted, faceted and sorted in one pass (the search is not broad)."""
    sort_columns = _sort_columns(ordering)
    columns = FACET_COLUMNS + sort_columns
    inner_sql, params = queryset.order_by().values(*columns).query.sql_with_params()
    # The page asked for, or the last one when there are fewer pages.
    sql = f"""
        WITH r ({", ".join(columns)}) AS MATERIALIZED ({inner_sql}),
        shown AS (SELECT least(%s, greatest(count(*) - 1, 0) / %s * %s) AS start FROM r)
        {FACET_SQL}
        UNION ALL SELECT 'page', id::text, row_number() OVER () FROM (
            SELECT r.id FROM r ORDER BY {_order_sql(ordering, "r")} OFFSET (SELECT start FROM shown) LIMIT %s
        ) page
        UNION ALL SELECT 'start', start::text, start FROM shown
    """  # noqa: S608
    counts, page, start = {}, [], 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, (number - 1) * page_size, page_size, page_size, page_size])
        for facet, value, count in cursor.fetchall():
            if facet == "page":
                page.append((count, int(value)))
            elif facet == "start":
                start = count
            else:
                counts.setdefault(facet, {})[value] = count
    total = sum(counts.get("kind", {}).values())  # every record has one kind
    return CatalogueSearch(counts, total, start // page_size + 1, [pk for _position, pk in sorted(page)])


def _ranked_window(queryset, *, tsquery, offset, limit, page_size):
    """(id, start, candidates) rows of a broad search's page in relevance: the first `limit` candidates,
    those whose title or keywords hold the words (newest first) before the others (newest first); the
    first RANKED_WINDOW of them ranked by ts_rank over the whole record, the rest left in that order.
    Each half is read from the newest record down and stops at `limit`, so a broad search reads about
    `limit` matches, not all of them."""
    scope_sql, params = queryset.order_by().values("id", "title_vector").query.sql_with_params()
    sql = f"""
        WITH s AS MATERIALIZED (
            (SELECT m.id, 1 AS tier FROM ({scope_sql}) m (id, title_vector)
             WHERE m.title_vector @@ %s::tsquery ORDER BY m.id DESC LIMIT %s)
            UNION ALL
            (SELECT m.id, 2 FROM ({scope_sql}) m (id, title_vector)
             WHERE NOT coalesce(m.title_vector @@ %s::tsquery, false) ORDER BY m.id DESC LIMIT %s)
            LIMIT %s
        ),
        shown AS (SELECT least(%s, greatest(count(*) - 1, 0) / %s * %s) AS start, count(*) AS n FROM s),
        ordered AS (SELECT id, tier, row_number() OVER (ORDER BY tier, id DESC) <= %s AS ranked FROM s)
        SELECT o.id, shown.start, shown.n FROM ordered o
        JOIN resources_record record ON record.id = o.id CROSS JOIN shown
        ORDER BY o.ranked DESC,
            CASE WHEN o.ranked THEN ts_rank(record.search_vector, %s::tsquery) END DESC NULLS LAST,
            o.tier, o.id DESC
        OFFSET (SELECT start FROM shown) LIMIT %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        halves = [*params, tsquery, limit, *params, tsquery, limit, limit]
        cursor.execute(sql, [*halves, offset, page_size, page_size, RANKED_WINDOW, tsquery, page_size])
        return cursor.fetchall()


def _first_in_order(queryset, *, ordering, offset, limit, page_size):
    """(id, start, candidates) rows of a broad search's page in another order (newest, title, date):
    the first `limit` in that order, read from an index where there is one."""
    sort_columns = _sort_columns(ordering)
    columns = ("id", *sort_columns)
    scope_sql, params = queryset.order_by().values(*columns).query.sql_with_params()
    sql = f"""
        WITH s AS MATERIALIZED (
            SELECT * FROM ({scope_sql}) m ({", ".join(columns)}) ORDER BY {_order_sql(ordering, "m")} LIMIT %s
        ),
        shown AS (SELECT least(%s, greatest(count(*) - 1, 0) / %s * %s) AS start, count(*) AS n FROM s)
        SELECT s.id, shown.start, shown.n FROM s CROSS JOIN shown
        ORDER BY {_order_sql(ordering, "s")} OFFSET (SELECT start FROM shown) LIMIT %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset, page_size, page_size, page_size])
        return cursor.fetchall()


def about(count):
    """An estimated count as it is shown: two significant digits (12,624 → 13,000; 816 → 820)."""
    if count < 100:
        return count
    scale = 10 ** (len(str(count)) - 2)
    return (count + scale // 2) // scale * scale


def build_facets(counts, selected, *, public=False, estimated=False):
    """Facets ready for the template: labelled values, most frequent first (three small queries).
    Estimated counts (a broad search's sample) are rounded as `about` rounds them."""
    language = get_language()
    kinds = dict(Record.Kind.choices)
    audiences = dict(Record.Audience.choices)
    languages = dict(Record._meta.get_field("language").choices)
    areas = {str(area.pk): area for area in Area.objects.all()}
    groups = {group.code: group for group in IscoGroup.objects.filter(level=1)}
    centre_names = {str(pk): name for pk, name in Centre.objects.values_list("pk", "name")} if not public else {}

    def facet(name, labels, key=lambda value: value, param_value=lambda value: value):
        values = []
        for value, count in counts.get(name, {}).items():
            label = labels(value)
            if label is None:
                continue
            shown = about(count) if estimated else count
            values.append(FacetValue(param_value(value), label, shown, param_value(value) in selected.get(name, [])))
        return sorted(values, key=lambda item: (-item.count, str(item.label)))

    def area_label(pk):
        area = areas.get(pk)
        return area.name if area else None

    def group_label(code):
        group = groups.get(code)
        return f"{code} · {label_in_language(group.labels, language)}" if group else None

    from django.utils.translation import gettext

    facets = [
        ("kind", gettext("Kind"), facet("kind", kinds.get)),
        ("theme", gettext("Theme"), facet("theme", area_label, param_value=lambda pk: areas[pk].code)),
        ("audience", gettext("Audience"), facet("audience", audiences.get)),
        ("language", gettext("Language"), facet("language", languages.get)),
        ("group", gettext("Occupation group"), facet("group", group_label)),
    ]
    if not public:
        local = gettext("This centre")
        facets.append(
            (
                "centre",
                gettext("Source centre"),
                facet("centre", lambda v: local if v == "local" else centre_names.get(v)),
            )
        )
    return [(name, title, values) for name, title, values in facets if values]
