"""A broad search (thousands of matches at a centre's scale): counted and faceted on the sample, ranked
on a window of candidates, the records whose title holds the words first. The thresholds are lowered
here so that a few records make a broad search."""

import pytest
from django.urls import reverse

from resources.models.records import SAMPLE_BUCKETS
from tests.factories import count_queries
from tests.resources.conftest import make_record

pytestmark = pytest.mark.django_db

URL = reverse("resources:public-catalogue")


@pytest.fixture
def broad(monkeypatch):
    """Every search is broad; a window of 5 candidates ranked by ts_rank."""
    monkeypatch.setattr("resources.selectors.EXACT_UP_TO", -1)
    monkeypatch.setattr("resources.selectors.RANKED_WINDOW", 5)
    monkeypatch.setattr("resources.views.FEW_RESULTS", 0)


def shown(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return [record.title for record in response.context["records"]], response


def test_titles_holding_the_words_come_first_then_the_window_by_relevance_then_the_newest(client, broad):
    make_record(title="Guide ancien", description="Plombier, plombier, plombier : le plombier.")
    make_record(title="Devenir plombier 0")
    make_record(title="Devenir plombier 1")
    for number in range(24):
        make_record(title=f"Guide {number}", description="Un plombier en parle.")
    make_record(title="Guide bavard", description="Plombier, plombier : le plombier.")
    make_record(title="Guide dernier", description="Un plombier en parle.")

    first, _response = shown(client, q="plombier")
    second, response = shown(client, q="plombier", page=2)

    # The window: the words in the title first, then the newest others, ranked by relevance among them.
    assert first[:5] == ["Devenir plombier 1", "Devenir plombier 0", "Guide bavard", "Guide dernier", "Guide 23"]
    # Past the window, newest first, whatever they say: "Guide ancien" says it most but comes last.
    assert first[5:] == [f"Guide {number}" for number in range(22, 7, -1)]
    assert second == [f"Guide {number}" for number in range(7, -1, -1)] + ["Guide ancien"]
    assert response.context["page"].paginator.count == 29  # every match read: the total is exact


def test_a_broad_searchs_counts_are_the_samples_multiplied_and_say_so(client, broad):
    records = [make_record(title=f"Fiche métier {number}", kind="video") for number in range(40)]
    estimate = SAMPLE_BUCKETS * sum(1 for record in records if record.pk % SAMPLE_BUCKETS == 0)

    _titles, response = shown(client, q="métier")

    facets = {name: values for name, _title, values in response.context["facets"]}
    assert [(value.value, value.count) for value in facets["kind"]] == [("video", estimate)]
    page = response.content.decode()  # in French, the visitors' default
    assert f"Environ {estimate} notices" in page
    assert f"≈&nbsp;{estimate}<" in page
    assert "Page 1 sur environ" in page


def test_an_estimate_below_the_real_number_hides_no_page_and_past_the_end_is_the_last_page(client, broad):
    for number in range(25):  # one or two in the sample: an estimate of 16 or 32
        make_record(title=f"Fiche métier {number}")

    first, response = shown(client, q="métier")
    assert len(first) == 20 and response.context["page"].has_next()

    last, response = shown(client, q="métier", page=99)
    assert response.context["page"].number == 2
    assert len(last) == 5 and not set(last) & set(first)


@pytest.mark.parametrize("exact_up_to", [-1, 3000])
@pytest.mark.parametrize("page", ["9223372036854775808", "99999999999999999999999", "-3", "2.5"])
def test_any_page_number_shows_a_page(client, monkeypatch, exact_up_to, page):
    """A page number past what the database counts in (a bigint) was a server error."""
    monkeypatch.setattr("resources.selectors.EXACT_UP_TO", exact_up_to)
    for number in range(3):
        make_record(title=f"Fiche métier {number}")

    titles, response = shown(client, q="métier", page=page)

    assert response.context["page"].number == 1 and len(titles) == 3


@pytest.mark.parametrize("search", ["", "métier"])
def test_a_search_runs_as_many_queries_counted_exactly_as_on_the_sample(client, monkeypatch, search):
    monkeypatch.setattr("resources.views.FEW_RESULTS", 0)
    monkeypatch.setattr("resources.selectors.EXACT_UP_TO", 30)
    url = URL + (f"?q={search}" if search else "")
    make_record(title="Fiche métier 0")
    exact = count_queries(client, url)
    assert client.get(url).context["estimated"] is False

    for number in range(1, 4 * SAMPLE_BUCKETS):  # four in the sample: an estimate of 64, over 30
        make_record(title=f"Fiche métier {number}")
    sampled = count_queries(client, url)

    assert client.get(url).context["estimated"] is True
    assert len(sampled) == len(exact), "\n".join(query["sql"] for query in sampled.captured_queries)
