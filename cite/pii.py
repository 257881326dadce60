"""Spot personal data (email, phone, social security number, IBAN, date of birth) in free text typed by staff.

Visitors are anonymous: every note, next step or comment is checked with `validate_no_personal_data`.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import ngettext, ngettext_lazy

EMAIL = "email"
PHONE = "phone"
NIR = "nir"
IBAN = "iban"
BIRTH_DATE = "birth_date"

# One label per kind, chosen by "count" when the message is built.
LABELS = {
    EMAIL: ngettext_lazy("an email address (%(found)s)", "%(count)d email addresses (%(found)s)", "count"),
    PHONE: ngettext_lazy("a phone number (%(found)s)", "%(count)d phone numbers (%(found)s)", "count"),
    NIR: ngettext_lazy(
        "a social security number (%(found)s)", "%(count)d social security numbers (%(found)s)", "count"
    ),
    IBAN: ngettext_lazy("a bank account number (%(found)s)", "%(count)d bank account numbers (%(found)s)", "count"),
    BIRTH_DATE: ngettext_lazy("a date of birth (%(found)s)", "%(count)d dates of birth (%(found)s)", "count"),
}

# A visitor old enough to come on their own (pupils choosing a path) was born at least this many years ago.
MIN_VISITOR_AGE = 14


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int


# --- Email -------------------------------------------------------------------------------------------

# Spaces around "@" only when on both sides ("jean @ gmail.com"): "suivre @cite.paris" is a social handle.
# "(at)", "[at]", "arobase", "(dot)" are how people dodge spam robots; a bare " at "/" point " is not
# caught because it is ordinary English/French ("registered at francetravail.fr", "point de vue").
_AT = r"(?:@|\s+@\s+|\s*[\[({]\s*(?:at|arobase)\s*[\])}]\s*|\s+arobase\s+)"
_DOT = r"(?:\.|\s*[\[({]\s*(?:dot|point)\s*[\])}]\s*)"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_EMAIL_RE = re.compile(
    rf"(?<![\w.%+-])[\w%+-]+(?:\.[\w%+-]+)*{_AT}(?:{_LABEL}{_DOT})+[^\W\d_]{{2,24}}(?!\w)", re.IGNORECASE
)


def _emails(text):
    for match in _EMAIL_RE.finditer(text):
        yield Finding(EMAIL, match.group(), match.start(), match.end())


# --- IBAN (ISO 13616) --------------------------------------------------------------------------------

# Length of the IBAN for each country: the SWIFT IBAN registry, the French overseas codes some banks
# print instead of FR, and the national IBANs of African countries many visitors bank in. Knowing the
# length tells where the IBAN ends when it is followed by more words.
_IBAN_LENGTHS = {
    country: length
    for length, countries in {
        15: "NO",
        16: "BE",
        18: "DK FI FK FO GL NL SD",
        19: "MK SI",
        20: "AT BA EE KZ LT LU MN XK",
        21: "CH HR LI LV",
        22: "BG BH CR DE GB GE IE ME RS VA",
        23: "AE GI IL IQ OM SO TL",
        24: "AD CZ ES MD PK RO SA SE SK TN VG",
        25: "AO CV GW LY MZ PT ST",
        26: "DZ IR IS TR",
        27: "BI BL CF CG CM DJ FR GA GF GP GQ GR IT KM MC MF MG MQ MR NC PF PM RE SM TD TF WF YT",
        28: "AL AZ BF BJ BY CI CY DO GT HN HU LB MA ML NE NI PL SN SV TG",
        29: "BR EG PS QA UA",
        30: "JO KW MU YE",
        31: "MT SC",
        32: "LC",
        33: "RU",
    }.items()
    for country in countries.split()
}
_IBAN_START_RE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})[0-9]{2}")
_IBAN_SEPARATORS = " \u00a0\u202f-"


def _iban_checksum_ok(iban):
    # ISO 13616: move the first four characters to the end, letters become 10..35, the number mod 97 is 1.
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _ibans(text):
    for match in _IBAN_START_RE.finditer(text):
        length = _IBAN_LENGTHS.get(match.group(1).upper())
        if length is None:
            continue
        chars, position, end = list(match.group().upper()), match.end(), match.end()
        while len(chars) < length and position < len(text):
            char = text[position]
            if char.isascii() and char.isalnum():
                chars.append(char.upper())
                end = position + 1
            elif char not in _IBAN_SEPARATORS or position != end:  # one separator between groups, no more
                break
            position += 1
        followed_by_more = end < len(text) and text[end].isascii() and text[end].isalnum()
        if len(chars) == length and not followed_by_more and _iban_checksum_ok("".join(chars)):
            yield Finding(IBAN, text[match.start() : end], match.start(), end)


# --- French social security number (NIR) -------------------------------------------------------------

# Sex (1/2, or 3/4/7/8 for temporary numbers), year, month, place of birth (department and commune:
# 2+3 characters, or 3+2 overseas), birth order, then an optional 2-digit key. One space, dot or
# hyphen may separate the groups, never split them, so ordinary spaced numbers rarely line up.
_SEP = r"[ \u00a0\u202f.\-]?"
_NIR_RE = re.compile(
    rf"(?<!\w)(?<!\d[ .\-])(?P<sex>[123478]){_SEP}(?P<year>\d\d){_SEP}(?P<month>\d\d)"
    + rf"{_SEP}(?P<place>(?:9[78]\d{_SEP}\d\d)|(?:\d\d|2[AaBb]){_SEP}\d{{3}})"
    + rf"{_SEP}(?P<order>\d{{3}})(?:{_SEP}(?P<key>\d\d))?(?!\w)(?![ .\-]\d)"
)


def _nir_month_ok(month):
    # 01-12; 20-42 and 50-99 are given when the month of birth is unknown (people born abroad).
    return 1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99


def _nir_key(number):
    """The 2-digit key of a 13-character NIR; Corsica's 2A and 2B count as 19 and 18."""
    digits = number.upper().replace("2A", "19").replace("2B", "18")
    return 97 - int(digits) % 97


