"""The reusable occupation lookup (search_occupations), its type-ahead view and the browse pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from resources.selectors import search_occupations
from tests.resources.conftest import make_record


def labels(matches):
    return [match.concept.labels.get("en") for match in matches]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("plombière", "plumber"),  # a French alternative label
        ("plombiere", "plumber"),  # without its accent
        ("PLOMBIER", "plumber"),  # in capitals
        ("plombeir", "plumber"),  # a typo
        ("gas fiter", "plumber"),  # an English alternative label, misspelt
        ("plom", "plumber"),  # the first letters, as typed in a type-ahead
        ("insertion professionnelle", "employment and vocational integration consultant"),
    ],
)
def test_an_occupation_is_found_by_any_of_its_labels_despite_accents_and_typos(reference, query, expected):
    assert search_occupations(query, language="fr")[0].concept.labels["en"] == expected


def test_an_isco_code_finds_its_group_with_its_leading_zero(reference):
    matches = search_occupations("0110", language="en")
    assert [match.concept.code for match in matches] == ["0110"]
    assert matches[0].is_group


def test_groups_are_found_by_label_and_can_be_left_out(reference):
    matches = search_occupations("plombiers et tuyauteurs", language="fr")
    assert matches[0].is_group and matches[0].concept.code == "7126"
    assert all(not match.is_group for match in search_occupations("plombiers", language="fr", groups=False))


def test_a_match_says_which_other_label_it_was_found_by(reference):
    with translation.override("en"):
        match = search_occupations("gas fitter", language="en")[0]
        assert match.label == "plumber"
        assert match.matched_label == "gas fitter"
        assert match.shows_other_label


def test_too_short_or_unrelated_queries_find_nothing(reference):
    assert search_occupations("pl", language="fr") == []
    assert search_occupations("astronaute", language="fr") == []


def test_the_lookup_takes_at_most_three_queries_whatever_it_finds(reference, django_assert_max_num_queries):
    for query in ("conseiller", "plombier", "insertion"):
        with django_assert_max_num_queries(3):
            assert search_occupations(query, language="fr")


def test_the_type_ahead_answers_json_in_the_interface_language(client, counsellor, reference):
    client.force_login(counsellor)
    response = client.get(reverse("resources:occupation-lookup"), {"q": "plombeir", "kind": "occupation"})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["label"] == "plombier/plombière"
    assert first["kind"] == "occupation"
    assert first["code"] == "7126"
    assert first["uri"].startswith("http://data.europa.eu/esco/occupation/")
    assert all(result["kind"] == "occupation" for result in response.json()["results"])


def test_the_type_ahead_needs_a_role(client, outsider, reference):
    client.force_login(outsider)
    assert client.get(reverse("resources:occupation-lookup"), {"q": "plombier"}).status_code == 403


def test_the_occupations_page_finds_by_label_and_lists_the_major_groups(client, receptionist, reference):
    client.force_login(receptionist)
    page = client.get(reverse("resources:occupations"), {"q": "gas fitter"}).content.decode()
    assert "plombier/plombière" in page
    assert "gas fitter" in page  # "also called"
    assert "Professions militaires" in page and "Métiers qualifiés de l’industrie et de l’artisanat" in page


def test_a_group_page_shows_its_ancestors_children_and_record_count(client, counsellor, reference):
    make_record(title="Devenir plombier", occupations=[reference["plumber"]])
    client.force_login(counsellor)
    response = client.get(reverse("resources:occupation-group", kwargs={"code": "712"}))
    page = response.content.decode()
    assert "Métiers qualifiés du bâtiment" in page  # its parent 71, in the breadcrumb
    assert "Plombiers et tuyauteurs" in page  # its child 7126
    assert response.context["record_count"] == 1
    assert "?group=712" in page


def test_a_unit_group_lists_its_occupations_and_an_occupation_page_its_alternative_labels(
    client, counsellor, reference
):
    client.force_login(counsellor)
    page = client.get(reverse("resources:occupation-group", kwargs={"code": "2423"})).content.decode()
    assert "conseiller d&#x27;orientation/conseillère d&#x27;orientation" in page
    page = client.get(reverse("resources:occupation-detail", kwargs={"pk": reference["plumber"].pk})).content.decode()
    assert "plombier sanitaire" in page
    assert f"?occupation={reference['plumber'].pk}" in page


def test_an_unknown_group_is_not_found(client, counsellor, reference):
    client.force_login(counsellor)
    assert client.get(reverse("resources:occupation-group", kwargs={"code": "9999"})).status_code == 404
