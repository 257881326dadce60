"""Every page that reads a date from its URL answers extreme dates with the page or a clear refusal, never a 500.

The pages are found in the URLconf: a view declares the dates it reads with
`@cite.dates.reads_dates("week")` (query parameters, or path parameters such as `<str:day>`), and this
walk requests it with each extreme value, as each role that may see it (anonymously when it is public).
To add a page, decorate its view; if it reads the date only alongside other parameters (a period's
kind, an OAI-PMH verb), add them to ALONGSIDE. The admin's lists with a date hierarchy are found in the
admin site's registry.
"""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.cite.test_access import PAGE_ROLES, PUBLIC, URL_KWARGS, own_patterns

# Too early or too late for any arithmetic (year 1 has no previous year, 9999-12-31 no next week),
# out of the calendar, or not a date at all; months too, for pages that read YYYY-MM.
EXTREMES = [
    "0001-01-01",
    "9999-12-31",
    "9999-06-01",
    "-1",
    "99999-01-01",
    "2026-02-30",
    "garbage",
    "0001-01",
    "9999-12",
    "2026-13",
    "1899-12-31",
    "2201-01-01",
]
# Other parameters that make a page read a date: each combination is walked.
ALONGSIDE = {
    "date": ["", "period=week", "period=year"],  # a week's next, a year's previous: where dates overflowed
    "start": ["period=custom&end=2026-01-31"],
    "end": ["period=custom&start=2026-01-01"],
    "from": ["verb=ListRecords&metadataPrefix=oai_dc", "verb=ListIdentifiers&metadataPrefix=oai_dc"],
    "until": ["verb=ListRecords&metadataPrefix=oai_dc", "verb=ListIdentifiers&metadataPrefix=oai_dc"],
}
# A refusal the reader can see: the 400 page's message, a form error, or an OAI-PMH error.
REFUSAL = re.compile(r'class="errorlist|<error code="badArgument"')


def date_pages():
    return sorted(
        (name, pattern, parameter)
        for name, pattern in own_patterns()
        for parameter in getattr(pattern.callback, "date_parameters", ())
    )


def test_the_walk_finds_the_pages_that_read_dates():
    found = {(name, parameter) for name, _pattern, parameter in date_pages()}
    # A floor, not the list: the pages known when the walk was written (issue 18).
    assert {
        ("counselling:when-to-come", "week"),
        ("counselling:planning", "week"),
        ("counselling:hours", "month"),
        ("counselling:hours-csv", "month"),
        ("counselling:workshop-calendar", "month"),
        ("counselling:occurrence", "day"),
        ("stats:dashboard", "date"),
        ("stats:network-export", "date"),
        ("oai", "until"),
    } <= found


def _readers(name, personas):
    if name in PUBLIC:
        return {"anonymous": None}
    return {persona: personas[persona] for persona in sorted(PAGE_ROLES[name])}


@pytest.mark.parametrize(("name", "pattern", "parameter"), date_pages(), ids=lambda v: v if isinstance(v, str) else "")
def test_extreme_dates_get_the_page_or_a_clear_refusal(client, personas, name, pattern, parameter):
    kwargs = URL_KWARGS.get(name, dict)()
    in_path = parameter in pattern.pattern.converters
    client.raise_request_exception = False  # a 500 is a failure to list, with the others
    failures = []
    for persona, user in _readers(name, personas).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for value in ["", *EXTREMES]:
            if in_path and not value:
                continue
            for alongside in ALONGSIDE.get(parameter, [""]):
                if in_path:
                    url = reverse(name, kwargs={**kwargs, parameter: value}) + (f"?{alongside}" if alongside else "")
                else:
                    query = "&".join(part for part in (alongside, f"{parameter}={value}") if part)
                    url = f"{reverse(name, kwargs=kwargs)}?{query}"
                response = client.get(url, follow=True)
                body = response.content.decode(errors="replace")
                if not value:
                    ok = response.status_code == 200
                elif in_path:
                    ok = response.status_code == 404
                elif response.status_code == 400:
                    message = response.context.get("message") if response.context else None
                    ok = bool(message) and escape(message) in body
                else:
                    ok = response.status_code == 200 and bool(REFUSAL.search(body))
                if not ok:
                    failures.append(f"{persona} {url}: {response.status_code}")
    assert failures == []


def _date_hierarchies():
    from django.contrib import admin

    return sorted(
        (f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist", model_admin.date_hierarchy)
        for model, model_admin in admin.site._registry.items()
        if model_admin.date_hierarchy
    )


@pytest.mark.parametrize(("name", "field"), _date_hierarchies())
def test_admin_lists_refuse_a_year_outside_the_bounds_as_an_incorrect_lookup(client, db, name, field):
    from cite.models import User

    client.raise_request_exception = False
    client.force_login(User.objects.create_superuser("root@example.org", "a-long-test-password-42"))
    url = reverse(name)
    assert client.get(f"{url}?{field}__year=2026").status_code == 200
    for query in ("year=9999", "year=9999&{f}__month=12&{f}__day=31", "year=1", "year=99999999999999999999"):
        response = client.get(f"{url}?{field}__{query.format(f=field)}")
        assert (response.status_code, response.get("Location")) == (302, f"{url}?e=1"), query