def _nirs(text):
    for match in _NIR_RE.finditer(text):
        structure_ok = _nir_month_ok(int(match.group("month"))) and match.group("place")[:2] != "00"
        key = match.group("key")
        number = re.sub(r"[^0-9A-Za-z]", "", match.group())[:13]
        key_ok = key is not None and int(key) == _nir_key(number)
        # Either proof is enough. A wrong key does not clear a well-formed number: one mistyped digit still
        # points to one person. A right key flags even an unusual month or place (old or foreign records).
        if structure_ok or key_ok:
            yield Finding(NIR, match.group(), match.start(), match.end())


# --- Phone numbers -----------------------------------------------------------------------------------

# Numbers of organisations, not of people: a counsellor may well note the free helpline of a partner.
_SERVICE_NUMBER_TYPES = {
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.UAN,
}
# PhoneNumberMatcher costs milliseconds on a note full of figures; hand it only the stretches that hold
# at least 7 digits (the shortest international number), with a margin so it still sees their neighbours.
_PHONE_STRETCH_RE = re.compile(r"\+?\d[\d\s().\-/–]*\d")
_PHONE_MIN_DIGITS = 7
_PHONE_MARGIN = 8


def _phone_windows(text, taken):
    windows = []
    for match in _PHONE_STRETCH_RE.finditer(text):
        if sum(char.isdigit() for char in match.group()) < _PHONE_MIN_DIGITS:
            continue
        if any(other.start <= match.start() and match.end() <= other.end for other in taken):
            continue  # the digits of an IBAN or a social security number already found
        start, end = max(0, match.start() - _PHONE_MARGIN), min(len(text), match.end() + _PHONE_MARGIN)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def phone_regions():
    """The regions whose national numbers are recognised: the centre's own first, then PII_PHONE_REGIONS."""
    return list(dict.fromkeys([settings.PHONE_DEFAULT_REGION, *settings.PII_PHONE_REGIONS]))


def _phones(text, taken):
    regions = phone_regions()
    for window_start, window_end in _phone_windows(text, taken):
        window = text[window_start:window_end]
        # Each region reads the window its own way (0612345678 in France, (514) 555-0199 in Canada); a
        # stretch two regions both read is one number, kept once by find_personal_data.
        for region in regions:
            for match in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.VALID):
                if phonenumbers.number_type(match.number) in _SERVICE_NUMBER_TYPES:
                    continue
                yield Finding(PHONE, match.raw_string, window_start + match.start, window_start + match.end)


# --- Dates of birth ----------------------------------------------------------------------------------

