"""Languages a record may be written in, with the PostgreSQL text search configuration of each.

Every language here has a Snowball stemmer shipped by PostgreSQL (≥ 13); migration 0002 builds a
`cite_<code>` configuration on it that also removes accents. Other languages use `cite_simple`.
"""

from django.utils.translation import gettext_lazy as _

# (ISO 639-1 code, name, PostgreSQL's built-in configuration)
LANGUAGES = [
    ("fr", _("French"), "french"),
    ("en", _("English"), "english"),
    ("es", _("Spanish"), "spanish"),
    ("pt", _("Portuguese"), "portuguese"),
    ("it", _("Italian"), "italian"),
    ("de", _("German"), "german"),
    ("nl", _("Dutch"), "dutch"),
    ("ca", _("Catalan"), "catalan"),
    ("eu", _("Basque"), "basque"),
    ("ro", _("Romanian"), "romanian"),
    ("el", _("Greek"), "greek"),
    ("da", _("Danish"), "danish"),
    ("sv", _("Swedish"), "swedish"),
    ("no", _("Norwegian"), "norwegian"),
    ("fi", _("Finnish"), "finnish"),
    ("hu", _("Hungarian"), "hungarian"),
    ("lt", _("Lithuanian"), "lithuanian"),
    ("ru", _("Russian"), "russian"),
    ("sr", _("Serbian"), "serbian"),
    ("tr", _("Turkish"), "turkish"),
    ("ar", _("Arabic"), "arabic"),
    ("hy", _("Armenian"), "armenian"),
    ("hi", _("Hindi"), "hindi"),
    ("ne", _("Nepali"), "nepali"),
    ("ta", _("Tamil"), "tamil"),
    ("id", _("Indonesian"), "indonesian"),
    ("ga", _("Irish"), "irish"),
    ("yi", _("Yiddish"), "yiddish"),
]

LANGUAGE_CHOICES = [(code, name) for code, name, _config in LANGUAGES]
CODES = {code for code, _name, _config in LANGUAGES}
SIMPLE_CONFIG = "cite_simple"

# ISO 639-2 codes other catalogues send in dc:language (MARC, PMB): mapped to 639-1.
ISO_639_2 = {
    "fre": "fr",
    "fra": "fr",
    "eng": "en",
    "spa": "es",
    "por": "pt",
    "ita": "it",
    "ger": "de",
    "deu": "de",
    "dut": "nl",
    "nld": "nl",
    "cat": "ca",
    "baq": "eu",
    "eus": "eu",
    "rum": "ro",
    "ron": "ro",
    "gre": "el",
    "ell": "el",
    "dan": "da",
    "swe": "sv",
    "nor": "no",
    "fin": "fi",
    "hun": "hu",
    "lit": "lt",
    "rus": "ru",
    "srp": "sr",
    "tur": "tr",
    "ara": "ar",
    "arm": "hy",
    "hye": "hy",
    "hin": "hi",
    "nep": "ne",
    "tam": "ta",
    "ind": "id",
    "gle": "ga",
    "yid": "yi",
}


def search_config(language):
    """The text search configuration for a record in `language`."""
    return f"cite_{language}" if language in CODES else SIMPLE_CONFIG


def all_search_configs():
    """Every configuration a query is parsed with: a record's words are stemmed in its own language."""
    return [SIMPLE_CONFIG, *(f"cite_{code}" for code, _name, _config in LANGUAGES)]


def normalize_language(value):
    """An ISO 639-1 code from what a catalogue sends (fr, fre, fr-FR, French…), or '' if unknown."""
    value = (value or "").strip().lower().replace("_", "-")
    if not value:
        return ""
    if value in CODES:
        return value
    if value.split("-")[0] in CODES:
        return value.split("-")[0]
    if value in ISO_639_2:
        return ISO_639_2[value]
    by_name = {config: code for code, _name, config in LANGUAGES}
    return by_name.get(value, "")
