"""Small factories of workshops and of the profile lists their attendance is broken down by."""

import datetime

from django.utils import timezone

from counselling.models import Workshop
from reception.models import AgeBand, Situation


def make_workshop(title="Réussir son CV", *, days=1, hours=2, **fields):
    """A workshop `days` from now (negative: in the past), lasting `hours`."""
    starts = fields.pop("starts_at", None) or timezone.now() + datetime.timedelta(days=days)
    fields.setdefault("place", "Salle Agora")
    return Workshop.objects.create(
        title=title, starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours), **fields
    )


def make_lists():
    """Two age bands and two situations, with their stable codes."""
    return {
        "age_band": [
            AgeBand.objects.create(code="16-25", label_fr="16 à 25 ans", label_en="16 to 25", order=1),
            AgeBand.objects.create(code="26-44", label_fr="26 à 44 ans", label_en="26 to 44", order=2),
        ],
        "situation": [
            Situation.objects.create(code="job-seeker", label_fr="Demandeur d'emploi", label_en="Job seeker", order=1),
            Situation.objects.create(code="student", label_fr="Étudiant", label_en="Student", order=2),
        ],
    }
