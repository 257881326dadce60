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
from django.db.models.functions import Length, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cite.models import Area, Centre
from resources.languages import CODES as STEMMED_LANGUAGES
from resources.languages import SIMPLE_CONFIG, all_search_configs
from resources.models import IscoGroup, Occupation, OccupationLabel, Record, label_in_language
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


def did_you_mean(text):
    """A spelling of `text` whose words are in the catalogue, or None when every word is already there."""
    words = [word for word in re.findall(r"\w+", normalize(text)) if len(word) > 2]
    if not words:
        return None
    corrected, changed = [], False
    with connection.cursor() as cursor:
        for word in words:
            cursor.execute(
                """SELECT w, similarity(w, %(word)s) AS s FROM (
                       SELECT DISTINCT regexp_split_to_table(search_text, '[^[:alnum:]]+') AS w
                       FROM (SELECT search_text FROM resources_record
                             WHERE deleted_at IS NULL AND %(word)s <%% search_text LIMIT 200) candidates
                   ) words WHERE length(w) > 2 ORDER BY s DESC, w LIMIT 1""",
                {"word": word},
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
    config = Case(
        *[When(language=code, then=Value(f"cite_{code}")) for code in sorted(STEMMED_LANGUAGES)],
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
        queryset.defer("search_vector", "search_text")
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


def facet_counts(queryset):
    """{facet: {value: count}} for the records of `queryset`, every facet in one query."""
    try:
        columns = ("id", "kind", "language", "source_centre_id", "audiences", "isco_codes")
        inner_sql, params = queryset.order_by().values(*columns).query.sql_with_params()
    except EmptyResultSet:  # queryset.none()
        return {}
    # Our own SQL around the queryset's, whose values stay bound parameters.
    sql = f"""
        WITH r AS MATERIALIZED ({inner_sql})
        SELECT 'kind', kind, count(*) FROM r GROUP BY kind
        UNION ALL SELECT 'language', language, count(*) FROM r GROUP BY language
        UNION ALL SELECT 'centre', coalesce(source_centre_id::text, 'local'), count(*) FROM r GROUP BY 2
        UNION ALL SELECT 'audience', a, count(*) FROM r, unnest(r.audiences) a GROUP BY a
        UNION ALL SELECT 'group', g, count(*) FROM r, unnest(r.isco_codes) g WHERE length(g) = 1 GROUP BY g
        UNION ALL SELECT 'theme', ra.area_id::text, count(*) FROM resources_record_areas ra
            WHERE ra.record_id IN (SELECT id FROM r) GROUP BY ra.area_id
    """  # noqa: S608
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, count in cursor.fetchall():
            counts.setdefault(facet, {})[value] = count
    return counts


def build_facets(counts, selected, *, public=False):
    """Facets ready for the template: labelled values, most frequent first (three small queries)."""
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
            values.append(FacetValue(param_value(value), label, count, param_value(value) in selected.get(name, [])))
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
