"""Demo data of counselling: topics, counsellors' areas, and sessions for the demo visits already served."""

import random

from django.db import transaction

from cite.models import Area
from counselling.models import CounsellorProfile, Referral, Session, Topic
from partners.models import Institution
from partners.selectors import institution_of
from reception.models import Desk, Ticket
from resources.models import Occupation, Record

TOPICS = [
    ("orientation", "Orientation, choix de métier", "Career choice"),
    ("training-search", "Recherche de formation", "Finding training"),
    ("training-funding", "Financement de formation", "Training funding"),
    ("apprenticeship", "Alternance, apprentissage", "Apprenticeship"),
    ("cv-letter", "CV et lettre de motivation", "CV and cover letter"),
    ("job-search", "Techniques de recherche d'emploi", "Job search"),
    ("interview", "Préparer un entretien", "Interview preparation"),
    ("vae", "Validation des acquis (VAE)", "Accreditation of prior learning"),
    ("business-creation", "Création d'entreprise", "Starting a business"),
    ("mobility", "Mobilité internationale", "Working abroad"),
]

COUNSELLORS = {
    "conseil@demo.example.org": ["choose-path", "find-training"],
    "conseil2@demo.example.org": ["find-job", "change-career"],
    "conseil3@demo.example.org": ["start-business", "work-abroad", "find-job"],
}


@transaction.atomic
def build():
    from cite.models import User

    for order, (code, label_fr, label_en) in enumerate(TOPICS):
        Topic.objects.update_or_create(code=code, defaults={"label_fr": label_fr, "label_en": label_en, "order": order})
    areas = {area.code: area for area in Area.objects.all()}
    desks = list(Desk.objects.order_by("order"))
    for index, (email, codes) in enumerate(COUNSELLORS.items()):
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        profile, _created = CounsellorProfile.objects.get_or_create(
            user=user, defaults={"usual_desk": desks[index] if index < len(desks) else None}
        )
        profile.areas.set([areas[code] for code in codes if code in areas])
    if not Session.objects.exists():
        _sessions()


def _sessions():
    """A session for each served demo visit, by a counsellor of its area, with believable content."""
    from cite.models import User

    rng = random.Random(7)  # noqa: S311 (demo data, not security)
    counsellors = list(User.objects.filter(email__in=COUNSELLORS).prefetch_related("counsellor_profile__areas"))
    if not counsellors:
        return
    topics = list(Topic.objects.all())
    occupations = list(Occupation.objects.order_by("?")[:120])
    records = list(Record.objects.all()[:40])
    institutions = list(Institution.objects.filter(is_active=True))
    institution_by_user = {user.pk: institution_of(user) for user in counsellors}
    tickets = Ticket.objects.filter(status=Ticket.Status.DONE, started_at__isnull=False).select_related("area")
    sessions, chosen = [], []
    for ticket in tickets.iterator():
        serving = [u for u in counsellors if ticket.area in u.counsellor_profile.areas.all()] or counsellors
        counsellor = rng.choice(serving)
        sessions.append(
            Session(
                ticket=ticket,
                counsellor=counsellor,
                institution=institution_by_user[counsellor.pk],
                area=ticket.area,
                desk_id=ticket.desk_id,
                started_at=ticket.started_at,
                ended_at=ticket.finished_at,
                outcome=rng.choices(["yes", "partly", "no"], [6, 3, 1])[0],
            )
        )
        chosen.append(
            (
                rng.sample(topics, k=min(len(topics), rng.randint(1, 3))),
                rng.sample(occupations, k=min(len(occupations), rng.randint(0, 2))),
                rng.sample(records, k=min(len(records), rng.choice([0, 0, 1, 2]))),
                rng.choice(institutions) if institutions and rng.random() < 0.3 else None,
            )
        )
    Session.objects.bulk_create(sessions, batch_size=2000)
    through = {name: getattr(Session, name).through for name in ("topics", "occupations", "documents")}
    rows = {name: [] for name in through}
    referrals = []
    for session, (session_topics, session_occupations, session_records, institution) in zip(
        sessions, chosen, strict=True
    ):
        rows["topics"] += [through["topics"](session_id=session.pk, topic_id=t.pk) for t in session_topics]
        rows["occupations"] += [
            through["occupations"](session_id=session.pk, occupation_id=o.pk) for o in session_occupations
        ]
        rows["documents"] += [through["documents"](session_id=session.pk, record_id=r.pk) for r in session_records]
        if institution:
            referrals.append(Referral(session=session, institution=institution))
    for name, model in through.items():
        model.objects.bulk_create(rows[name], batch_size=5000)
    Referral.objects.bulk_create(referrals, batch_size=5000)