_MONTHS = {
    1: "janvier janv jan january",
    2: "fevrier fevr fev february feb",
    3: "mars mar march",
    4: "avril avr april apr",
    5: "mai may",
    6: "juin june jun",
    7: "juillet juil july jul",
    8: "aout august aug",
    9: "septembre sept september sep",
    10: "octobre oct october",
    11: "novembre nov november",
    12: "decembre dec december",
}
_MONTH_NUMBERS = {name: number for number, names in _MONTHS.items() for name in names.split()}
# Accented spellings (février, août, décembre…) match through their unaccented letters.
_ACCENTED = {"e": "[eéè]", "u": "[uû]"}
_MONTH_PATTERN = "|".join(
    "".join(_ACCENTED.get(char, char) for char in name) for name in sorted(_MONTH_NUMBERS, key=len, reverse=True)
)
_BEFORE_DATE = r"(?<!\w)(?<!\d[./-])"
_AFTER_DATE = r"(?!\w)(?![./-]\d)"
_ORDINAL = r"(?:er|st|nd|rd|th)?"
_DATE_RES = [
    # 12/03/1985, 12-03-1985, 12.03.1985, 12.03.85 (a two-digit year only with two-digit day and month,
    # so that version numbers such as 3.10.12 pass); 03/25/1985, impossible day first, is read month first.
    re.compile(
        rf"{_BEFORE_DATE}(?P<a>\d{{1,2}})(?P<sep>[./-])(?P<b>\d{{1,2}})(?P=sep)(?P<year>\d{{4}}){_AFTER_DATE}"
        rf"|{_BEFORE_DATE}(?P<a2>\d\d)(?P<sep2>[./-])(?P<b2>\d\d)(?P=sep2)(?P<year2>\d\d){_AFTER_DATE}"
    ),
    re.compile(
        rf"{_BEFORE_DATE}(?P<year>\d{{4}})(?P<sep>[./-])(?P<month>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}}){_AFTER_DATE}"
    ),
    re.compile(
        rf"(?<!\w)(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<month>{_MONTH_PATTERN})\.?,?\s+(?P<year>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<!\w)(?P<month>{_MONTH_PATTERN})\.?\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
]
_BIRTH_CONTEXT_RE = re.compile(
    r"(?<!\w)(?:né(?:e|\(e\)|·e)?s?|nee|naissance|anniversaire|d\.?d\.?n\.?|d\.?o\.?b\.?|born|birth\w*)(?!\w)",
    re.IGNORECASE,
)
_CONTEXT_BEFORE = 40  # "Date de naissance du visiteur : 12/03/1985"
_CONTEXT_AFTER = 15  # "12/03/1985 (DDN)"
_SENTENCE_END_RE = re.compile(r"[!?;\n]|\.(?:\s|$)")


def _unaccented(word):
    return "".join(char for char in unicodedata.normalize("NFKD", word) if not unicodedata.combining(char))


def _make_date(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _parse_date(match, today):
    groups = {name: value for name, value in match.groupdict().items() if value is not None}
    if "month" in groups and not groups["month"].isdigit():
        month = _MONTH_NUMBERS[_unaccented(groups["month"]).lower()]
        return _make_date(int(groups["year"]), month, int(groups["day"]))
    if "day" in groups:
        return _make_date(int(groups["year"]), int(groups["month"]), int(groups["day"]))
    if "year2" in groups:
        first, second, year = int(groups["a2"]), int(groups["b2"]), int(groups["year2"])
        year += 2000 if year <= today.year % 100 else 1900  # a two-digit year in the future is last century
    else:
        first, second, year = int(groups["a"]), int(groups["b"]), int(groups["year"])
    return _make_date(year, second, first) or _make_date(year, first, second)


def _has_birth_context(text, start, end, contexts):
    for context in contexts:
        if start - _CONTEXT_BEFORE <= context.end() <= start:
            gap = text[context.end() : start]
        elif end <= context.start() <= end + _CONTEXT_AFTER:
            gap = text[end : context.start()]
        else:
            continue
        if not _SENTENCE_END_RE.search(gap):
            return True
    return False


def _birth_dates(text, today):
    contexts = list(_BIRTH_CONTEXT_RE.finditer(text))
    for pattern in _DATE_RES:
        for match in pattern.finditer(text):
            date = _parse_date(match, today)
            if date is None or date.year < 1900:  # nobody alive was born before
                continue
            # A full date old enough to be a visitor's birthday is one, whatever is written around it;
            # a recent one (an appointment, a deadline) only with a word that says it is a birth.
            old_enough = date.year <= today.year - MIN_VISITOR_AGE
            if old_enough or _has_birth_context(text, match.start(), match.end(), contexts):
                yield Finding(BIRTH_DATE, match.group(), match.start(), match.end())


# --- Public API --------------------------------------------------------------------------------------


def find_personal_data(text, *, today=None):
    """Every piece of personal data in text, in reading order; an empty list when the text is clean."""
    if not text:
        return []
    today = today or timezone.localdate()
    found = []

    def keep(findings):
        for finding in findings:
            if not any(finding.start < other.end and other.start < finding.end for other in found):
                found.append(finding)

    # The most specific kinds first: a phone number inside an email address is the email address.
    keep(_emails(text))
    keep(_ibans(text))
    keep(_nirs(text))
    keep(_phones(text, found))
    keep(_birth_dates(text, today))
    return sorted(found, key=lambda finding: finding.start)


def describe(findings):
    """A translated sentence naming what was found, for the person who typed it."""
    if not findings:
        return ""
    texts_by_kind = {}
    for finding in findings:
        texts = texts_by_kind.setdefault(finding.kind, [])
        shown = " ".join(finding.text.split())
        if shown not in texts:
            texts.append(shown)
    items = ", ".join(
        LABELS[kind] % {"count": len(texts), "found": ", ".join(texts)} for kind, texts in texts_by_kind.items()
    )
    count = sum(len(texts) for texts in texts_by_kind.values())
    return ngettext(
        "This text seems to contain personal data: %(items)s. Remove it: no personal data may be recorded.",
        "This text seems to contain personal data: %(items)s. Remove them: no personal data may be recorded.",
        count,
    ) % {"items": items}


def validate_no_personal_data(value):
    """Django validator for every free-text field about a visit: visitors stay anonymous."""
    findings = find_personal_data(str(value)) if value else []
    if findings:
        raise ValidationError(describe(findings), code="personal_data")
