"""Staff accounts: email login, TOTP, mandatory MFA for managers, rate limits, no sign-up, invitations."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.core import mail

from cite.models import User
from tests.conftest import PASSWORD


def log_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def current_totp(secret):
    import time

    from allauth.mfa import app_settings

    return hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD)


def test_staff_member_logs_in_with_email_and_password(client, back_office):
    response = log_in(client, "JULIEN@example.org")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert int(client.session["_auth_user_id"]) == back_office.pk


def test_wrong_password_is_refused_with_a_message_and_keeps_the_email(client, back_office):
    response = log_in(client, back_office.email, "not-the-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "julien@example.org" in page
    assert "incorrect" in page


def test_login_with_totp_asks_for_the_code_and_refuses_a_wrong_one(client, counsellor):
    secret = generate_totp_secret()
    TOTP.activate(counsellor, secret)
    response = log_in(client, counsellor.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    wrong = client.post(
        "/accounts/2fa/authenticate/", {"code": "000000" if current_totp(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    right = client.post("/accounts/2fa/authenticate/", {"code": f"{current_totp(secret):06d}"})
    assert right.status_code == 302
    assert int(client.session["_auth_user_id"]) == counsellor.pk


def test_manager_without_mfa_must_set_it_up_before_anything_else(client, manager, settings):
    settings.MFA_REQUIRED_GROUPS = ["Manager"]
    log_in(client, manager.email)
    response = client.get("/team/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password once more before an authenticator is added (its secure default).
    response = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.request["PATH_INFO"] == "/accounts/2fa/totp/activate/"
    assert response.status_code == 200

    TOTP.activate(manager, generate_totp_secret())
    assert client.get("/team/").status_code == 200


def test_mandatory_mfa_leaves_other_roles_alone(client, counsellor, settings):
    settings.MFA_REQUIRED_GROUPS = ["Manager"]
    client.force_login(counsellor)
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert "/accounts/2fa/" not in response.request["PATH_INFO"]
    assert not Authenticator.objects.filter(user=counsellor).exists()


@pytest.mark.django_db
def test_repeated_failed_logins_are_slowed_down_even_with_the_right_password(client, back_office):
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        log_in(client, back_office.email, "wrong-password")
    response = log_in(client, back_office.email)
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 429}
    cache.clear()


def test_there_is_no_public_sign_up(client, db):
    response = client.post("/accounts/signup/", {"email": "someone@example.org", "password1": "x-long-password-1"})
    assert response.status_code == 200
    assert "fermées" in response.content.decode() or "closed" in response.content.decode()
    assert not User.objects.filter(email="someone@example.org").exists()


def test_back_office_creates_an_account_and_the_new_member_sets_a_password_from_the_email(
    client, back_office, django_capture_on_commit_callbacks
):
    client.force_login(back_office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/cite/user/add/",
            {"email": "Lea@Example.org", "first_name": "Léa", "last_name": "Roux", "groups": []},
        )
    assert response.status_code == 302
    new_member = User.objects.get(email="lea@example.org")
    assert not new_member.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea@example.org"]

    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "Un-mot-de-passe-solide-7", "password2": "Un-mot-de-passe-solide-7"},
    )
    assert response.status_code == 302
    new_member.refresh_from_db()
    assert new_member.check_password("Un-mot-de-passe-solide-7")


def test_password_reset_sends_an_email_with_a_link(client, counsellor):
    client.post("/accounts/password/reset/", {"email": counsellor.email})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_email_addresses_are_unique_whatever_their_case(db):
    from django.db import IntegrityError

    User.objects.create_user("same@example.org", PASSWORD)
    other = User.objects.create_user("other@example.org", PASSWORD)
    with pytest.raises(IntegrityError):  # the database itself refuses, even when save() is bypassed
        User.objects.filter(pk=other.pk).update(email="SAME@example.org")


@pytest.mark.django_db
def test_guessing_passwords_for_many_accounts_from_one_address_is_slowed_down_too(client, back_office, settings):
    """allauth's per-address limit (10 failures a minute): after trying address after address, even the
    right password of another account is refused for a while, with a message."""
    from django.core.cache import cache

    cache.clear()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for n in range(10):
        assert "not correct" in log_in(client, f"guess{n}@example.org", "wrong-password").content.decode()
    response = log_in(client, back_office.email)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
    cache.clear()
    assert log_in(client, back_office.email).status_code == 302  # the limit is the cache's, nothing else


def test_the_admin_login_form_is_no_way_around_mfa_and_rate_limits(client, manager):
    """Django's own admin login would log a manager in on their password alone: it sends to allauth's."""
    from tests.conftest import PASSWORD

    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.post("/admin/login/", {"username": manager.email, "password": PASSWORD, "next": "/admin/"})
    assert "_auth_user_id" not in client.session
