"""Who may open each page of partners (read by tests/cite/test_access.py).

Everyone on the staff finds partners and their contacts, sees the working groups they take part in
and follows their own actions; the back office runs everything; managers see everything and steer
the shared projects. Pages about one working group or one action also check who is asking: the
objects below are made so that the counsellor takes part and the receptionist does not.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

EVERYONE = {"reception", "counsellor", "back_office", "manager"}
OVERSIGHT = {"back_office", "manager"}

PAGE_ROLES = {
    "partners:institution-list": EVERYONE,
    "partners:institution-detail": EVERYONE,
    "partners:institution-logo": EVERYONE,
    "partners:contact-list": EVERYONE,
    "partners:agreement-list": OVERSIGHT,
    "partners:agreement-sign": {"back_office"},
    "partners:agreement-document": OVERSIGHT,
    "partners:group-list": EVERYONE,
    # The counsellor is a member of the group below, the receptionist is not.
    "partners:group-detail": {"counsellor", "back_office", "manager"},
    "partners:group-document": {"counsellor", "back_office", "manager"},
    "partners:meeting-detail": {"counsellor", "back_office", "manager"},
    "partners:meeting-minutes": {"counsellor", "back_office", "manager"},
    "partners:my-actions": EVERYONE,
    "partners:calendar": EVERYONE,
    # The counsellor owns the action below; the back office may change any action.
    "partners:action-status": {"counsellor", "back_office"},
    "partners:project-list": OVERSIGHT,
    "partners:objective-progress": OVERSIGHT,
    "partners:network": OVERSIGHT,
    # The back office's own pages: institutions, contacts, agreements, exchanges.
    "partners:institution-create": {"back_office"},
    "partners:institution-edit": {"back_office"},
    "partners:institution-archive": {"back_office"},
    "partners:contact-add": {"back_office"},
    "partners:contact-edit": {"back_office"},
    "partners:contact-archive": {"back_office"},
    "partners:agreement-create": {"back_office"},
    "partners:agreement-edit": {"back_office"},
    "partners:agreement-renew": {"back_office"},
    "partners:exchange-add": {"back_office"},
    # Meetings are run by the back office and by the group's lead: the counsellor below is a member,
    # not the lead, so the meeting's own check refuses them (tests/partners/test_meetings.py tries a lead).
    "partners:meeting-plan": {"back_office"},
    "partners:meeting-edit": {"back_office"},
    # Answered to POST only: a GET by anyone who may see meetings is 405 before the meeting is looked at.
    "partners:meeting-autosave": EVERYONE,
    "partners:meeting-unpublish": EVERYONE,
}
POST_ONLY = {
    "partners:institution-archive",
    "partners:contact-archive",
    "partners:agreement-renew",
    "partners:meeting-autosave",
    "partners:meeting-unpublish",
}


def _institution():
    from partners.models import Institution

    return Institution.objects.get_or_create(name="Mission Locale", defaults={"kind": "employment"})[0]


def _counsellor():
    from cite.models import User

    # The counsellor persona of tests/conftest.py (the anonymous walk has no personas: any account will do).
    return User.objects.get_or_create(email="camille@example.org")[0]


def _group():
    from partners.models import WorkingGroup

    group, created = WorkingGroup.objects.get_or_create(name="Forum de l'alternance", defaults={"objective": "Forum"})
    if created:
        group.members.add(_counsellor())
    return group


def _stored(storage, name, content):
    """A small file saved where the page will look for it (tests/conftest.py points storage to a temp folder)."""
    return storage.save(name, ContentFile(content))


def _logo_kwargs():
    from django.core.files.storage import default_storage

    from tests.partners.factories import png_bytes

    institution = _institution()
    institution.logo.name = _stored(default_storage, "partners/logos/access-matrix.png", png_bytes((40, 40)))
    institution.save(update_fields=["logo"])
    return {"pk": institution.pk}


def _agreement(**fields):
    from partners.models import Agreement

    today = timezone.localdate()
    return Agreement.objects.create(
        institution=_institution(),
        title="Convention de partenariat",
        start_date=today,
        end_date=today + datetime.timedelta(days=365),
        **fields,
    )


def _document_kwargs():
    from partners.models import Agreement, private_storage
    from tests.partners.factories import PDF

    name = _stored(private_storage, "partners/agreements/access-matrix.pdf", PDF)
    agreement = _agreement(document=name, signature_date=timezone.localdate(), stage=Agreement.Stage.SIGNED)
    return {"pk": agreement.pk}


def _group_document_kwargs():
    from partners.models import private_storage
    from tests.partners.factories import PDF

    name = _stored(private_storage, "partners/groups/access-matrix.pdf", PDF)
    return {"pk": _group().documents.create(title="Rétroplanning", file=name).pk}


def _meeting_kwargs():
    from partners.models import Meeting

    start = timezone.now() + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        group=_group(),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="Salle Ariane",
        minutes="Compte rendu.",
        published_at=timezone.now(),
    )
    return {"pk": meeting.pk}


def _action_kwargs():
    from partners.models import Action

    return {"pk": Action.objects.create(group=_group(), owner=_counsellor(), description="Envoyer le bilan").pk}


def _objective_kwargs():
    from partners.models import Project

    project = Project.objects.create(name="Développer l'alternance")
    return {"pk": project.objectives.create(title="Entreprises au forum", target=40, unit="entreprises").pk}


def _contact_kwargs():
    from partners.models import Contact

    return {"pk": Contact.objects.create(institution=_institution(), name="Élodie Fontaine").pk}


URL_KWARGS = {
    "partners:institution-edit": lambda: {"pk": _institution().pk},
    "partners:institution-archive": lambda: {"pk": _institution().pk},
    "partners:contact-add": lambda: {"pk": _institution().pk},
    "partners:contact-edit": _contact_kwargs,
    "partners:contact-archive": _contact_kwargs,
    "partners:agreement-create": lambda: {"pk": _institution().pk},
    "partners:agreement-edit": lambda: {"pk": _agreement().pk},
    "partners:agreement-renew": _document_kwargs,
    "partners:exchange-add": lambda: {"pk": _institution().pk},
    "partners:meeting-plan": lambda: {"pk": _group().pk},
    "partners:meeting-edit": _meeting_kwargs,
    "partners:meeting-autosave": _meeting_kwargs,
    "partners:meeting-unpublish": _meeting_kwargs,
    "partners:institution-detail": lambda: {"pk": _institution().pk},
    "partners:institution-logo": _logo_kwargs,
    "partners:agreement-sign": lambda: {"pk": _agreement().pk},
    "partners:agreement-document": _document_kwargs,
    "partners:group-detail": lambda: {"pk": _group().pk},
    "partners:group-document": _group_document_kwargs,
    "partners:meeting-detail": _meeting_kwargs,
    "partners:meeting-minutes": _meeting_kwargs,
    "partners:action-status": _action_kwargs,
    "partners:objective-progress": _objective_kwargs,
}
