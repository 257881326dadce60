"""Kiosk mode: a screen left to visitors hides the staff login and goes back to its start page, in the
centre's language, after a while without a touch. It is the kiosk browser's own cookie."""

import pytest
from django.conf import settings
from django.urls import reverse

from cite.forms import KIOSK_COOKIE

pytestmark = pytest.mark.django_db


def start(client, **fields):
    return client.post(reverse("kiosk"), {"start": "occupations", "idle": "120", **fields})


def test_starting_sets_the_screen_s_cookie_and_opens_its_start_page(client):
    response = start(client)
    assert response.status_code == 302 and response["Location"] == reverse("public:occupations")
    cookie = response.cookies[KIOSK_COOKIE]
    assert cookie.value == "occupations:120" and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_kiosk_page_hides_the_staff_login_and_carries_its_idle_time(client):
    before = client.get(reverse("public:occupations")).content.decode()
    assert "Staff login" in before or "Connexion du personnel" in before
    start(client, idle="60")
    page = client.get(reverse("public:occupations")).content.decode()
    assert reverse("account_login") not in page
    assert 'data-kiosk-idle="60"' in page and f'data-kiosk-restart="{reverse("kiosk-restart")}"' in page
    assert "js/kiosk.js" in page


def test_staff_logged_in_on_a_kiosk_see_their_own_pages(client, receptionist):
    start(client)
    client.force_login(receptionist)
    page = client.get(reverse("reception:front-desk")).content.decode()
    assert "data-kiosk-idle" not in page and "js/kiosk.js" not in page


def test_restarting_goes_to_the_start_page_in_the_centre_s_language(client):
    start(client, start="workshops")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("kiosk-restart"))
    assert response.status_code == 302 and response["Location"] == reverse("public:workshops")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted: the default language again
    assert client.get(reverse("public:workshops")).headers["Content-Language"] == settings.LANGUAGE_CODE


def test_restarting_without_kiosk_mode_goes_home(client):
    assert client.get(reverse("kiosk-restart"))["Location"] == reverse("home")


@pytest.mark.parametrize(
    "fields",
    [
        {"start": "https://evil.example.org/"},
        {"start": "admin:index"},
        {"idle": "1"},
        {"idle": "-5"},
        {"idle": "\x00"},
        {"start": ""},
    ],
)
def test_anything_but_the_offered_choices_is_refused_with_a_message(client, fields):
    response = start(client, **fields)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert KIOSK_COOKIE not in response.cookies


@pytest.mark.parametrize("forged", ["admin:60", "occupations:7", "occupations", "", "x" * 5000, "occupations:120:1"])
def test_a_forged_cookie_is_ignored(client, forged):
    client.cookies[KIOSK_COOKIE] = forged
    page = client.get(reverse("public:occupations")).content.decode()
    assert "data-kiosk-idle" not in page
    assert client.get(reverse("kiosk-restart"))["Location"] == reverse("home")


def test_stopping_removes_the_cookie(client):
    start(client)
    page = client.get(reverse("kiosk")).content.decode()
    assert 'value="stop"' in page
    response = client.post(reverse("kiosk"), {"action": "stop"})
    assert response.status_code == 302 and response.cookies[KIOSK_COOKIE].value == ""
    assert "data-kiosk-idle" not in client.get(reverse("public:occupations")).content.decode()


def test_the_kiosk_page_shows_the_screen_s_setting(client):
    start(client, start="workshops", idle="300")
    form = client.get(reverse("kiosk")).context["form"]
    assert (form["start"].value(), form["idle"].value()) == ("workshops", 300)
