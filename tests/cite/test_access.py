"""Every staff page requires a permission, and each role gets exactly the pages it should.

The walk is mechanical: every URL of cite's own apps is found in the URLconf, so a new page that
forgets its permission (or its row in PAGE_ROLES) fails here.
"""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {  # answer everyone
    "healthz",
    "favicon",
    "area-colours",
    "reception:display",
    "reception:display-state",
    "phone:ticket",
    "phone:status",
    "partners:calendar-feed",  # a calendar app cannot log in: the secret token in the URL is the credential
    "counselling:workshop-public-feed",  # public events: open, not cancelled workshops, no staff names
    "resources:public-catalogue",  # the self-service corner: public records only
    "resources:public-record",
    "resources:record-file",  # files and thumbnails of public records; the others check the reader inside
    "resources:record-thumbnail",
    "oai",  # OAI-PMH: network and public records, for the sister centres' harvesters
    "kiosk",  # set on the kiosk's own browser (a cookie): it changes nothing on the server
    "kiosk-restart",
}
ANY_STAFF = {"home"}  # the role-aware redirect: any logged-in person, it only shows what they may use
CITE_APPS = ("cite", "reception", "counselling", "partners", "resources", "stats")

# Which personas may open each staff page (URL name -> personas). Each app adds its own rows in
# tests/<app>/access.py: PAGE_ROLES, PUBLIC for its pages without a login, and URL_KWARGS for pages
# whose URL takes arguments (URL name -> a function that creates what the page shows and returns the kwargs).
PAGE_ROLES = {
    "cite:team": {"back_office", "manager"},
}
URL_KWARGS = {}
POST_ONLY = set()  # pages answered to POST only: a GET by an allowed role gets 405
for _app in CITE_APPS[1:]:
    try:
        _module = importlib.import_module(f"tests.{_app}.access")
    except ModuleNotFoundError:
        continue
    PAGE_ROLES.update(_module.PAGE_ROLES)
    URL_KWARGS.update(getattr(_module, "URL_KWARGS", {}))
    POST_ONLY.update(getattr(_module, "POST_ONLY", set()))
    PUBLIC.update(getattr(_module, "PUBLIC", set()))


def own_patterns(resolver=None, namespace=""):
    """(url name, pattern) for every URL served by a view of cite's own apps."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from own_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.callback.__module__.split(".")[0] in CITE_APPS:
            yield f"{namespace}{entry.name}", entry


def test_every_own_page_is_public_or_guarded_by_a_permission():
    unguarded = [
        name
        for name, pattern in own_patterns()
        if name not in PUBLIC | ANY_STAFF and not getattr(pattern.callback, "required_permissions", None)
    ]
    assert unguarded == []


def test_every_guarded_page_has_a_row_in_the_matrix():
    guarded = {name for name, p in own_patterns() if getattr(p.callback, "required_permissions", None)}
    assert guarded == set(PAGE_ROLES)


@pytest.mark.parametrize("url_name", sorted(PAGE_ROLES))
def test_page_admits_its_roles_and_refuses_the_others(client, personas, url_name):
    from django.urls import reverse

    url = reverse(url_name, kwargs=URL_KWARGS.get(url_name, lambda: {})())
    for persona, user in personas.items():
        client.force_login(user)
        response = client.get(url)
        allowed = 405 if url_name in POST_ONLY else 200
        expected = allowed if persona in PAGE_ROLES[url_name] else 403
        assert response.status_code == expected, f"{persona} on {url_name}"
        client.logout()


@pytest.mark.parametrize("url_name", sorted(PAGE_ROLES))
def test_anonymous_people_are_sent_to_the_login_page(client, db, url_name):
    from django.urls import reverse

    url = reverse(url_name, kwargs=URL_KWARGS.get(url_name, lambda: {})())
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_refused_page_says_why_in_the_users_language(client, receptionist):
    client.force_login(receptionist)
    response = client.get("/team/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_administration_site_admits_only_staff_with_administration_access(client, personas):
    for persona, user in personas.items():
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == (200 if user.is_staff else 302), persona
        client.logout()
