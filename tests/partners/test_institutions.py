"""The partner directory and a partner's page: what each role sees, filters, logos, phone numbers."""

import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from partners.forms import InstitutionForm
from partners.models import Contact, Institution, Secondment
from partners.validators import format_phone
from tests.conftest import make_staff
from tests.factories import count_queries, make_area
from tests.partners.factories import (
    PDF,
    make_agreement,
    make_contact,
    make_institution,
    make_signed_agreement,
    png_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(db):
    return {"job": make_area("find-job"), "business": make_area("start-business")}


SERIAL = itertools.count()


def fill_directory(count, areas):
    for number in (next(SERIAL) for _ in range(count)):
        institution = make_institution(f"Institution {number}", logo="")
        institution.areas.set(areas.values())
        make_contact(institution, name=f"Contact {number}", phone="+33123456701")
        make_signed_agreement(institution, start=-100, end=20)
        Secondment.objects.create(user=make_staff(f"c{number}@example.org"), institution=institution)


# --- The directory -----------------------------------------------------------------------------------------


def test_directory_lists_institutions_with_their_areas_and_counts(client, receptionist, areas):
    france_travail = make_institution("France Travail")
    france_travail.areas.set([areas["job"]])
    make_contact(france_travail, name="Claire Dumas")
    Secondment.objects.create(user=make_staff("k@example.org"), institution=france_travail)
    make_institution("Ancien partenaire", is_active=False)
    client.force_login(receptionist)

    response = client.get("/partners/institutions/")

    page = response.content.decode()
    assert "France Travail" in page
    assert "Find a job" in page
    assert [i.name for i in response.context["institutions"]] == ["France Travail", "Ancien partenaire"]
    listed = response.context["institutions"][0]
    assert (listed.contact_count, listed.counsellor_count) == (1, 1)
    assert "Former partner" in page


def test_directory_filters_by_kind_area_and_a_search_that_ignores_accents(client, counsellor, areas):
    cma = make_institution("Chambre de Métiers", kind=Institution.Kind.CHAMBER)
    cma.areas.set([areas["business"]])
    make_institution("France Travail")
    client.force_login(counsellor)

    def names(query):
        return [i.name for i in client.get(f"/partners/institutions/?{query}").context["institutions"]]

    assert names("kind=chamber") == ["Chambre de Métiers"]
    assert names(f"area={areas['business'].pk}") == ["Chambre de Métiers"]
    assert names("q=metiers") == ["Chambre de Métiers"]
    assert names("is_active=false") == []


def test_directory_keeps_a_fixed_number_of_queries(client, back_office, areas):
    client.force_login(back_office)
    fill_directory(1, areas)
    one = len(count_queries(client, "/partners/institutions/"))
    fill_directory(12, areas)
    assert len(count_queries(client, "/partners/institutions/")) == one


def test_contacts_directory_keeps_a_fixed_number_of_queries(client, receptionist, areas):
    client.force_login(receptionist)
    fill_directory(1, areas)
    one = len(count_queries(client, "/partners/institutions/contacts/"))
    fill_directory(12, areas)
    assert len(count_queries(client, "/partners/institutions/contacts/")) == one


def test_contacts_directory_finds_someone_by_institution_and_shows_a_number_people_can_dial(client, receptionist):
    make_contact(make_institution("Mission Locale"), name="Mathieu Perrin", phone="+33123456704", role="Conseiller")
    make_contact(make_institution("AFPA"), name="Nathalie Chevalier")
    client.force_login(receptionist)

    response = client.get("/partners/institutions/contacts/?q=mission")

    page = response.content.decode()
    assert [c.name for c in response.context["contacts"]] == ["Mathieu Perrin"]
    assert '<a href="tel:+33123456704">01 23 45 67 04</a>' in page


def test_agreements_list_keeps_a_fixed_number_of_queries_and_filters_those_ending_soon(client, manager, areas):
    client.force_login(manager)
    fill_directory(1, areas)
    one = len(count_queries(client, "/partners/institutions/agreements/"))
    fill_directory(12, areas)
    make_signed_agreement(make_institution("Loin"), start=-10, end=400)
    assert len(count_queries(client, "/partners/institutions/agreements/")) == one

    response = client.get("/partners/institutions/agreements/?ending_soon=on")
    assert len(response.context["agreements"]) == 13
    assert "Ends in 20 days" in response.content.decode()


# --- A partner's page --------------------------------------------------------------------------------------


def test_partner_page_shows_contacts_counsellors_and_flags_an_agreement_ending_soon(client, manager):
    institution = make_institution("Mission Locale")
    make_contact(institution, name="Élodie Fontaine", email="elodie@ml.example.org", phone="+33123456703")
    counsellor = make_staff("yanis@example.org", first_name="Yanis", last_name="Haddad")
    Secondment.objects.create(user=counsellor, institution=institution)
    make_signed_agreement(institution, title="Convention de partenariat", start=-600, end=45)
    client.force_login(manager)

    page = client.get(f"/partners/institutions/{institution.pk}/").content.decode()

    assert "Élodie Fontaine" in page
    assert "01 23 45 67 03" in page
    assert "Yanis Haddad" in page
    assert "Convention de partenariat" in page
    assert "Ends in 45 days" in page
    assert "Download the PDF" in page


def test_partner_page_hides_agreements_from_reception_and_counsellors(client, receptionist):
    institution = make_institution()
    make_signed_agreement(institution, title="Convention confidentielle")
    client.force_login(receptionist)

    page = client.get(f"/partners/institutions/{institution.pk}/").content.decode()

    assert "Convention confidentielle" not in page
    assert "Agreements" not in page


def test_partner_page_offers_to_record_a_signature_to_the_back_office_only(client, back_office, manager):
    institution = make_institution()
    draft = make_agreement(institution)
    sign_url = f"/partners/institutions/agreements/{draft.pk}/sign/"

    client.force_login(back_office)
    assert sign_url in client.get(institution.get_absolute_url()).content.decode()
    client.force_login(manager)
    assert sign_url not in client.get(institution.get_absolute_url()).content.decode()


def test_partner_page_keeps_a_fixed_number_of_queries(client, manager):
    institution = make_institution()
    client.force_login(manager)
    make_contact(institution)
    make_agreement(institution)
    client.get(institution.get_absolute_url())  # the month's statistics are read once, then kept a while
    one = len(count_queries(client, institution.get_absolute_url()))
    for number in range(8):
        make_contact(institution, name=f"Contact {number}")
        make_agreement(institution, title=f"Avenant {number}")
        Secondment.objects.create(user=make_staff(f"s{number}@example.org"), institution=institution)
    assert len(count_queries(client, institution.get_absolute_url())) == one


# --- Logos -------------------------------------------------------------------------------------------------


def institution_form(logo, name="France Travail"):
    return InstitutionForm(data={"name": name, "kind": "employment", "is_active": "on"}, files={"logo": logo})


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_a_logo_is_resized_to_400_pixels_and_saved_again_as_png(fmt):
    upload = SimpleUploadedFile("logo.anything", png_bytes((1600, 800), fmt=fmt), "application/octet-stream")

    form = institution_form(upload)
    assert form.is_valid(), form.errors
    institution = form.save()

    with Image.open(institution.logo.open("rb")) as image:
        assert image.format == "PNG"
        assert image.size == (400, 200)
    assert institution.logo.name.startswith("partners/logos/")
    assert institution.logo.name.endswith(".png")


def test_a_logo_keeps_nothing_but_its_pixels():
    source = io.BytesIO()
    Image.new("RGB", (100, 100), "red").save(source, format="JPEG", comment=b"<script>alert(1)</script>")
    form = institution_form(SimpleUploadedFile("logo.jpg", source.getvalue() + b"<?php echo 1; ?>"))
    assert form.is_valid(), form.errors
    stored = form.save().logo.open("rb").read()
    assert b"script" not in stored
    assert b"php" not in stored


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        PDF,
        b"GIF89a not really a picture",
    ],
)
def test_what_is_not_a_picture_is_refused_with_a_clear_message(content):
    form = institution_form(SimpleUploadedFile("logo.png", content, "image/png"))

    assert not form.is_valid()
    assert form.errors["logo"] == ["This file is not a picture cite can read: upload a PNG, JPEG, GIF or WebP image."]
    assert Institution.objects.count() == 0


