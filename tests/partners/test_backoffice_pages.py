"""The back office's weekly work in the app's own pages: institutions and contacts, agreements and
their renewal, the exchange log, the typo-tolerant search — all through partners.services."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partners import selectors, services
from partners.models import Agreement, Contact, Exchange, Institution
from tests.factories import make_area
from tests.partners.factories import (
    PDF,
    make_agreement,
    make_contact,
    make_institution,
    make_signed_agreement,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


def due(today=TODAY):
    return set(Agreement.objects.renewal_due(today).values_list("pk", flat=True))


# --- Institutions and contacts ------------------------------------------------------------------------


def test_the_back_office_adds_an_institution_with_address_phone_and_areas_and_lands_on_its_page(client, back_office):
    area = make_area("find-job")
    client.force_login(back_office)
    response = client.post(
        "/partners/institutions/new/",
        {
            "name": "Mission Locale Val-de-Seine",
            "kind": "employment",
            "website": "mission-locale.example.org",
            "address": "12 rue des Partenaires\n92000 Val-de-Seine",
            "phone": "01 23 45 67 89",
            "areas": [area.pk],
        },
    )
    institution = Institution.objects.get()
    assert response.status_code == 302 and response["Location"] == institution.get_absolute_url()
    assert institution.phone == "+33123456789"
    assert institution.website == "https://mission-locale.example.org"
    assert list(institution.areas.all()) == [area]
    page = client.get(institution.get_absolute_url()).content.decode()
    assert "12 rue des Partenaires" in page and "01 23 45 67 89" in page
    assert "/admin/" not in page.split("<main", 1)[1]


def test_a_duplicate_name_or_a_wrong_phone_is_explained_and_nothing_typed_is_lost(client, back_office):
    make_institution("Mission Locale")
    client.force_login(back_office)
    response = client.post(
        "/partners/institutions/new/",
        {"name": "mission locale", "kind": "employment", "phone": "12", "description": "Accueil des 16-25 ans"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "An institution with this name already exists." in page
    assert "is not a valid phone number" in page
    assert "Accueil des 16-25 ans" in page
    assert "partners_institution_name_unique" not in page
    assert Institution.objects.count() == 1


def test_institutions_and_contacts_are_archived_never_deleted(client, back_office):
    institution = make_institution()
    contact = make_contact(institution)
    client.force_login(back_office)
    client.post(f"/partners/institutions/contacts/{contact.pk}/archive/")
    client.post(f"/partners/institutions/{institution.pk}/archive/")
    contact.refresh_from_db()
    institution.refresh_from_db()
    assert not contact.is_active and not institution.is_active
    assert contact not in client.get("/partners/institutions/contacts/").context["contacts"]
    client.post(f"/partners/institutions/{institution.pk}/archive/", {"active": "1"})
    institution.refresh_from_db()
    assert institution.is_active


def test_a_contact_is_added_from_the_partner_page_with_its_phone_checked(client, back_office):
    institution = make_institution()
    client.force_login(back_office)
    response = client.post(
        f"/partners/institutions/{institution.pk}/contacts/new/",
        {"name": "Élodie Fontaine", "role": "Directrice", "phone": "01 23 45 67 03"},
    )
    assert response.status_code == 302
    assert Contact.objects.get().phone == "+33123456703"


# --- Agreements: drafts, signature, renewal -----------------------------------------------------------


def test_a_draft_is_prepared_and_edited_in_the_app_but_a_signed_agreement_is_not(client, back_office):
    institution = make_institution()
    client.force_login(back_office)
    client.post(
        f"/partners/institutions/{institution.pk}/agreements/new/",
        {
            "kind": "partnership",
            "title": "Convention 2026",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "committed_hours": "7",
        },
    )
    draft = Agreement.objects.get()
    assert draft.stage == Agreement.Stage.DRAFT
    client.post(
        f"/partners/institutions/agreements/{draft.pk}/edit/",
        {
            "kind": "partnership",
            "title": "Convention 2026",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "committed_hours": "14",
            "document": SimpleUploadedFile("x.pdf", PDF, "application/pdf"),
        },
    )
    draft.refresh_from_db()
    assert draft.committed_hours == 14 and draft.document
    signed = make_signed_agreement(institution, title="Ancienne convention")
    response = client.get(f"/partners/institutions/agreements/{signed.pk}/edit/")
    assert response.status_code == 302
    with pytest.raises(services.AgreementStageError):
        services.save_draft_agreement(agreement=signed)


def test_an_agreement_ending_within_60_days_without_a_signed_successor_is_to_renew():
    soon = make_signed_agreement(start=-300, end=30, today=TODAY, title="Se termine bientôt")
    later = make_signed_agreement(make_institution("CIO"), start=-100, end=200, today=TODAY, title="Court encore")
    ended = make_agreement(make_institution("CCI"), start=-400, end=-10, today=TODAY, title="Terminée")
    Agreement.objects.filter(pk=ended.pk).update(
        stage=Agreement.Stage.EXPIRED, signature_date=ended.start_date, document="partners/agreements/x.pdf"
    )
    draft = make_agreement(make_institution("AFPA"), start=-300, end=10, today=TODAY, title="Brouillon")
    assert due() == {soon.pk, ended.pk}
    assert later.pk not in due() and draft.pk not in due()


def test_a_renewal_clears_the_flag_only_once_it_is_signed():
    old = make_signed_agreement(start=-300, end=30, today=TODAY)
    renewal = services.renew_agreement(agreement=old)
    assert renewal.stage == Agreement.Stage.DRAFT and renewal.renews == old
    assert renewal.start_date == old.end_date + datetime.timedelta(days=1)
    assert renewal.end_date - renewal.start_date == old.end_date - old.start_date
    assert renewal.committed_hours == old.committed_hours
    assert old.pk in due()  # a draft renewal is not yet a successor
    services.sign_agreement(
        agreement=renewal,
        signature_date=TODAY,
        document=SimpleUploadedFile("x.pdf", PDF, "application/pdf"),
        today=TODAY,
    )
    assert old.pk not in due()


def test_a_later_signed_agreement_of_the_same_type_counts_as_a_successor_even_without_renewal():
    institution = make_institution()
    old = make_signed_agreement(institution, start=-700, end=-370, today=TODAY, title="2024")
    make_signed_agreement(institution, start=-369, end=300, today=TODAY, title="2025-2026")
    assert old.pk not in due()


def test_an_agreement_is_renewed_once_and_a_draft_is_not_renewed():
    old = make_signed_agreement(start=-300, end=30)
    services.renew_agreement(agreement=old)
    with pytest.raises(services.AgreementStageError, match="already been renewed"):
        services.renew_agreement(agreement=old)
    with pytest.raises(services.AgreementStageError):
        services.renew_agreement(agreement=make_agreement(make_institution("CIO")))


def test_the_directory_the_partner_page_and_the_agreement_list_flag_an_agreement_to_renew(client, back_office):
    agreement = make_signed_agreement(start=-300, end=20)
    client.force_login(back_office)
    assert "Agreement to renew" in client.get("/partners/institutions/").content.decode()
    assert "to renew" in client.get(agreement.institution.get_absolute_url()).content.decode()
    listing = client.get("/partners/institutions/agreements/?renewal_due=on").content.decode()
    assert agreement.title in listing
    response = client.post(f"/partners/institutions/agreements/{agreement.pk}/renew/")
    renewal = Agreement.objects.get(renews=agreement)
    assert response["Location"] == f"/partners/institutions/agreements/{renewal.pk}/edit/"


# --- The exchange log ---------------------------------------------------------------------------------


def test_an_exchange_is_logged_with_its_contacts_and_shown_newest_first(client, back_office):
    institution = make_institution()
    contact = make_contact(institution)
    client.force_login(back_office)
    services.log_exchange(
        institution=institution, kind="email", date=TODAY, note="Ancien échange.", staff=[], by=back_office
    )
    response = client.post(
        f"/partners/institutions/{institution.pk}/exchanges/new/",
        {
            "kind": "call",
            "date": timezone.localdate().isoformat(),
            "contacts": [contact.pk],
            "note": "Deux conseillers disponibles le samedi du forum.",
            "follow_up": "Confirmer par écrit",
        },
    )
    assert response.status_code == 302
    exchange = Exchange.objects.get(kind="call")
    assert list(exchange.contacts.all()) == [contact]
    assert list(exchange.staff.all()) == [back_office]  # nobody ticked: the person logging it
    page = client.get(institution.get_absolute_url()).content.decode()
    assert page.index("Deux conseillers disponibles") < page.index("Ancien échange.")


def test_the_exchange_note_goes_through_the_personal_data_guard_and_keeps_what_was_typed(client, back_office):
    institution = make_institution()
    client.force_login(back_office)
    note = "Le jeune orienté hier rappellera au 06 12 34 56 78 pour son dossier."
    response = client.post(
        f"/partners/institutions/{institution.pk}/exchanges/new/",
        {"kind": "call", "date": timezone.localdate().isoformat(), "note": note},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "personal data" in page
    assert "Le jeune orienté hier rappellera" in page
    assert not Exchange.objects.exists()
    with pytest.raises(services.ExchangeError, match="personal data"):
        services.log_exchange(
            institution=institution,
            kind="email",
            date=TODAY,
            note="RAS",
            follow_up="Écrire à jeune.visiteur@example.org",
            staff=[],
            by=back_office,
        )
    assert not Exchange.objects.exists()


def test_an_exchange_names_contacts_of_its_institution_only(back_office):
    stranger = make_contact(make_institution("CIO"), name="Paul Martin")
    with pytest.raises(services.ExchangeError):
        services.log_exchange(
            institution=make_institution(),
            kind="call",
            date=TODAY,
            note="RAS",
            staff=[],
            contacts=[stranger],
            by=back_office,
        )


def test_exchanges_are_for_the_back_office_and_managers_only(client, counsellor):
    institution = make_institution()
    services.log_exchange(
        institution=institution, kind="call", date=TODAY, note="Note interne.", staff=[], by=counsellor
    )
    client.force_login(counsellor)
    assert "Note interne." not in client.get(institution.get_absolute_url()).content.decode()


# --- Search -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["mision locale", "MISSION LOCALE", "mission locle", "locale"])
def test_the_partner_search_forgives_typos_case_and_accents(client, back_office, typed):
    make_institution("Mission Locale Val-de-Seine")
    make_institution("Chambre de Métiers et de l'Artisanat", kind="chamber")
    client.force_login(back_office)
    institutions = list(client.get("/partners/institutions/", {"q": typed}).context["institutions"])
    assert [i.name for i in institutions] == ["Mission Locale Val-de-Seine"]


def test_the_partner_search_finds_accented_names_typed_without_accents(client, back_office):
    make_institution("Mission Locale Val-de-Seine")
    make_institution("Chambre de Métiers et de l'Artisanat", kind="chamber")
    client.force_login(back_office)
    institutions = list(client.get("/partners/institutions/", {"q": "chambre des metiers"}).context["institutions"])
    assert [i.name for i in institutions] == ["Chambre de Métiers et de l'Artisanat"]


def test_the_directory_keeps_a_fixed_number_of_queries_with_the_search(
    client, back_office, django_assert_max_num_queries
):
    for n in range(30):
        make_institution(f"Partenaire {n}")
    client.force_login(back_office)
    client.get("/partners/institutions/", {"q": "partenare"})
    with django_assert_max_num_queries(12):
        assert len(client.get("/partners/institutions/", {"q": "partenare"}).context["institutions"]) == 30


def test_exchanges_of_a_partner_are_read_in_three_queries(django_assert_num_queries, back_office):
    institution = make_institution()
    contact = make_contact(institution)
    for n in range(20):
        services.log_exchange(
            institution=institution,
            kind="call",
            date=TODAY,
            note=f"Échange {n}",
            staff=[],
            contacts=[contact],
            by=back_office,
        )
    with django_assert_num_queries(3):
        exchanges = list(selectors.exchanges_of(institution))
        assert all(list(e.contacts.all()) == [contact] for e in exchanges)
