"""Free text about a visit is refused when it holds personal data, and only then."""

import datetime

import hypothesis
import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cite.pii import Finding, describe, find_personal_data, validate_no_personal_data

TODAY = datetime.date(2026, 11, 25)

# (text, kind, what must be reported as found)
PERSONAL = [
    # Email addresses
    ("Le visiteur a laissé son mail jean.dupont@gmail.com pour être rappelé.", "email", "jean.dupont@gmail.com"),
    ("Contact : marie-claire.durand+cite@orange.fr", "email", "marie-claire.durand+cite@orange.fr"),
    ("Écrire à j.martin@etu.univ-paris1.fr pour le stage.", "email", "j.martin@etu.univ-paris1.fr"),
    ("She left her address john_smith99@mail.example.co.uk.", "email", "john_smith99@mail.example.co.uk"),
    ("Send the CV to ANNA.KOWALSKI@OUTLOOK.COM tonight.", "email", "ANNA.KOWALSKI@OUTLOOK.COM"),
    ("Mail noté : jean.dupont @ gmail.com (à rappeler)", "email", "jean.dupont @ gmail.com"),
    ("Adresse donnée : jean.dupont(at)gmail(dot)com", "email", "jean.dupont(at)gmail(dot)com"),
    ("Her email is paul [at] laposte.net, she said.", "email", "paul [at] laposte.net"),
    ("Son mail : jean arobase gmail.com", "email", "jean arobase gmail.com"),
    ("Courriel élodie.lefèvre@free.fr donné pour l'atelier.", "email", "élodie.lefèvre@free.fr"),
    # Phone numbers
    ("Le visiteur a donné son numéro 06 12 34 56 78 pour être recontacté.", "phone", "06 12 34 56 78"),
    ("Rappeler au 06.12.34.56.78 après 17h.", "phone", "06.12.34.56.78"),
    ("Tél : 0612345678", "phone", "0612345678"),
    ("Portable +33 6 12 34 56 78, joignable le matin.", "phone", "+33 6 12 34 56 78"),
    ("Depuis l'étranger : 0033 6 12 34 56 78", "phone", "0033 6 12 34 56 78"),
    ("Numéro +33 (0)6 12 34 56 78 noté sur le ticket.", "phone", "+33 (0)6 12 34 56 78"),
    ("Fixe à la maison : 01 23 45 67 89", "phone", "01 23 45 67 89"),
    ("Joignable au 07-81-23-45-67 pour le suivi.", "phone", "07-81-23-45-67"),
    ("Call him on +44 20 7946 0958 tomorrow.", "phone", "+44 20 7946 0958"),
    ("Her US number is +1 415 555 2671.", "phone", "+1 415 555 2671"),
    ("Numéro belge +32 470 12 34 56 donné à l'accueil.", "phone", "+32 470 12 34 56"),
    ("Travaille à Genève, numéro +41 79 123 45 67.", "phone", "+41 79 123 45 67"),
    ("Son frère au Maroc : +212 6 12 34 56 78", "phone", "+212 6 12 34 56 78"),
    ("Phone: 0044 20 7946 0958 (UK)", "phone", "0044 20 7946 0958"),
    # French social security numbers (NIR)
    ("Numéro de sécu : 1 85 05 78 006 084 91 pour le dossier.", "nir", "1 85 05 78 006 084 91"),
    ("NIR 185057800608491 transmis.", "nir", "185057800608491"),
    ("Sécurité sociale : 1.85.05.78.006.084.91", "nir", "1.85.05.78.006.084.91"),
    ("Née en Corse, n° SS 2 94 12 2A 123 456 42.", "nir", "2 94 12 2A 123 456 42"),
    ("Social security number 2 68 06 99 352 012 06 (born abroad).", "nir", "2 68 06 99 352 012 06"),
    ("Numéro 1 88 07 971 12 345 96, Guadeloupe.", "nir", "1 88 07 971 12 345 96"),
    ("Numéro provisoire 7 85 05 99 123 456 95.", "nir", "7 85 05 99 123 456 95"),
    ("Sécu sans la clé : 1 85 05 78 006 084", "nir", "1 85 05 78 006 084"),
    ("Sécu avec une faute de frappe : 1 85 05 78 006 084 36", "nir", "1 85 05 78 006 084 36"),
    # IBANs
    ("RIB : FR76 3000 6000 0112 3456 7890 189 pour le remboursement.", "iban", "FR76 3000 6000 0112 3456 7890 189"),
    ("IBAN FR7630006000011234567890189.", "iban", "FR7630006000011234567890189"),
    ("iban en minuscules fr76 3000 6000 0112 3456 7890 189", "iban", "fr76 3000 6000 0112 3456 7890 189"),
    ("German account DE89 3704 0044 0532 0130 00 for the grant.", "iban", "DE89 3704 0044 0532 0130 00"),
    ("UK account GB29 NWBK 6016 1331 9268 19", "iban", "GB29 NWBK 6016 1331 9268 19"),
    ("Compte belge BE68 5390 0754 7034.", "iban", "BE68 5390 0754 7034"),
    ("Compte suisse CH93 0076 2011 6238 5295 7", "iban", "CH93 0076 2011 6238 5295 7"),
    ("Cuenta ES91 2100 0418 4502 0005 1332", "iban", "ES91 2100 0418 4502 0005 1332"),
    ("Conto IT60 X054 2811 1010 0000 0123 456", "iban", "IT60 X054 2811 1010 0000 0123 456"),
    ("Rekening NL91ABNA0417164300", "iban", "NL91ABNA0417164300"),
    ("Compte au Maroc MA64 0115 1900 0001 2050 0053 4921", "iban", "MA64 0115 1900 0001 2050 0053 4921"),
    # Dates of birth
    ("Né le 12/03/1985, souhaite se reconvertir.", "birth_date", "12/03/1985"),
    ("Née le 1er mars 1985 à Lyon, cherche une formation.", "birth_date", "1er mars 1985"),
    ("Date de naissance : 12-03-1985", "birth_date", "12-03-1985"),
    ("DDN 12.03.85, en reconversion.", "birth_date", "12.03.85"),
    ("DOB: 1985-03-12", "birth_date", "1985-03-12"),
    ("Born on March 12, 1985 in Dakar.", "birth_date", "March 12, 1985"),
    ("Born 12 March 1985, looking for an apprenticeship.", "birth_date", "12 March 1985"),
    ("Birthday: 12th of March 1985", "birth_date", "12th of March 1985"),
    ("D.O.B. 4 Jul 1976", "birth_date", "4 Jul 1976"),
    ("Élève né(e) le 05/07/2014, vient avec sa mère.", "birth_date", "05/07/2014"),
    ("Date of birth 12/03/2015 noted by mistake.", "birth_date", "12/03/2015"),
    ("Le visiteur (12/03/1985) cherche une formation.", "birth_date", "12/03/1985"),
    ("Visitor 03/25/1985 asked about training.", "birth_date", "03/25/1985"),
    ("Infos : 3 août 1990, bac pro commerce.", "birth_date", "3 août 1990"),
    ("Naissance 29/02/1988 à Tunis.", "birth_date", "29/02/1988"),
    ("Fiche : 12 décembre 2012, collégien.", "birth_date", "12 décembre 2012"),
]

