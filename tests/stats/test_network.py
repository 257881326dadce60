"""The network export (format version 1) and the comparison page that reads other centres' files."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stats import network
from stats.periods import Period
from tests.stats.dataset import OCTOBER, october

pytestmark = pytest.mark.django_db
URL = "/statistics/network/"
QUERY = "period=month&date=2025-10-01"


@pytest.fixture
def month(visit, training, job, ages):
    october(visit, training, job, ages)
    return Period.of("month", OCTOBER)


def exported(client, manager, query=QUERY):
    client.force_login(manager)
    response = client.get(f"/statistics/network/figures.json?{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cite-des-metiers')
    assert response["Content-Disposition"].endswith('-2025-10-01-2025-10-31.json"')
    return json.loads(response.content)


def upload(client, *documents, names=None):
    files = [
        SimpleUploadedFile(name, document if isinstance(document, bytes) else json.dumps(document).encode())
        for name, document in zip(names or [f"centre-{n}.json" for n in range(len(documents))], documents, strict=True)
    ]
    return client.post(URL, {"action": "upload", "files": files}, follow=True)


def test_the_export_is_keyed_by_stable_codes_and_carries_suppressed_cells_as_null(client, manager, month, settings):
    settings.CENTRE_NAME = "Cité des métiers du Val"
    settings.CENTRE_COUNTRY = "FR"
    document = exported(client, manager)
    assert (document["format"], document["version"]) == ("cite-network-figures", 1)
    assert document["centre"] == {"name": "Cité des métiers du Val", "country": "FR"}
    assert document["period"] == {"kind": "month", "start": "2025-10-01", "end": "2025-10-31"}
    assert document["suppression"] == {"threshold": 5}
    assert document["totals"]["visits"] == 11  # the period's total is never suppressed
    assert document["totals"]["no_shows"] is None  # 1: suppressed
    assert document["breakdowns"]["visits_by_area"] == {
        "total": 11,
        "cells": {"find-training": None, "find-job": None},  # 4, and 7 that would give the 4 away
        "not_answered": 0,
    }
    assert set(document["breakdowns"]["age_band"]["cells"]) == {"18-25", "26-35"}
    assert document["breakdowns"]["age_band"]["cells"]["18-25"] == 5
    assert document["durations"]["waiting_by_area"]["all"] == {"visits": 9, "median": 10, "p90": 61}
    assert document["durations"]["waiting_by_area"]["cells"]["find-job"] == {
        "visits": None,
        "median": None,
        "p90": None,
    }
    # The breakdowns of sessions are there, empty: the nine sessions of the month recorded no topic,
    # no occupation, no referral, no document.
    for key in network.RESERVED_BREAKDOWNS:
        assert document["breakdowns"][key] == {"total": 0, "cells": {}, "not_answered": 0}, key
    assert document["totals"]["sessions"] == 9
    # Nothing of this database's own: no label, no id.
    assert "Trouver" not in json.dumps(document)
    keys = [code for b in document["breakdowns"].values() if b for code in b["cells"]]
    assert keys and not any(code.isdigit() for code in keys)


def test_the_export_of_this_centre_reads_back_through_the_comparison_page(client, manager, month):
    document = exported(client, manager)
    document["centre"] = {"name": "Cité des métiers de Genève", "country": "CH"}
    response = upload(client, document)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 fichier chargé." in page
    assert "Cité des métiers de Genève" in page
    # The comparison shows this centre's October (the period of the file) beside Geneva's, as shares.
    assert response.context["period"] == month
    tables = {t.key: t for t, _lines in response.context["tables"]}
    ages = {row.code: [cell.text for cell in cells] for row, cells in tables["age_band"].grid}
    assert ages["18-25"] == ["45,5 %", "45,5 %"]  # 5 of 11, here and there
    assert ages["26-35"] == ["—", "—"]  # 2: suppressed in both
    assert "Tranches d’âge" in page and "45,5 %" in page
    assert client.session[network.__name__ and "stats_network_figures"][0]["centre"]["country"] == "CH"


def test_shares_let_centres_of_different_sizes_compare(client, manager, month):
    document = exported(client, manager)
    bigger = copy.deepcopy(document)
    bigger["centre"]["name"] = "Cité des métiers de Marseille"
    bigger["totals"]["visits"] = 110
    bigger["breakdowns"]["age_band"] = {
        "total": 110,
        "cells": {"18-25": 50, "26-35": 20, "over-55": 10},
        "not_answered": 30,
    }
    for key in ("visits_by_area", "first_visit", "situation", "gender", "residence_zone", "heard_from"):
        bigger["breakdowns"][key] = None  # not recorded by this centre: only the age bands are compared
    response = upload(client, bigger)
    tables = {t.key: t for t, _lines in response.context["tables"]}
    ages = {row.code: [cell.text for cell in cells] for row, cells in tables["age_band"].grid}
    assert ages["18-25"] == ["45,5 %", "45,5 %"]
    assert ages["over-55"] == ["—", "9,1 %"]  # a code this centre does not have shows as itself
    assert [row.label for row in tables["age_band"].rows if row.code == "over-55"] == ["over-55"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00garbage", "n’est pas un fichier texte en UTF-8"),
        (b"{not json", "n’est pas un JSON valide (ligne 1, colonne 2)"),
        (b'{"format": "something-else"}', "n’est pas un fichier de chiffres du réseau"),
        (b"[1, 2]", "n’est pas un fichier de chiffres du réseau"),
    ],
)
def test_a_file_that_is_not_network_figures_is_refused_with_a_clear_message(client, manager, content, message):
    client.force_login(manager)
    response = upload(client, content, names=["figures.json"])
    assert response.status_code == 200
    page = response.content.decode()
    assert f"figures.json {message}" in page or f"figures.json : {message}" in page or message in page
    assert "stats_network_figures" not in client.session or client.session["stats_network_figures"] == []


def broken(document, change):
    document = copy.deepcopy(document)
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=2), "suit la version 2 du format ; ce cite lit la version 1"),
        (lambda d: d.update(version="1"), "version doit valoir 1."),
        (lambda d: d.pop("period"), "Le fichier n’a pas d’entrée « period »."),
        (lambda d: d.update(extra=1), "Le fichier contient une entrée inconnue « extra »."),
        (lambda d: d["centre"].update(country="France"), "centre.country doit être un code ISO 3166"),
        (lambda d: d["period"].update(end="2025-09-01"), "period.end ne doit pas précéder period.start."),
        (lambda d: d["period"].update(start="1 October"), "period.start doit être une date comme 2025-01-31."),
        (
            lambda d: d["period"].update(start="0001-01-01"),
            "period.start doit être une date comme 2025-01-31, des années 1900 à 2200.",
        ),
        (lambda d: d["totals"].update(visits=-3), "totals.visits doit être un nombre entier positif ou nul."),
        (lambda d: d["breakdowns"]["age_band"]["cells"].update({"18-25": 2.5}), "breakdowns.age_band.cells.18-25 doit"),
        (lambda d: d["breakdowns"]["age_band"]["cells"].update({"<script>": 1}), "n’est pas un code : « <script> »"),
        (lambda d: d["breakdowns"]["age_band"].update(total=1), "breakdowns.age_band compte plus que son total."),
        (lambda d: d["breakdowns"].update(favourite_colour=None), "contient une entrée inconnue « favourite_colour »"),
        (
            lambda d: d["durations"]["waiting_by_area"]["all"].update(median=99),
            "a une médiane supérieure à son 90e centile",
        ),
    ],
)
def test_a_file_that_breaks_the_format_is_refused_saying_what_is_wrong(client, manager, month, change, message):
    document = broken(exported(client, manager), change)
    response = upload(client, document, names=["autre.json"])
    assert response.status_code == 200
    page = response.content.decode().replace("&lt;", "<").replace("&gt;", ">").replace("&#x27;", "'")
    assert "autre.json" in page
    assert message in page
    assert response.context["documents"] == []


def test_a_file_too_large_is_refused_beside_the_field(client, manager, settings):
    settings.STATS_NETWORK_MAX_UPLOAD_KB = 1
    client.force_login(manager)
    response = client.post(URL, {"action": "upload", "files": [SimpleUploadedFile("big.json", b" " * 2048)]})
    assert response.status_code == 200
    assert "big.json dépasse 1 Ko" in response.content.decode()
    assert response.context["upload"].errors["files"]


def test_no_file_chosen_says_so(client, manager):
    client.force_login(manager)
    response = client.post(URL, {"action": "upload"})
    assert "Choisissez au moins un fichier." in response.content.decode()


def test_a_centre_can_be_removed_and_every_centre_cleared(client, manager, month):
    document = exported(client, manager)
    other = broken(document, lambda d: d["centre"].update(name="Cidade das Profissões", country="PT"))
    upload(client, document, other)
    assert len(client.session["stats_network_figures"]) == 2
    response = client.post(URL, {"action": "remove", "index": "0"}, follow=True)
    assert [d["centre"]["name"] for d in client.session["stats_network_figures"]] == ["Cidade das Profissões"]
    assert "n’est plus affichée" in response.content.decode()
    client.post(URL, {"action": "clear"})
    assert "stats_network_figures" not in client.session


def test_loading_the_same_centre_and_period_again_replaces_it_and_the_number_of_centres_is_capped(
    client, manager, month, settings
):
    settings.STATS_NETWORK_MAX_CENTRES = 2
    document = exported(client, manager)
    upload(client, document)
    upload(client, document)
    assert len(client.session["stats_network_figures"]) == 1
    second = broken(document, lambda d: d["centre"].update(name="B"))
    third = broken(document, lambda d: d["centre"].update(name="C"))
    response = upload(client, second, third, names=["b.json", "c.json"])
    assert len(client.session["stats_network_figures"]) == 2
    assert "c.json n’a pas été chargé : on compare au plus 2 Cités à la fois." in response.content.decode()


def test_a_file_whose_shares_do_not_add_up_is_refused_with_one_message_per_problem(client, manager, month):
    document = exported(client, manager)
    broken = copy.deepcopy(document)
    broken["centre"]["name"] = "Cité des métiers de Lyon"
    broken["totals"]["visits"] = 100
    broken["totals"]["served"] = 150
    for key in ("visits_by_area", "first_visit", "situation", "gender", "residence_zone", "heard_from"):
        broken["breakdowns"][key] = None
    broken["breakdowns"]["age_band"] = {"total": 100, "cells": {"18-25": 40, "26-35": 20}, "not_answered": 0}
    broken["breakdowns"]["arrivals_by_weekday_hour"] = {"total": 100, "cells": {"9-25": 10}, "not_answered": None}
    response = upload(client, broken, names=["lyon.json"])
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors == [
        "lyon.json : totals.served (150) dépasse les 100 visites.",
        "lyon.json : les parts de « Tranches d’âge » (age_band) totalisent 60,0 %, et non 100 % : "
        "ses cases comptent 60 sur 100.",
        "lyon.json : « Arrivées par jour et par heure » (arrivals_by_weekday_hour) contient des codes qui ne "
        "sont pas de son type : « 9-25 ».",
    ]
    page = response.content.decode()
    assert page.count("totalisent 60,0") == 1  # each problem said once
    assert response.context["documents"] == []  # nothing of it kept


def test_this_centres_column_is_marked_and_its_own_file_recognised(client, manager, month, settings):
    document = exported(client, manager)
    sister = copy.deepcopy(document)
    sister["centre"] = {"name": "Cité des métiers de Genève", "country": "CH"}
    response = upload(client, document, sister)
    page = response.content.decode()
    assert page.count('<span class="ours-badge">cette Cité</span>') == len(response.context["tables"])
    assert "le fichier de cette Cité" in page  # the file of this very centre, listed as such
    assert [d["ours"] for d in response.context["documents"]] == [True, False]
