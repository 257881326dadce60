"""Hostile input for the fuzz tests (hypothesis): random and structurally plausible values for every
form field and query-string filter, and the checks a response must pass (never a 500, a clear message).

Each test draws its examples inside one database set-up; `rolled_back()` undoes what an example wrote,
so N examples cost N requests and no more. N is 50 on a developer's machine, 500 in CI (CI=true), and
FUZZ_EXAMPLES overrides both (FUZZ_EXAMPLES=2000 for a long hunt).
"""

import functools
import os
from contextlib import contextmanager
from urllib.parse import quote_from_bytes

import hypothesis
import pytest
from django.conf import settings
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import strategies as st

IN_CI = os.environ.get("CI") == "true"

# A developer's run draws 50 examples per test, new ones every run; CI draws 500, the same ones every
# run (derandomised) so a red build can be reproduced. FUZZ_EXAMPLES overrides both.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (500 if IN_CI else 50))

SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=IN_CI,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one set-up per test; examples roll their writes back
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def fuzz(test):
    """A hypothesis test of the fuzz set: EXAMPLES examples, marked so a quick run can skip it (-m 'not fuzz')."""
    return pytest.mark.fuzz(SETTINGS(test))


# Shapes that break careless code: NUL bytes (PostgreSQL refuses them in text), injections, template
# and format strings, numbers out of every range, impossible dates, control and bidi characters.
SHAPES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "' OR '1'='1",
    "1; DROP TABLE reception_ticket; --",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "//evil.example.org/",
    "https://evil.example.org/",
    "{{ request }}",
    "{% debug %}",
    "%(name)s %s %d",
    "../../../../etc/passwd",
    "-1",
    "0",
    "1.5",
    "1e400",
    "-0",
    "NaN",
    "Infinity",
    "9" * 40,
    "-" + "9" * 40,
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "25:61",
    "2024-01-01T25:00",
    "true",
    "on",
    "null",
    "[]",
    "{}",
    "\t\r\n",
    "\r\nSet-Cookie: x=1",
    "\u202e\u200b\ufeff",
    "😀" * 20,
    "ǅ ß İ ﬀ",
    "A" * 100_000,
    "é" * 5_000,
    "\\",
    "*:*",
    "&|!()<>:'",
]


# Strategies are built once and kept: a test draws its examples from the same objects (hypothesis
# validates a new strategy object before its first draw, which for a form of a dozen fields was a
# tenth of a fuzz test's time when each example built its own).
@functools.cache
def hostile_text():
    return st.one_of(
        st.sampled_from(SHAPES),
        st.text(max_size=30),
        st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.binary(max_size=24).map(lambda data: data.decode("latin-1")),
    )


# A test names its plausible values inline (`field(st.sampled_from([...]))`), so each example passes new
# strategy objects: they are known by their description instead (hypothesis's repr, which spells out
# the values, bounds and mapped functions), and two strategies that print the same draw the same.
FIELDS = {}


def field(*plausible):
    """A value for one field: a plausible one (given), or something hostile; sometimes several."""
    key = tuple(repr(strategy) for strategy in plausible)
    if key not in FIELDS:
        single = st.one_of(*plausible, hostile_text()) if plausible else hostile_text()
        FIELDS[key] = st.one_of(single, single, st.lists(single, min_size=2, max_size=3))
    return FIELDS[key]


@functools.lru_cache(maxsize=1024)
def form_data(**fields):
    """A dict of any subset of the fields, each with a plausible or hostile value."""
    return st.fixed_dictionaries({}, optional=fields)


@functools.cache
def raw_query():
    """A query string of percent-encoded random bytes (not always UTF-8)."""
    return st.binary(max_size=60).map(lambda data: "q=" + quote_from_bytes(data) + "&" + quote_from_bytes(data[::-1]))


@functools.lru_cache(maxsize=1024)
def pks(*objects):
    return st.sampled_from([str(obj.pk) for obj in objects])


def logged_in(client, user):
    """Log the client in as `user` once per test rather than once per example (a new session row for
    each example was about a fifth of a fuzz test's time). Examples roll their writes back, so the
    session outlives them; if an example's answer changed the session cookie (a log-in or log-out
    rotates it), the next example logs in again."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if getattr(client, "fuzz_login", None) != (user.pk, cookie and cookie.value):
        client.force_login(user)
        client.fuzz_login = (user.pk, client.cookies[settings.SESSION_COOKIE_NAME].value)


@contextmanager
def rolled_back():
    """Whatever the example wrote is undone before the next one."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


SERVER_ERROR = 500
HANDLED = {200, 301, 302, 303, 400, 403, 404, 405, 410, 429}


def assert_handled(response, *, form=False):
    """No server error; a refused form says why (an error list or a message), never a blank page."""
    assert response.status_code < SERVER_ERROR, response.status_code
    assert response.status_code in HANDLED, response.status_code
    if form and response.status_code in {200, 400} and "html" in response.get("Content-Type", ""):
        page = response.content.decode()
        if response.status_code == 400:
            assert refused_with_a_reason(page)


def refused_with_a_reason(page):
    """The page tells why: an error list beside a field, an alert, or a message."""
    return "errorlist" in page or 'role="alert"' in page or 'class="messages"' in page
