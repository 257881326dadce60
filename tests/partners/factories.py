"""Small factories and sample files for the partners tests (and for its rows of the access matrix)."""

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from partners.models import Action, Agreement, Contact, Institution, Meeting, WorkingGroup

# The smallest PDF readers accept: enough for "is it a PDF?", which is all the checks look at.
PDF = (
    b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n2 0 obj<< /Type /Pages /Kids [] /Count 0 >>endobj\n"
    b"trailer<< /Root 1 0 R >>\n%%EOF\n"
)


def png_bytes(size=(800, 600), colour="#1d4f73", fmt="PNG"):
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format=fmt)
    return output.getvalue()


def make_institution(name="Mission Locale", kind=Institution.Kind.EMPLOYMENT, **fields):
    return Institution.objects.create(name=name, kind=kind, **fields)


def make_agreement(institution=None, *, start=-100, end=200, today=None, **fields):
    today = today or timezone.localdate()
    fields.setdefault("title", "Convention de partenariat")
    return Agreement.objects.create(
        institution=institution or make_institution(),
        start_date=today + datetime.timedelta(days=start),
        end_date=today + datetime.timedelta(days=end),
        **fields,
    )


def make_signed_agreement(institution=None, **kwargs):
    from partners.services import sign_agreement

    agreement = make_agreement(institution, **kwargs)
    return sign_agreement(
        agreement=agreement,
        signature_date=agreement.start_date,
        document=ContentFile(PDF, name="x.pdf"),
        today=agreement.start_date,
    )


def make_group(name="Forum de l'alternance", *, lead=None, members=(), **fields):
    group = WorkingGroup.objects.create(name=name, objective="Organiser le forum.", lead=lead, **fields)
    group.members.set(members)
    return group


def make_meeting(group, *, days=7, hour=14, **fields):
    day = timezone.localdate() + datetime.timedelta(days=days)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    fields.setdefault("place", "Salle Ariane")
    if fields.get("minutes"):  # minutes given here are published ones, unless the test says otherwise
        fields.setdefault("published_at", timezone.now())
    return Meeting.objects.create(group=group, starts_at=start, ends_at=start + datetime.timedelta(hours=2), **fields)


def make_action(group, owner, *, due=None, status=Action.Status.OPEN, **fields):
    fields.setdefault("description", "Envoyer le bilan")
    due_date = timezone.localdate() + datetime.timedelta(days=due) if due is not None else None
    return Action.objects.create(group=group, owner=owner, due_date=due_date, status=status, **fields)


def make_contact(institution, name="Élodie Fontaine", **fields):
    return Contact.objects.create(institution=institution, name=name, **fields)
