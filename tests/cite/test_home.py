"""The home page sends each person to what their role may use; navigation shows only that."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cite.roles import COUNSELLOR
from tests.conftest import make_staff


def test_anonymous_visitor_of_the_home_page_gets_the_visitors_home(client, db):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a class="brand" href="/">' in page  # the logo leads home, not to the staff's login
    assert page.count('href="/accounts/login/') == 1  # the one way in for staff, in the header's tools
    assert 'class="user-link" href="/accounts/login/"' in page


def test_back_office_sees_team_and_administration_in_the_menu(client, back_office):
    client.force_login(back_office)
    page = client.get("/").content.decode()
    assert f'href="{reverse("cite:team")}"' in page
    assert 'href="/admin/"' in page


def test_receptionist_is_not_shown_pages_they_would_be_refused(client, receptionist):
    client.force_login(receptionist)
    page = client.get("/", follow=True).content.decode()
    assert 'href="/team/"' not in page
    assert 'href="/admin/"' not in page


def test_someone_without_a_role_is_told_to_ask_for_one(client, outsider):
    client.force_login(outsider)
    page = client.get("/").content.decode()
    assert "Pas encore de rôle" in page


def test_team_directory_lists_active_colleagues_with_their_roles(
    client, manager, counsellor, django_assert_max_num_queries
):
    counsellor_gone = counsellor.__class__.objects.create_user("left@example.org", "x-long-password-1", is_active=False)
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        page = client.get("/team/").content.decode()
    assert "camille@example.org" in page
    assert "Conseiller" in page
    assert counsellor_gone.email not in page


def test_team_directory_keeps_a_fixed_number_of_queries(client, manager, django_assert_num_queries):
    client.force_login(manager)
    with CaptureQueriesContext(connection) as one_member:
        client.get("/team/")
    for index in range(30):
        make_staff(f"colleague{index}@example.org", COUNSELLOR)
    with django_assert_num_queries(len(one_member.captured_queries)):
        client.get("/team/")


def test_every_menu_entry_leads_to_a_page():
    from cite.navigation import all_entries

    for entry in all_entries():
        assert reverse(entry.url_name)
