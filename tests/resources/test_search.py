"""The catalogue's search: full-text in each record's language, accents, typos, occupations, facets."""

import pytest
from django.urls import reverse

from resources.models import Record
from resources.selectors import did_you_mean, parse_search, search_records
from resources.services import delete_record
from tests.resources.conftest import make_record


def found(text, queryset=None):
    return set(search_records(queryset or Record.objects.all(), parse_search(text)).values_list("title", flat=True))


@pytest.mark.django_db
def test_french_words_are_found_by_their_stem():
    make_record(title="Les conseillers d'orientation vous reçoivent", language="fr")
    make_record(title="Former les apprentis", language="fr")
    assert found("conseiller") == {"Les conseillers d'orientation vous reçoivent"}
    assert found("apprenti") == {"Former les apprentis"}


@pytest.mark.django_db
def test_english_words_are_found_by_their_stem():
    make_record(title="Careers advice for young people", language="en")
    assert found("career") == {"Careers advice for young people"}
    assert found("advices") == {"Careers advice for young people"}


@pytest.mark.django_db
def test_accents_do_not_matter():
    make_record(title="La fiche métier du boulanger", language="fr")
    assert found("metier") == {"La fiche métier du boulanger"}
    assert found("MÉTIERS") == {"La fiche métier du boulanger"}


@pytest.mark.django_db
def test_words_are_stemmed_only_in_the_languages_the_catalogue_holds():
    make_record(title="La fiche métier du boulanger", language="fr")
    make_record(title="Il met en place un atelier", language="fr")
    # Catalan stems "métier" to "met" and Indonesian to "tier": with no record in either language,
    # those stems would only bring records that have nothing to do with the search.
    assert found("métier") == {"La fiche métier du boulanger"}
    make_record(title="Un ofici: el met", language="ca")
    assert found("métier") == {"La fiche métier du boulanger", "Il met en place un atelier", "Un ofici: el met"}


@pytest.mark.django_db
def test_an_occupations_alternative_label_finds_the_records_classified_under_it(reference):
    make_record(title="Fiche pratique", occupations=[reference["plumber"]])
    make_record(title="Autre fiche")
    assert found("gas fitter") == {"Fiche pratique"}  # English alternative label
    assert found("plombière") == {"Fiche pratique"}  # French alternative label


@pytest.mark.django_db
def test_a_groups_label_finds_records_classified_under_the_group(reference):
    make_record(title="Les métiers du recrutement", isco_groups=[reference["2423"]])
    assert found("ressources humaines") == {"Les métiers du recrutement"}


@pytest.mark.django_db
def test_a_typo_still_finds_the_record_and_offers_the_right_spelling(client, counsellor):
    make_record(title="Devenir conseiller en insertion professionnelle", language="fr")
    client.force_login(counsellor)
    page = client.get(reverse("resources:catalogue"), {"q": "conseilller"}).content.decode()
    assert "Devenir conseiller en insertion professionnelle" in page
    assert 'href="?q=conseiller"' in page
    assert did_you_mean("conseilller") == "conseiller"
    assert did_you_mean("conseiller") is None


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", ["internal", "network"])
def test_a_visitor_is_never_offered_a_word_only_a_staff_record_holds(client, counsellor, visibility):
    """The public catalogue's spelling comes from public records only; staff still get every word."""
    make_record(title="Partenariat confidentiel avec la préfecture", visibility=visibility)
    make_record(title="Devenir plombier", visibility="public")
    public = client.get(reverse("resources:public-catalogue"), {"q": "confidentiell"}).content.decode()
    assert "confidentiel" not in public.replace("confidentiell", "")
    assert 'class="did-you-mean"' not in public
    assert did_you_mean("confidentiell", public=True) is None
    assert did_you_mean("plombir", public=True) == "plombier"
    client.force_login(counsellor)
    staff = client.get(reverse("resources:catalogue"), {"q": "confidentiell"}).content.decode()
    assert 'href="?q=confidentiel"' in staff


@pytest.mark.django_db
def test_words_that_find_nothing_show_what_their_suggested_spelling_finds(client, counsellor):
    make_record(title="Le métier de conseiller")
    make_record(title="Un guide pour la rentrée", description="Un conseiller vous reçoit au centre.")
    make_record(title="Conseils pour un entretien")
    client.force_login(counsellor)
    response = client.get(reverse("resources:catalogue"), {"q": "conseilller"})
    assert response.context["suggestion"] == "conseiller"
    # What the corrected word finds, by its stem too and wherever it is written, the titles first.
    assert [record.title for record in response.context["close_matches"]] == [
        "Le métier de conseiller",
        "Conseils pour un entretien",
        "Un guide pour la rentrée",
    ]


@pytest.mark.django_db
def test_results_are_ranked_and_the_matched_words_highlighted(client, counsellor):
    make_record(title="Un guide", description="On y parle un peu de métier.")
    make_record(title="Fiche métier : cuisinier", description="Le métier de cuisinier.")
    client.force_login(counsellor)
    page = client.get(reverse("resources:catalogue"), {"q": "métier"}).content.decode()
    assert page.index("cuisinier") < page.index("Un guide")  # the title weighs more
    assert "<mark>métier</mark>" in page


