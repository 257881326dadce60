"""Relevance, judged: the words the centre's visitors type, and the records that must come first.

A small catalogue like a centre's own (occupation sheets, guides on the steps of a job search, a few
pages in English), with distractors that are newer or mention the words only in passing. Every
speed-up of the search must keep this set passing; a query added here is one a visitor typed.
"""

import pytest
from django.core.cache import caches
from django.urls import reverse

from resources.models import Record
from resources.services import delete_record
from tests.factories import count_queries
from tests.resources.conftest import make_record

pytestmark = pytest.mark.django_db

# (title, description, keywords, language, kind); created in this order, so the last are the newest.
CATALOGUE = [
    (
        "Fiche métier : plombier/plombière",
        "Installer et réparer les réseaux d'eau et de gaz.",
        ["bâtiment"],
        "fr",
        "occupation-sheet",
    ),
    (
        "Devenir infirmier ou infirmière",
        "Le diplôme d'État, les stages, les concours.",
        ["santé"],
        "fr",
        "occupation-sheet",
    ),
    (
        "Découvrir les métiers : 500 fiches métiers",
        "Toutes les fiches pour explorer un métier.",
        ["métiers"],
        "fr",
        "guide",
    ),
    ("Réussir son CV", "Rédiger un curriculum vitae clair, avec des exemples.", ["cv"], "fr", "method"),
    (
        "Préparer un entretien d'embauche",
        "Les questions du recruteur et comment y répondre.",
        ["entretien"],
        "fr",
        "method",
    ),
    (
        "L'apprentissage, mode d'emploi",
        "Le contrat d'apprentissage, l'employeur, le centre de formation.",
        ["alternance"],
        "fr",
        "guide",
    ),
    (
        "Créer son entreprise : les étapes",
        "Du projet à l'immatriculation, les aides à la création.",
        ["création"],
        "fr",
        "guide",
    ),
    ("Financer sa formation", "Le compte personnel de formation et les autres financements.", ["CPF"], "fr", "guide"),
    ("La validation des acquis de l'expérience", "Obtenir un diplôme grâce à son expérience.", ["VAE"], "fr", "guide"),
    ("Becoming a nurse", "Nursing studies, placements and the first job.", ["health"], "en", "occupation-sheet"),
    ("Working abroad", "Finding a job in another European country.", ["mobility"], "en", "guide"),
    (
        "Boulanger, boulangère : le métier en vidéo",
        "Le fournil, les horaires, la passion du pain.",
        ["alimentation"],
        "fr",
        "video",
    ),
    # Distractors: newer, and the words only in their description or in passing.
    (
        "Chercher un emploi à Bruxelles",
        "Un guide pour chaque métier qui recrute, et la formation.",
        ["emploi"],
        "fr",
        "guide",
    ),
    (
        "Salon de l'emploi et de la formation 2025",
        "Des entreprises, un plombier, une infirmière et un boulanger.",
        [],
        "fr",
        "website",
    ),
    ("Les aides de la région", "Entreprise, embauche, apprentissage : qui contacter.", [], "fr", "website"),
]

METIER_IN_TITLE = {
    "Découvrir les métiers : 500 fiches métiers",
    "Boulanger, boulangère : le métier en vidéo",
    "Fiche métier : plombier/plombière",
}
# (what a visitor types, the record that must come first, or the records one of which must)
JUDGED = [
    ("metier", METIER_IN_TITLE),
    ("métiers", "Découvrir les métiers : 500 fiches métiers"),
    ("plombier", "Fiche métier : plombier/plombière"),
    ("plombiere", "Fiche métier : plombier/plombière"),
    ("infirmiere", "Devenir infirmier ou infirmière"),
    ("cv", "Réussir son CV"),
    ("entretien d'embauche", "Préparer un entretien d'embauche"),
    ("apprentissage", "L'apprentissage, mode d'emploi"),
    ("créer son entreprise", "Créer son entreprise : les étapes"),
    ("financer formation", "Financer sa formation"),
    ("VAE", "La validation des acquis de l'expérience"),
    ("nurse", "Becoming a nurse"),
    ("working abroad", "Working abroad"),
    ("boulanger", "Boulanger, boulangère : le métier en vidéo"),
]


@pytest.fixture
def catalogue():
    for title, description, keywords, language, kind in CATALOGUE:
        make_record(title=title, description=description, keywords=keywords, language=language, kind=kind)