CLEAN = [
    "Ticket B-042 appelé au bureau 3.",
    "Orienté vers le pôle C, ticket C-117, deuxième visite.",
    "Habite le 75019, secteur nord.",
    "Vient de Marseille (13001) pour un salon.",
    "Diplômé en 2024, cherche un premier emploi.",
    "Rendez-vous à 14h30 au bureau 2.",
    "Atelier CV à 14:30, salle 4.",
    "Revenir demain à 9h avec le CV.",
    "A exploré le code ROME M1607 (secrétariat).",
    "Piste K2111 : formation professionnelle.",
    "Groupe ISCO 2423 : spécialistes des ressources humaines.",
    "ISCO 0110, officiers des forces armées.",
    "ESCO occupation 2423.1.2 and skill S1.2.3.",
    "Voir http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1 pour la fiche.",
    "Formation à 1 500 € financée par le CPF.",
    "Frais de dossier : 12,50 €.",
    "80 % des stagiaires trouvent un emploi.",
    "Rendez-vous le 12/03/2026 au pôle emploi.",
    "Dossier à déposer avant le 30 juin 2025.",
    "Né en 1985, souhaite se reconvertir.",
    "Visiteur de 25 ans, première visite.",
    "Souhaite devenir conseiller en insertion professionnelle.",
    "Consulter https://www.francetravail.fr pour les offres.",
    "Voir https://www.onisep.fr/metiers et le site www.cidj.com.",
    "Arrivé en France en mars 1985.",
    "Né(e) en mars 1990, projet de création.",
    "Born in 1990, looking for a career change.",
    "Appointment on March 12, 2026 at the job desk.",
    "Deadline: 30 June 2025 for the application.",
    "Workshop from 9:30 to 11:00, room 2.",
    "SIRET de l'entreprise d'accueil : 123 456 789 00012.",
    "SIREN 552 100 554 (entreprise de stage).",
    "Numéro vert 0 800 123 456 pour les démarches.",
    "Appeler le 3949 (France Travail).",
    "Salaire visé : 1 800 à 2 200 € brut.",
    "Formation de 400 heures, 12 places.",
    "Trois pistes : M1607, M1602, K1801.",
    "Permanence du 01/09 au 30/06.",
    "CDD de 6 mois, 35 h par semaine.",
    "IBAN mal recopié FR76 3000 6000 0112 3456 7890 188, sans valeur.",
    "Dossier AB12 3456 7890 1234 5678 90 transmis.",
    "Version 2.4.1 du guide des métiers.",
    "Python 3.10.12 installé sur le poste.",
    "Atelier le 12.03.26 à 10h.",
    "Email the partner through the contact form on www.apec.fr.",
    "Suivre @citedesmetiers sur les réseaux.",
    "Suivre @cite.metiers sur Instagram.",
    "Registered at francetravail.fr last week.",
    "RQTH depuis 2019.",
    "Bac+5 en 2015, 3 ans d'expérience.",
    "Code de retour K7M-2QX remis au visiteur.",
    "Desk 3, 2 visitors waiting, 15 min.",
    "Loi du 5 septembre 2018 pour la liberté de choisir son avenir professionnel.",
    "12 000 offres en Île-de-France.",
    "Âge : entre 26 et 44 ans.",
    "Smic horaire à 11,65 € au 1er janvier.",
    "Prochain forum le 1er mars 2026.",
    "Période 2019-2024 dans la restauration.",
    "Cours le 12-03-2025 de 14h à 16h.",
    "Score de 12/20 au test de positionnement.",
    "Coordonnées du lieu : 48.8566, 2.3522.",
    "ISBN 978-2-07-036002-4 du guide prêté.",
    "Projet : naissance de l'idée. Rendez-vous le 12/03/2026.",
    "Durée 1h30, 10 participants, 2 absents.",
    "La Cité a ouvert en 1993 à la Villette.",
]


