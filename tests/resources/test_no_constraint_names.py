"""No database constraint's name reaches the library's users: a record's visibility (the one of the
library's constraints a form can meet; the others are the harvester's and the ESCO import's) refused
by the record form, the admin and the CSV import, in words."""

import pytest
from django.urls import reverse

from cite.models import User
from resources.models import Record
from tests.factories import shows_no_constraint_name
from tests.resources.test_csv import csv_file

pytestmark = pytest.mark.django_db
RECORD = {"title": "Guide de l'alternance", "kind": "guide", "language": "fr", "date": "2024"}


@pytest.mark.parametrize("visibility", ["secret", "", "PUBLIC"])
def test_a_forged_visibility_is_refused_in_words_by_the_record_form(client, back_office, visibility):
    client.force_login(back_office)
    response = client.post(reverse("resources:record-create"), {**RECORD, "visibility": visibility})
    assert response.status_code in (200, 400)
    shows_no_constraint_name(response)
    assert "Guide de l&#x27;alternance" in response.content.decode()  # nothing typed is lost
    assert not Record.objects.exists()


def test_a_forged_visibility_is_refused_in_words_by_the_admin(client):
    client.force_login(User.objects.create_superuser("root@example.org", "a-long-test-password-42"))
    response = client.post(
        "/admin/resources/record/add/",
        {**RECORD, "visibility": "secret", "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    shows_no_constraint_name(response)
    assert not Record.objects.exists()


def test_a_forged_visibility_is_refused_in_words_by_the_import(client, back_office):
    client.force_login(back_office)
    response = client.post(reverse("resources:record-import"), {"file": csv_file([{**RECORD, "visibility": "secret"}])})
    assert response.status_code == 200
    shows_no_constraint_name(response)
    assert "secret" in response.content.decode()
    assert not Record.objects.exists()