def first_titles(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return [record.title for record in response.context["records"]]


@pytest.mark.parametrize(("typed", "expected"), JUDGED)
def test_the_record_a_visitor_expects_comes_first_from_the_landing_form(client, catalogue, typed, expected):
    """As the public catalogue's form sends it from its first page: the sort menu at its default."""
    titles = first_titles(client, reverse("resources:public-catalogue"), q=typed, sort="", sorted_q="")
    assert titles[0] in ({expected} if isinstance(expected, str) else expected), titles


@pytest.mark.parametrize(("typed", "expected"), JUDGED)
def test_a_broad_search_keeps_the_judged_order(client, catalogue, monkeypatch, typed, expected):
    """As a search with thousands of matches is ranked: counted on the sample, the records whose title
    or keywords hold the words first and only a window of candidates (five here) ranked by ts_rank."""
    monkeypatch.setattr("resources.selectors.EXACT_UP_TO", -1)
    monkeypatch.setattr("resources.selectors.RANKED_WINDOW", 5)
    titles = first_titles(client, reverse("resources:public-catalogue"), q=typed, sort="", sorted_q="")
    assert titles[0] in ({expected} if isinstance(expected, str) else expected), titles


@pytest.mark.parametrize(("typed", "expected"), JUDGED[:4])
def test_the_staff_catalogue_ranks_the_same(client, counsellor, catalogue, typed, expected):
    client.force_login(counsellor)
    titles = first_titles(client, reverse("resources:catalogue"), q=typed, sort="", sorted_q="")
    assert titles[0] in ({expected} if isinstance(expected, str) else expected), titles


def test_new_words_sort_by_relevance_again_but_an_order_chosen_for_these_words_is_kept(client, catalogue):
    url = reverse("resources:public-catalogue")
    # Sorted by title while looking at "emploi", then "metier" typed in the same form: relevance.
    assert first_titles(client, url, q="metier", sort="title", sorted_q="emploi")[0] in METIER_IN_TITLE
    # The order chosen for these very words stays.
    by_title = first_titles(client, url, q="metier", sort="title", sorted_q="metier")
    assert by_title == sorted(by_title)
    # Newest first when asked, for a link without the form's memory too.
    assert first_titles(client, url, q="metier", sort="newest")[0] == "Chercher un emploi à Bruxelles"


def test_the_sort_menu_offers_the_default_order_with_an_empty_value(client, catalogue):
    page = client.get(reverse("resources:public-catalogue")).content.decode()
    assert '<option value="" selected>' in page  # newest first, without words
    assert 'name="sorted_q" value=""' in page
    page = client.get(reverse("resources:public-catalogue"), {"q": "métier"}).content.decode()
    assert '<option value="" selected>' in page  # relevance, with words
    assert 'name="sorted_q" value="métier"' in page


@pytest.fixture
def search_cache(settings):
    settings.RESOURCES_SEARCH_CACHE_SECONDS = 60
    caches["search"].clear()
    yield
    caches["search"].clear()


def test_a_search_made_again_is_answered_from_memory_and_a_change_is_seen_at_once(
    client, catalogue, search_cache, django_capture_on_commit_callbacks
):
    url = reverse("resources:public-catalogue") + "?q=plombier"
    cold = len(count_queries(client, url))
    warm = len(count_queries(client, url))
    assert warm < cold  # the total, the facets and the ranked page are not computed again
    assert len(client.get(url).context["records"]) == 2

    with django_capture_on_commit_callbacks(execute=True):
        make_record(title="Plombier chauffagiste : témoignage")
    titles = first_titles(client, url)
    assert "Plombier chauffagiste : témoignage" in titles and len(titles) == 3

    with django_capture_on_commit_callbacks(execute=True):
        delete_record(record=Record.objects.get(title="Plombier chauffagiste : témoignage"))
    assert len(first_titles(client, url)) == 2


def test_the_catalogue_keeps_its_query_budget_with_the_cache(
    client, search_cache, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("resources.views.FEW_RESULTS", 0)  # no "did you mean" for the single record
    url = reverse("resources:public-catalogue") + "?q=métier"
    with django_capture_on_commit_callbacks(execute=True):
        make_record(title="Fiche métier 0")
    one = (len(count_queries(client, url)), len(count_queries(client, url)))
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(1, 60):
            make_record(title=f"Fiche métier {number}")
    many = (len(count_queries(client, url)), len(count_queries(client, url)))
    assert many == one
