"""A refused record form loses nothing silently: files chosen are named to be chosen again (a
browser never keeps them), and text over a field's limit is refused, never cut."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.models import Record


@pytest.mark.django_db
def test_files_chosen_with_a_refused_form_are_named_to_be_attached_again(client, back_office):
    client.force_login(back_office)
    response = client.post(
        reverse("resources:record-create"),
        {
            "title": "Mon guide",
            "kind": "guide",
            "language": "fr",
            "date": "mai 2024",
            "visibility": "public",
            "new_files": [SimpleUploadedFile("guide-alternance.txt", b"Le guide de l'alternance.\n")],
        },
    )
    page = response.content.decode()
    assert "error-summary" in page
    assert "guide-alternance.txt" in page and "Choisissez-le de nouveau" in page
    assert not Record.objects.exists()


@pytest.mark.django_db
def test_a_title_over_its_limit_is_refused_not_cut(client, back_office):
    limit = Record._meta.get_field("title").max_length
    client.force_login(back_office)
    page = client.get(reverse("resources:record-create")).content.decode()
    assert not re.search(r"\smaxlength=", page)
    response = client.post(
        reverse("resources:record-create"),
        {"title": "é" * (limit + 1), "kind": "guide", "language": "fr", "visibility": "public"},
    )
    assert "rien n’a été coupé" in response.content.decode()
    assert not Record.objects.exists()