@pytest.mark.parametrize(("text", "kind", "found"), PERSONAL)
def test_personal_data_is_found(text, kind, found):
    findings = find_personal_data(text, today=TODAY)
    assert [(finding.kind, finding.text) for finding in findings] == [(kind, found)]
    assert text[findings[0].start : findings[0].end] == found


@pytest.mark.parametrize("text", CLEAN)
def test_text_without_personal_data_passes(text):
    assert find_personal_data(text, today=TODAY) == []


def test_there_are_enough_examples_of_each_kind():
    kinds = [kind for _, kind, _ in PERSONAL]
    assert len(PERSONAL) >= 50
    assert len(CLEAN) >= 50
    assert all(kinds.count(kind) >= 5 for kind in {"email", "phone", "nir", "iban", "birth_date"})


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Fiche : 25/11/2012, collégien.", True),  # 14 years before today: a visitor's birthday
        ("Fiche : 25/11/2013, collégien.", False),
        ("Rendez-vous le 25/11/2013.", False),
        ("Né le 25/11/2013.", True),  # the context says so, whatever the year
        ("Naissance du projet le 12/03/2026.", True),  # "naissance" right next to a date: better safe
        ("Idée née en janvier. Rendez-vous le 12/03/2026.", False),  # the word is in another sentence
    ],
)
def test_a_recent_date_needs_a_word_of_birth_near_it(text, flagged):
    assert bool(find_personal_data(text, today=TODAY)) is flagged


def test_findings_come_in_reading_order_with_their_positions():
    text = "Né le 12/03/1985, tél 06 12 34 56 78, mail jean@exemple.fr, RIB FR76 3000 6000 0112 3456 7890 189."
    findings = find_personal_data(text, today=TODAY)
    assert [finding.kind for finding in findings] == ["birth_date", "phone", "email", "iban"]
    assert findings[1] == Finding("phone", "06 12 34 56 78", text.index("06"), text.index("06") + 14)


def test_a_phone_number_inside_an_email_address_is_the_email_address():
    findings = find_personal_data("Écrire à 0612345678@free.fr", today=TODAY)
    assert [(finding.kind, finding.text) for finding in findings] == [("email", "0612345678@free.fr")]


def test_the_default_region_reads_national_numbers(settings):
    settings.PHONE_DEFAULT_REGION = "BE"
    assert [finding.text for finding in find_personal_data("GSM 0470 12 34 56", today=TODAY)] == ["0470 12 34 56"]


def test_today_defaults_to_the_centre_date():
    assert [finding.kind for finding in find_personal_data("Né le 12/03/1985")] == ["birth_date"]
    assert find_personal_data("") == []


def test_a_long_note_is_checked_to_the_end():
    text = "Échange sur le projet, atelier CV le 12/03/2026 à 14h30, pistes M1607 et K2111. " * 250
    assert len(text) >= 20_000
    assert find_personal_data(text, today=TODAY) == []
    findings = find_personal_data(text + "Rappeler au 06 12 34 56 78.", today=TODAY)
    assert [(finding.kind, finding.start) for finding in findings] == [("phone", len(text) + 12)]


