"""Fixtures of the partners tests: the interface in English (uploads already go to a temporary
folder, by tests/conftest.py).

The tests read what people see in English, so they pass the same before and after the French
catalogue grows (tests/cite/test_i18n.py checks that catalogue; the browser journey runs in French).
"""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def in_english(request, settings):
    if "page" in request.fixturenames:  # browser tests choose their language like a person would
        yield
        return
    client = request.getfixturevalue("client")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
