"""No database constraint's name ever reaches a user. Every constraint of every project app that a
form can meet says what is wrong in words, in French and in English (Django's default names the
constraint); a refused save of the kernel's admin pages is scanned for the names (each app scans its
own pages: tests/<app>/test_no_constraint_names.py)."""

import pytest
from django.apps import apps
from django.db.models import UniqueConstraint
from django.utils import translation

from cite.models import Centre, User
from tests.factories import PROJECT_APPS, constraint_names, shows_no_constraint_name

pytestmark = pytest.mark.django_db


def test_the_names_are_collected_from_the_models_of_every_app():
    prefixes = {name.split("_")[0] for name in constraint_names()}
    assert prefixes == set(PROJECT_APPS)


def constraints_with_a_message():
    """Every constraint whose own message a refused form shows: all but a unique constraint on plain
    fields without a condition, for which Django writes its own sentence ("… with this … already exists")."""
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for constraint in model._meta.constraints:
            if not (isinstance(constraint, UniqueConstraint) and constraint.fields and not constraint.condition):
                yield model, constraint


def test_every_constraint_of_every_app_says_what_is_wrong_in_words_in_both_languages():
    checked = list(constraints_with_a_message())
    assert len(checked) > 30  # the collection found them
    for _model, constraint in checked:
        with translation.override("en"):
            english = str(constraint.get_violation_error_message())
        with translation.override("fr"):
            french = str(constraint.get_violation_error_message())
        assert constraint.name not in english + french, constraint.name
        assert "is violated" not in english, constraint.name
        assert english != french, f"{constraint.name}: not translated"


def test_a_unique_constraint_on_plain_fields_gets_djangos_sentence_naming_its_fields():
    """What a form says for the others: the fields' names, never the constraint's."""
    from stats.models import ReportComment

    comment = ReportComment(year=2026, section="summary")
    with translation.override("en"):
        [message] = comment.unique_error_message(ReportComment, ("year", "area", "institution", "section")).messages
    assert message == "Report commentary with this Year, Area, Partner institution and Section already exists."


@pytest.fixture
def admin(client, db):
    client.force_login(User.objects.create_superuser("root@example.org", "a-long-test-password-42"))
    return client


def centre_form(**changes):
    return {"name": "Cité des métiers de Genève", "country": "CH", "city": "", "is_active": "on", **changes}


def test_the_admin_refuses_a_centres_country_in_words_and_takes_one_in_small_letters(admin):
    for country in ("C1", "F", "é!"):
        response = admin.post(
            "/admin/cite/centre/add/", centre_form(country=country), headers={"accept-language": "fr"}
        )
        assert response.status_code == 200, country
        shows_no_constraint_name(response)
        page = response.content.decode()
        assert "Le pays est son code ISO 3166 : deux lettres, par exemple FR." in page, country
        assert 'value="Cité des métiers de Genève"' in page  # nothing typed is lost
    assert not Centre.objects.exists()
    response = admin.post("/admin/cite/centre/add/", centre_form(country="ch"))
    assert response.status_code == 302
    assert Centre.objects.get().country == "CH"


def test_the_admin_refuses_an_email_address_already_taken_in_other_capitals_in_words(admin):
    User.objects.create_user("ines@example.org", "a-long-test-password-42")
    response = admin.post(
        "/admin/cite/user/add/",
        {"email": "Ines@Example.org", "first_name": "Inès", "last_name": "", "is_staff": ""},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    shows_no_constraint_name(response)
    assert "A staff member already has this email address." in response.content.decode()
    assert User.objects.count() == 2  # the superuser and Inès