@pytest.mark.django_db
def test_highlighting_never_lets_html_through(client, counsellor):
    make_record(title="<script>alert(1)</script> métier")
    client.force_login(counsellor)
    page = client.get(reverse("resources:catalogue"), {"q": "métier"}).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.django_db
def test_facets_count_the_results_and_filter_them(client, counsellor, areas, reference):
    make_record(title="Guide emploi", kind="guide", areas=[areas["find-job"]], audiences=["job-seekers"])
    make_record(title="Fiche plombier", kind="occupation-sheet", occupations=[reference["plumber"]], language="en")
    make_record(title="Vidéo", kind="video", areas=[areas["find-job"]])
    client.force_login(counsellor)

    response = client.get(reverse("resources:catalogue"))
    facets = {name: {item.value: item.count for item in values} for name, _title, values in response.context["facets"]}
    assert facets["kind"] == {"guide": 1, "occupation-sheet": 1, "video": 1}
    assert facets["theme"] == {"find-job": 2}
    assert facets["audience"] == {"job-seekers": 1}
    assert facets["group"] == {"7": 1}
    assert facets["language"] == {"fr": 2, "en": 1}
    assert facets["centre"] == {"local": 3}

    response = client.get(reverse("resources:catalogue"), {"theme": "find-job", "kind": "video"})
    assert [record.title for record in response.context["records"]] == ["Vidéo"]
    response = client.get(reverse("resources:catalogue"), {"group": "7"})
    assert [record.title for record in response.context["records"]] == ["Fiche plombier"]
    response = client.get(reverse("resources:catalogue"), {"occupation": reference["plumber"].pk})
    assert [record.title for record in response.context["records"]] == ["Fiche plombier"]


@pytest.mark.django_db
def test_sorting_and_pagination_keep_the_query(client, counsellor):
    for number in range(25):
        make_record(title=f"Guide {number:02d}", date=f"20{number:02d}")
    client.force_login(counsellor)
    response = client.get(reverse("resources:catalogue"), {"sort": "title", "kind": "guide"})
    assert [record.title for record in response.context["records"]][:2] == ["Guide 00", "Guide 01"]
    assert "sort=title&amp;kind=guide&amp;page=2" in response.content.decode()
    response = client.get(reverse("resources:catalogue"), {"sort": "date", "page": 2})
    assert [record.title for record in response.context["records"]] == [
        "Guide 04",
        "Guide 03",
        "Guide 02",
        "Guide 01",
        "Guide 00",
    ]


@pytest.mark.django_db
def test_a_bad_filter_value_says_so_instead_of_failing(client, counsellor):
    make_record()
    client.force_login(counsellor)
    response = client.get(reverse("resources:catalogue"), {"group": "abc", "sort": "nonsense"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "errorlist" in response.content.decode()


@pytest.mark.django_db
def test_deleted_records_are_never_found(client, counsellor):
    record = make_record(title="Fiche métier", visibility="network")
    delete_record(record=record)
    client.force_login(counsellor)
    response = client.get(reverse("resources:catalogue"), {"q": "métier"})
    assert response.context["page"].paginator.count == 0


def _fill(count, areas, reference, sister):
    for number in range(count):
        make_record(
            title=f"Fiche métier numéro {number}",
            description="Le métier de plombier.",
            areas=list(areas.values()),
            occupations=[reference["plumber"]],
            audiences=["young-people"],
            visibility="public",
        )
    if count > 1:  # a harvested record among them, for the source centre facet
        Record.objects.filter(pk=Record.objects.order_by("id").last().pk).update(
            source_centre=sister, origin_identifier="oai:x:1"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("search", ["", "métier"])
def test_the_catalogue_page_does_the_same_number_of_queries_for_1_and_200_records(
    client, counsellor, areas, reference, sister, monkeypatch, search
):
    monkeypatch.setattr("resources.views.FEW_RESULTS", 0)  # no spelling help: one record is not "little" here
    client.force_login(counsellor)
    url = reverse("resources:catalogue") + (f"?q={search}" if search else "")
    _fill(1, areas, reference, sister)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _fill(199, areas, reference, sister)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["page"].paginator.count == 200
    assert len(many) == len(one), "\n".join(query["sql"] for query in many.captured_queries)


@pytest.mark.django_db
def test_the_public_catalogue_does_the_same_number_of_queries_for_1_and_200_records(
    client, areas, reference, sister, monkeypatch
):
    monkeypatch.setattr("resources.views.FEW_RESULTS", 0)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("resources:public-catalogue") + "?q=métier"
    _fill(1, areas, reference, sister)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _fill(199, areas, reference, sister)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["\x01", "le la les", "&|!"])
def test_a_search_of_nothing_but_stop_words_or_signs_finds_nothing_and_still_sorts(client, counsellor, typed):
    """Found by the fuzz tests: sorting by relevance a search that parsed to nothing was a server error."""
    make_record(title="Devenir plombier")
    client.force_login(counsellor)
    for url in ("/resources/records/", "/resources/public/"):
        response = client.get(url, {"q": typed, "sort": "relevance"})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 0
        assert "Devenir plombier" not in response.content.decode()
    response = client.get("/resources/records/export.csv", {"q": typed, "sort": "relevance"})
    assert response.status_code == 200
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == 1 and "Devenir plombier" not in rows[0]  # the header alone
