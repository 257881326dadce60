"""The self-service corner's catalogue: public records only, no login, readable permalinks."""

import pytest
from django.urls import reverse

from tests.resources.conftest import make_record

pytestmark = pytest.mark.django_db


def test_visitors_find_public_records_only(client):
    make_record(title="Fiche métier publique", visibility="public")
    make_record(title="Fiche métier du réseau", visibility="network")
    make_record(title="Fiche métier interne", visibility="internal")
    response = client.get(reverse("resources:public-catalogue"), {"q": "metier"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fiche <mark>métier</mark> publique" in page
    assert "réseau" not in page and "interne" not in page
    assert 'name="centre"' not in page and 'name="visibility"' not in page


def test_a_public_permalink_shows_the_record_and_others_are_not_found(client):
    public = make_record(title="Guide public", visibility="public", description="Pour tous.")
    network = make_record(title="Guide réseau", visibility="network")
    response = client.get(public.get_public_url())
    assert response.status_code == 200
    assert "Guide public" in response.content.decode()
    assert client.get(reverse("resources:public-record", kwargs={"uuid": network.uuid})).status_code == 404


def test_the_public_catalogue_never_links_to_staff_pages(client, reference):
    record = make_record(title="Fiche plombier", occupations=[reference["plumber"]])
    page = client.get(record.get_public_url()).content.decode()
    assert "plombier/plombière" in page
    assert reverse("resources:occupation-detail", kwargs={"pk": reference["plumber"].pk}) not in page
    page = client.get(reverse("resources:public-catalogue")).content.decode()
    assert record.get_absolute_url() not in page
    assert record.get_public_url() in page
