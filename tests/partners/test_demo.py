"""The demo data of partners: believable, complete enough to show every page, and idempotent."""

import pytest
from django.utils import timezone

from cite import demo as cite_demo
from partners import demo
from partners.models import Action, Agreement, Contact, Institution, Meeting, MentoringLink, NetworkEvent, Project
from partners.selectors import institution_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_centre(db):
    cite_demo.create_staff()
    cite_demo.create_areas()
    cite_demo.create_centres()


def counts():
    return [
        model.objects.count()
        for model in (Institution, Contact, Agreement, Meeting, Action, Project, MentoringLink, NetworkEvent)
    ]


def test_the_demo_builds_every_kind_of_data_and_runs_again_without_change(demo_centre):
    demo.build()
    first = counts()
    demo.build()

    assert counts() == first
    assert first[0] == 8
    assert set(Agreement.objects.values_list("stage", flat=True)) == {"draft", "signed", "expired"}
    assert Agreement.objects.ending_soon().exists()
    assert all(a.document for a in Agreement.objects.exclude(stage="draft"))
    assert all(c.email.endswith(".example.org") for c in Contact.objects.all())
    assert all(c.phone.startswith("+3312345") for c in Contact.objects.all())


def test_the_demo_counsellors_are_seconded_and_camille_has_actions_some_overdue(demo_centre):
    from cite.models import User

    demo.build()

    camille = User.objects.get(email="conseil@demo.example.org")
    assert institution_of(camille).name == "France Travail"
    assert institution_of(User.objects.get(email="conseil2@demo.example.org")).name == "Mission Locale Val-de-Seine"
    assert institution_of(User.objects.get(email="conseil3@demo.example.org")).name == "CIO Val-de-Seine"
    assert Action.objects.filter(owner=camille).overdue().exists()
    assert Action.objects.filter(owner=camille).exclude(due_date__lt=timezone.localdate()).exists()
    assert Action.objects.overdue().exclude(owner=camille).exists()
    assert NetworkEvent.objects.filter(kind="winter-school", participants=camille).exists()
