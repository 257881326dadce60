"""`safe_next`: the one guard against open redirects, used by every page that sends the user back."""

import pytest
from django.test import RequestFactory

from cite.http import safe_next

HOSTILE = [
    "https://evil.example.org/",
    "//evil.example.org/",
    "/\\evil.example.org/",
    "https://testserver/reception/",  # this site, but not given by its path
    "javascript:alert(1)",
    "a\x00b",
    "reception:today",  # a view name is not a URL
    "",
]


@pytest.mark.parametrize("given", HOSTILE)
def test_next_off_the_site_or_not_a_path_gives_the_default(given):
    posted = RequestFactory().post("/", {"next": given})
    asked = RequestFactory().get("/", {"next": given})

    assert safe_next(posted, "/home/") == safe_next(asked, "/home/") == "/home/"


def test_a_path_of_this_site_is_followed_posted_first_then_from_the_query_string():
    assert safe_next(RequestFactory().post("/", {"next": "/reception/today/?area=1"}), "/home/") == (
        "/reception/today/?area=1"
    )
    assert safe_next(RequestFactory().get("/", {"next": "/partners/actions/"}), "/home/") == "/partners/actions/"
    both = RequestFactory().post("/?next=/from-the-link/", {"next": "/from-the-form/"})
    assert safe_next(both, "/home/") == "/from-the-form/"
    assert safe_next(RequestFactory().get("/"), "/home/") == "/home/"
