"""Normalising text for comparison: lower case, no accents, single spaces."""

import re
import unicodedata

# Letters NFKD does not decompose, spelt out the way PostgreSQL's unaccent does.
LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}
)


def normalize(text):
    """`Plombière  Œnologue` → `plombiere oenologue`: what label search compares."""
    text = unicodedata.normalize("NFKD", (text or "").translate(LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", text).strip().lower()