@hypothesis.settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_is_checked_without_error(text):
    for finding in find_personal_data(text, today=TODAY):
        assert text[finding.start : finding.end] == finding.text


# --- The message -------------------------------------------------------------------------------------


def test_the_message_names_what_was_found():
    findings = find_personal_data("Mail jean@exemple.fr, tél 06 12 34 56 78.", today=TODAY)
    with translation.override("en"):
        assert describe(findings) == (
            "This text seems to contain personal data: an email address (jean@exemple.fr), "
            "a phone number (06 12 34 56 78). Remove them: no personal data may be recorded."
        )


def test_the_message_speaks_of_one_item_in_the_singular():
    findings = find_personal_data("RIB FR76 3000 6000 0112 3456 7890 189", today=TODAY)
    with translation.override("en"):
        assert describe(findings) == (
            "This text seems to contain personal data: a bank account number (FR76 3000 6000 0112 3456 7890 189). "
            "Remove it: no personal data may be recorded."
        )


def test_the_message_counts_several_items_of_one_kind():
    text = "Tél 06 12 34 56 78 ou 07 81 23 45 67, né le 12/03/1985, NIR 1 85 05 78 006 084 91."
    with translation.override("en"):
        message = describe(find_personal_data(text, today=TODAY))
    assert "2 phone numbers (06 12 34 56 78, 07 81 23 45 67)" in message
    assert "a date of birth (12/03/1985)" in message
    assert "a social security number (1 85 05 78 006 084 91)" in message


def test_the_message_follows_the_language_and_french_is_the_default():
    findings = find_personal_data("Tél 06 12 34 56 78", today=TODAY)
    with translation.override(settings.LANGUAGE_CODE):
        message = describe(findings)
    assert message.startswith("Ce texte semble contenir une donnée personnelle : un numéro de téléphone")
    assert "06 12 34 56 78" in message
    with translation.override("en"):
        assert describe(findings).startswith("This text seems to contain personal data")


def test_nothing_found_means_no_message():
    assert describe([]) == ""


# --- The validator -----------------------------------------------------------------------------------


def test_the_validator_refuses_personal_data():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_no_personal_data("Le visiteur a laissé son mail jean.dupont@gmail.com pour être rappelé.")
    assert error.value.code == "personal_data"
    assert error.value.messages == [
        "This text seems to contain personal data: an email address (jean.dupont@gmail.com). "
        "Remove it: no personal data may be recorded."
    ]


@pytest.mark.parametrize("value", ["", None, "Piste M1607, atelier CV le 12/03/2026 à 14h30."])
def test_the_validator_lets_clean_text_through(value):
    validate_no_personal_data(value)


def test_a_form_field_with_the_validator_shows_the_message():
    class NoteForm(forms.Form):
        note = forms.CharField(validators=[validate_no_personal_data])

    with translation.override("en"):
        form = NoteForm({"note": "Rappeler au 06 12 34 56 78."})
        assert not form.is_valid()
    assert form.errors.as_data()["note"][0].code == "personal_data"
    assert "06 12 34 56 78" in form.errors["note"][0]


NORTH_AMERICAN = ["Rappeler au (514) 555-0199 demain", "cell 514-555-0199", "tél. 514 555 0199"]


@pytest.mark.parametrize("text", NORTH_AMERICAN)
@pytest.mark.parametrize("regions", [["FR", "CA"], ["FR", "US"]])
def test_numbers_of_the_listed_countries_are_caught_without_their_country_code(settings, text, regions):
    settings.PII_PHONE_REGIONS = regions
    findings = find_personal_data(text, today=TODAY)
    assert [finding.kind for finding in findings] == ["phone"]
    assert "555" in findings[0].text
    # the centre's own numbers are still read as before
    assert [f.text for f in find_personal_data("tél 06 12 34 56 78", today=TODAY)] == ["06 12 34 56 78"]


@pytest.mark.parametrize("text", NORTH_AMERICAN)
def test_by_default_only_the_centre_s_own_country_is_read_without_a_country_code(settings, text):
    assert settings.PII_PHONE_REGIONS == [settings.PHONE_DEFAULT_REGION] == ["FR"]
    assert find_personal_data(text, today=TODAY) == []  # the documented default (docs/operations.md)
    assert [f.kind for f in find_personal_data(text.replace("514", "+1 514", 1), today=TODAY)] == ["phone"]


def test_the_centre_s_own_region_is_always_read_whatever_the_list(settings):
    settings.PHONE_DEFAULT_REGION = "BE"
    settings.PII_PHONE_REGIONS = ["CA"]
    findings = find_personal_data("GSM 0470 12 34 56, cell (514) 555-0199", today=TODAY)
    assert [finding.text for finding in findings] == ["0470 12 34 56", "(514) 555-0199"]
