"""The rows of access.py hold for every persona (tests/cite/test_access.py walks them once wired in)."""

import pytest
from django.urls import reverse

from tests.stats.access import PAGE_ROLES, URL_KWARGS


@pytest.mark.parametrize("url_name", sorted(PAGE_ROLES))
def test_each_statistics_page_admits_its_roles_and_refuses_the_others(client, personas, url_name):
    url = reverse(url_name, kwargs=URL_KWARGS.get(url_name, dict)())
    for persona, user in personas.items():
        client.force_login(user)
        expected = 200 if persona in PAGE_ROLES[url_name] else 403
        assert client.get(url).status_code == expected, f"{persona} on {url_name}"
        client.logout()
    assert client.get(url).status_code == 302


def test_every_statistics_page_has_a_row():
    from django.urls import get_resolver

    resolver = get_resolver()
    names = {f"stats:{name}" for name in resolver.namespace_dict["stats"][1].reverse_dict if isinstance(name, str)}
    assert names == set(PAGE_ROLES)
