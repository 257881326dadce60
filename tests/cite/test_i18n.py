"""French by default, English on request, the same for error pages."""

import pytest


@pytest.mark.django_db
def test_the_interface_is_in_french_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="fr">' in page
    assert "Connexion" in page
    assert "Mot de passe" in page


@pytest.mark.django_db
def test_the_switcher_changes_the_language_and_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page
    assert "Connexion" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [("fr", "Page introuvable"), ("en", "Page not found")])
def test_not_found_page_speaks_both_languages(client, language, text):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.parametrize(("language", "text"), [("fr", "Une erreur est survenue"), ("en", "Something went wrong")])
def test_server_error_page_speaks_both_languages(rf, language, text):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override(language):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert text in response.content.decode()


def test_french_catalogue_is_complete():
    """Every message of locale/fr has a translation: nothing falls back to English unnoticed."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    with open(Path(__file__).resolve().parents[2] / "locale/fr/LC_MESSAGES/django.po", "rb") as po:
        catalog = read_po(po)
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize(("count", "text"), [(1, "1 atelier"), (2, "2 ateliers"), (15, "15 ateliers")])
def test_french_plurals_are_translated_beyond_one(count, text):
    """The catalog declares French's two plural forms; without it Babel compiles CLDR's three
    (one, many, other) and every plural above one fell back to English."""
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("fr"):
        assert ngettext("%(counter)s workshop", "%(counter)s workshops", count) % {"counter": count} == text