def test_a_huge_picture_is_refused_before_it_is_decoded():
    form = institution_form(SimpleUploadedFile("logo.png", png_bytes((8000, 6000))))
    assert not form.is_valid()
    assert "too large" in form.errors["logo"][0]


def test_the_logo_is_served_to_staff_only_by_its_view(client, receptionist, outsider):
    form = institution_form(SimpleUploadedFile("logo.png", png_bytes((50, 50))))
    institution = form.save() if form.is_valid() else None
    client.force_login(receptionist)

    response = client.get(f"/partners/institutions/{institution.pk}/logo")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    client.force_login(outsider)
    assert client.get(f"/partners/institutions/{institution.pk}/logo").status_code == 403


def test_an_institution_without_logo_has_no_logo_to_serve(client, receptionist):
    institution = make_institution()
    client.force_login(receptionist)
    assert client.get(f"/partners/institutions/{institution.pk}/logo").status_code == 404


def test_two_institutions_cannot_share_a_name_whatever_its_case():
    make_institution("AFPA")
    form = InstitutionForm(data={"name": "afpa", "kind": "training", "is_active": "on"})
    assert not form.is_valid()
    assert "An institution with this name already exists." in str(form.errors)


# --- Phone numbers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01 23 45 67 89", "+33123456789"),
        ("01.23.45.67.89", "+33123456789"),
        ("+33 1 23 45 67 89", "+33123456789"),
        ("0041 22 123 45 67", "+41221234567"),
    ],
)
def test_a_contact_phone_is_checked_and_kept_in_international_form(typed, stored):
    contact = Contact(institution=make_institution(), name="Claire Dumas", phone=typed)
    contact.full_clean()
    assert contact.phone == stored


def test_a_wrong_phone_number_is_refused_beside_the_field():
    contact = Contact(institution=make_institution(), name="Claire Dumas", phone="12 34")
    with pytest.raises(Exception) as refused:
        contact.full_clean()
    assert "“12 34” is not a valid phone number" in refused.value.message_dict["phone"][0]


def test_the_default_region_of_phone_numbers_is_a_setting(settings):
    settings.PHONE_DEFAULT_REGION = "CH"
    contact = Contact(institution=make_institution(), name="Lea", phone="022 123 45 67")
    contact.full_clean()
    assert contact.phone == "+41221234567"
    assert format_phone(contact.phone) == "022 123 45 67"


def test_numbers_abroad_are_shown_with_their_country_code():
    assert format_phone("+33123456789") == "01 23 45 67 89"
    assert format_phone("+41221234567") == "+41 22 123 45 67"


def test_the_admin_shows_a_contacts_number_the_way_people_dial_it():
    from partners.forms import ContactForm

    contact = make_contact(make_institution(), phone="+33123456703")
    assert ContactForm(instance=contact)["phone"].value() == "01 23 45 67 03"
