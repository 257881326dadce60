"""The fixed cost of a staff request: the session, the user, then one query for their groups,
permissions and authenticator app (cite.middleware.load_access), whatever the view checks."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cite.middleware import load_access
from cite.models import User
from cite.roles import MANAGER, RECEPTION


def _queries(client, url, status=200):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == status
    return [query["sql"] for query in queries.captured_queries]


def test_a_permission_checked_page_costs_three_queries_before_the_view(client, receptionist, settings):
    settings.MFA_REQUIRED_GROUPS = [MANAGER]
    client.force_login(receptionist)
    client.get(reverse("reception:queue-overview"))
    queries = _queries(client, reverse("reception:queue-overview"))
    assert "django_session" in queries[0]
    assert "cite_user" in queries[1]
    assert "auth_group" in queries[2] and "mfa_authenticator" in queries[2]
    assert not any("auth_permission" in query for query in queries[3:])  # has_perm asks nothing more


def test_the_one_query_finds_what_django_would(receptionist, manager):
    extra = Permission.objects.get(codename="view_statistics")
    receptionist.user_permissions.add(extra)
    receptionist.refresh_from_db()
    groups, totp = load_access(receptionist)
    assert groups == {RECEPTION}
    assert totp is False
    expected = User.objects.get(pk=receptionist.pk)  # a fresh object: ModelBackend's own queries
    assert receptionist.get_all_permissions() == expected.get_all_permissions()
    assert "cite.view_statistics" in receptionist.get_all_permissions()
    TOTP.activate(manager, generate_totp_secret())
    assert load_access(manager)[1] is True


def test_a_role_taken_away_applies_from_the_next_request(client, receptionist):
    client.force_login(receptionist)
    assert client.get(reverse("reception:front-desk")).status_code == 200
    receptionist.groups.remove(Group.objects.get(name=RECEPTION))
    assert client.get(reverse("reception:front-desk")).status_code == 403


def test_a_manager_without_an_authenticator_is_still_sent_to_set_one_up(client, manager, settings):
    settings.MFA_REQUIRED_GROUPS = [MANAGER]
    client.force_login(manager)
    assert client.get("/statistics/").url == reverse("mfa_activate_totp")
    TOTP.activate(manager, generate_totp_secret())
    assert Authenticator.objects.filter(user=manager).exists()
    assert client.get("/statistics/").status_code == 200


def test_inactive_and_superusers_keep_django_s_rules(receptionist):
    receptionist.is_active = False
    load_access(receptionist)
    assert not receptionist.has_perm("reception.issue_ticket")
    receptionist.is_active, receptionist.is_superuser = True, True
    del receptionist._cite_groups
    load_access(receptionist)
    assert receptionist.has_perm("partners.delete_institution")
