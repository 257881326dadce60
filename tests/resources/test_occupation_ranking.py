"""The occupation type-ahead ranks the occupation meant first, so arrow-down + Enter records it: the
exact preferred label, then preferred labels starting with what was typed, then alternative names,
then fuzzy matches. The occupations are ESCO's own (v1.2 labels), where the old ranking put an
alternative name first ("aide-soignant" → "aide-soignant à domicile"; "nurse" → "nursery nurse")."""

import csv

import pytest
from django.conf import settings
from django.urls import reverse

from resources.esco import import_esco
from resources.selectors import search_occupations

OCCUPATION = "http://data.europa.eu/esco/occupation/"
# (URI suffix, ISCO unit group, English label, English alternatives, French label, French alternatives)
ESCO = [
    (
        "aide-soignant",
        "5321",
        "healthcare assistant",
        ["nurse auxiliary", "nursing auxiliary"],
        "aide-soignant/aide-soignante",
        ["aide-soignante", "aide-soignant"],
    ),
    (
        "a-domicile",
        "2635",
        "social worker",
        ["home care social worker"],
        "aide-soignant à domicile/aide-soignante à domicile",
        ["aide-soignante", "aide-soignante à domicile", "aide-soignant", "aide-soignant à domicile"],
    ),
    (
        "en-institution",
        "5321",
        "residential healthcare assistant",
        [],
        "aide-soignant en institution/aide-soignante en institution",
        ["aide-soignante en institution", "aide-soignant en institution"],
    ),
    (
        "assistant-de-vie",
        "5322",
        "home care aide",
        [],
        "assistant de vie/assistante de vie",
        ["aide-soignant à domicile", "aide-soignante à domicile"],
    ),
    (
        "day-care",
        "5311",
        "child day care worker",
        ["nursery nurse"],
        "employé de crèche/employée de crèche",
        ["auxiliaire de puériculture"],
    ),
    (
        "nurse-assistant",
        "5321",
        "nurse assistant",
        [],
        "assistant infirmier/assistante infirmière",
        [],
    ),
    (
        "general-care",
        "2221",
        "nurse responsible for general care",
        ["general nurse", "registered nurse"],
        "infirmier en soins généraux/infirmière en soins généraux",
        ["infirmière", "infirmier"],
    ),
    (
        "specialist",
        "2221",
        "specialist nurse",
        ["nurse practitioner", "nurse specialist"],
        "infirmier spécialisé/infirmière spécialisée",
        [],
    ),
    (
        "head-teacher",
        "1341",
        "nursery school head teacher",
        ["nursery headteacher"],
        "directeur d'école maternelle/directrice d'école maternelle",
        [],
    ),
]


@pytest.fixture
def health_reference(db, tmp_path):
    """A slice of ESCO around care and nursing, written in ESCO's CSV download format."""
    codes = sorted({row[1] for row in ESCO})
    groups = sorted({code[:n] for code in codes for n in range(1, 5)})
    for language in ("en", "fr"):
        with open(tmp_path / f"ISCOGroups_{language}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "description"])
            for code in groups:
                uri = f"http://data.europa.eu/esco/isco/C{code}"
                writer.writerow(["ISCOGroup", uri, code, f"Groupe {code}", "", ""])
        with open(tmp_path / f"occupations_{language}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"])
            for suffix, code, english, alt_en, french, alt_fr in ESCO:
                label, alternatives = (english, alt_en) if language == "en" else (french, alt_fr)
                writer.writerow(["Occupation", OCCUPATION + suffix, code, label, "\n".join(alternatives), ""])
    import_esco(directory=tmp_path)


def english(matches):
    return [match.concept.labels["en"] for match in matches]


def test_the_exact_preferred_label_comes_first_before_the_alternative_names_that_contain_it(health_reference):
    found = english(search_occupations("aide-soignant", language="fr", groups=False))
    assert found[0] == "healthcare assistant"  # aide-soignant/aide-soignante
    # Then the preferred labels starting with it (the shorter first), then an occupation known by it
    # only as another name.
    assert found[1:4] == ["social worker", "residential healthcare assistant", "home care aide"]


def test_either_gendered_form_of_a_preferred_label_is_an_exact_match(health_reference):
    assert english(search_occupations("aide-soignante", language="fr", groups=False))[0] == "healthcare assistant"
    assert english(search_occupations("Aide soignante", language="fr", groups=False))[0] == "healthcare assistant"


def test_a_word_typed_whole_ranks_labels_starting_with_that_word_before_longer_words(health_reference):
    found = english(search_occupations("nurse", language="en", groups=False))
    assert found[:2] == ["nurse assistant", "nurse responsible for general care"]
    assert found.index("nursery school head teacher") > 1  # "nursery…" starts with the letters, not the word
    # Alternative names after every preferred label that starts with what was typed.
    assert found.index("specialist nurse") > found.index("nursery school head teacher")
    assert found.index("child day care worker") > found.index("nurse responsible for general care")


def test_a_typo_still_finds_the_occupation_after_the_exact_ones(health_reference):
    assert english(search_occupations("aide-soigant", language="fr", groups=False))[0] in {
        "healthcare assistant",
        "social worker",
        "residential healthcare assistant",
    }
    found = english(search_occupations("nurse assistant", language="en", groups=False))
    assert found[0] == "nurse assistant"


@pytest.mark.parametrize(
    ("language", "query", "first"),
    [("fr", "aide-soignant", "aide-soignant/aide-soignante"), ("en", "nurse", "nurse assistant")],
)
def test_the_type_ahead_answers_the_exact_occupation_first_in_french_and_english(
    client, counsellor, health_reference, language, query, first
):
    client.force_login(counsellor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("resources:occupation-lookup"), {"q": query, "kind": "occupation"})
    assert response.json()["results"][0]["label"] == first
