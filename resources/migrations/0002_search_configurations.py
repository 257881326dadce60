"""Text search configurations that ignore accents: `cite_simple`, and `cite_<language>` on each Snowball stemmer.

Built on the `unaccent` dictionary (enabled by cite 0002), so `metier` finds `métier` and the
stemmer still reduces `métiers` and `metier` to the same word.
"""

from django.db import migrations

# (ISO 639-1 code, PostgreSQL configuration and Snowball stemmer); kept here, not imported, so this
# migration never changes when the list in resources/languages.py grows.
LANGUAGES = [
    ("fr", "french"),
    ("en", "english"),
    ("es", "spanish"),
    ("pt", "portuguese"),
    ("it", "italian"),
    ("de", "german"),
    ("nl", "dutch"),
    ("ca", "catalan"),
    ("eu", "basque"),
    ("ro", "romanian"),
    ("el", "greek"),
    ("da", "danish"),
    ("sv", "swedish"),
    ("no", "norwegian"),
    ("fi", "finnish"),
    ("hu", "hungarian"),
    ("lt", "lithuanian"),
    ("ru", "russian"),
    ("sr", "serbian"),
    ("tr", "turkish"),
    ("ar", "arabic"),
    ("hy", "armenian"),
    ("hi", "hindi"),
    ("ne", "nepali"),
    ("ta", "tamil"),
    ("id", "indonesian"),
    ("ga", "irish"),
    ("yi", "yiddish"),
]
WORDS = "hword, hword_part, word, asciihword, asciiword, hword_asciipart"


def forward_sql():
    statements = [
        "CREATE TEXT SEARCH CONFIGURATION cite_simple (COPY = pg_catalog.simple)",
        f"ALTER TEXT SEARCH CONFIGURATION cite_simple ALTER MAPPING FOR {WORDS} WITH unaccent, simple",
    ]
    for code, name in LANGUAGES:
        statements += [
            f"CREATE TEXT SEARCH CONFIGURATION cite_{code} (COPY = pg_catalog.{name})",
            f"ALTER TEXT SEARCH CONFIGURATION cite_{code} ALTER MAPPING FOR {WORDS} WITH unaccent, {name}_stem",
        ]
    return ";\n".join(statements)


def backward_sql():
    return ";\n".join(
        ["DROP TEXT SEARCH CONFIGURATION IF EXISTS cite_simple"]
        + [f"DROP TEXT SEARCH CONFIGURATION IF EXISTS cite_{code}" for code, _name in LANGUAGES]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cite", "0002_extensions_cache_and_roles"),
        ("resources", "0001_initial"),
    ]

    operations = [migrations.RunSQL(forward_sql(), backward_sql())]
