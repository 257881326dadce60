"""Demo data of counselling: topics, counsellors' areas, sessions for the demo visits already served,
and workshops over the past and coming weeks (attendance counted for the past ones)."""

import contextlib
import datetime
import random

from django.db import transaction
from django.utils import timezone

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
    _planning(areas, desks)


def _sessions():
    """The sessions of the demo visits, read from their events: one for each time a visitor sat at a
    desk (two for a visitor referred to another area), by a counsellor of that area, with the events'
    own times and believable content. The counsellor is also the author of the desk's events (call,
    start, finish, referral, no-show) and of a walk-in's ticket, so every figure agrees."""
    from django.db.models import Prefetch

    from cite.models import User
    from reception.models import TicketEvent

    Kind = TicketEvent.Kind
    rng = random.Random(7)  # noqa: S311 (demo data, not security)
    counsellors = list(User.objects.filter(email__in=COUNSELLORS).prefetch_related("counsellor_profile__areas"))
    if not counsellors:
        return
    serving = {}
    for user in counsellors:
        for area in user.counsellor_profile.areas.all():
            serving.setdefault(area.pk, []).append(user)
    topics = list(Topic.objects.all())
    occupations = list(Occupation.objects.order_by("?")[:120])
    records = list(Record.objects.all()[:40])
    institutions = list(Institution.objects.filter(is_active=True))
    institution_by_user = {user.pk: institution_of(user) for user in counsellors}
    tickets = Ticket.objects.filter(status__in=[Ticket.Status.DONE, Ticket.Status.NO_SHOW]).prefetch_related(
        Prefetch("events", TicketEvent.objects.order_by("at", "id"))
    )
    sessions, chosen, authored, walk_ins = [], [], {}, {}
    for ticket in tickets.iterator(chunk_size=2000):
        area = counsellor = started = None
        for event in ticket.events.all():
            if event.kind in (Kind.CALLED, Kind.STARTED) and counsellor is None:
                counsellor = rng.choice(serving.get(area) or counsellors)
                if ticket.walk_in and event.kind == Kind.STARTED:
                    walk_ins.setdefault(counsellor.pk, []).append(ticket.pk)
            if event.kind == Kind.STARTED:
                started = event
            if counsellor is not None and event.kind != Kind.ISSUED:
                authored.setdefault(counsellor.pk, []).append(event.pk)
            if event.kind in (Kind.TRANSFERRED, Kind.FINISHED) and started is not None:
                session = Session(
                    ticket=ticket,
                    counsellor=counsellor,
                    institution=institution_by_user[counsellor.pk],
                    area_id=area,
                    desk_id=started.desk_id,
                    started_at=started.at,
                    ended_at=event.at,
                    outcome=rng.choices(["yes", "partly", "no"], [6, 3, 1])[0],
                )
                # A session ending in a transfer referred the visitor to that area.
                sessions.append((session, [event.to_area_id] if event.kind == Kind.TRANSFERRED else []))
                counsellor = started = None
            if event.kind == Kind.NO_SHOW:
                counsellor = None
            if event.kind in (Kind.ISSUED, Kind.TRANSFERRED) and event.to_area_id:
                area = event.to_area_id
    for user_pk, pks in walk_ins.items():  # a walk-in's ticket is issued at the desk
        Ticket.objects.filter(pk__in=pks).update(issued_by=user_pk)
        TicketEvent.objects.filter(ticket__in=pks, kind=Kind.ISSUED).update(by=user_pk)
    for user_pk, pks in authored.items():
        for start in range(0, len(pks), 5000):
            TicketEvent.objects.filter(pk__in=pks[start : start + 5000]).update(by=user_pk)
    for _session, _referred in sessions:
        chosen.append(
            (
                rng.sample(topics, k=min(len(topics), rng.randint(1, 3))),
                rng.sample(occupations, k=min(len(occupations), rng.randint(0, 2))),
                rng.sample(records, k=min(len(records), rng.choice([0, 0, 1, 2]))),
                rng.choice(institutions) if institutions and rng.random() < 0.3 else None,
            )
        )
    Session.objects.bulk_create([session for session, _referred in sessions], batch_size=2000)
    through = {name: getattr(Session, name).through for name in ("topics", "occupations", "documents")}
    rows = {name: [] for name in through}
    referrals = []
    for (session, referred), (session_topics, session_occupations, session_records, institution) in zip(
        sessions, chosen, strict=True
    ):
        rows["topics"] += [through["topics"](session_id=session.pk, topic_id=t.pk) for t in session_topics]
        rows["occupations"] += [
            through["occupations"](session_id=session.pk, occupation_id=o.pk) for o in session_occupations
        ]
        rows["documents"] += [through["documents"](session_id=session.pk, record_id=r.pk) for r in session_records]
        if institution:
            referrals.append(Referral(session=session, institution=institution))
        referrals += [Referral(session=session, area_id=area) for area in referred]
    for name, model in through.items():
        model.objects.bulk_create(rows[name], batch_size=5000)
    Referral.objects.bulk_create(referrals, batch_size=5000)


# --- Planning: opening hours, closures, permanences ---------------------------------------------------

T = datetime.time

# (institution, area code, weekday, from, to, every n weeks, desk name or None, counsellor email or None)
PERMANENCES = [
    ("France Travail", "find-job", 0, T(9), T(12, 30), 1, "3", "conseil@demo.example.org"),
    ("France Travail", "find-job", 2, T(13, 30), T(17), 1, "3", "conseil@demo.example.org"),
    ("France Travail", "change-career", 3, T(14), T(19), 1, "4", None),
    ("Mission Locale Val-de-Seine", "choose-path", 1, T(9), T(12), 1, "1", "conseil2@demo.example.org"),
    ("Mission Locale Val-de-Seine", "find-job", 3, T(9), T(12), 1, "4", "conseil2@demo.example.org"),
    ("CIO Val-de-Seine", "choose-path", 0, T(13, 30), T(17), 1, "1", "conseil3@demo.example.org"),
    ("CIO Val-de-Seine", "find-training", 4, T(9), T(12), 1, None, "conseil3@demo.example.org"),
    ("AFPA", "find-training", 1, T(14), T(17), 2, None, None),
    ("CCI Val-de-Seine", "start-business", 2, T(14), T(17), 1, None, None),
    ("BGE Val-de-Seine", "start-business", 4, T(14), T(16), 2, None, None),
    ("Chambre de Métiers et de l'Artisanat", "find-training", 3, T(14), T(17), 2, None, None),
    ("Département du Val-de-Seine", "change-career", 1, T(9), T(12), 1, None, None),
]


def _planning(areas, desks):
    """Mon-Fri 9:00-17:00, Thursday until 19:00, start-a-business in the afternoons only; a public
    holiday, an exceptional closing; the partners' permanences with a cancelled and a moved date."""
    from cite.models import User
    from counselling import services
    from counselling.models import Closure, OpeningHours, Permanence

    if OpeningHours.objects.exists():
        return
    for weekday in range(5):
        OpeningHours.objects.create(weekday=weekday, opens_at=T(9), closes_at=T(19 if weekday == 3 else 17))
    if "start-business" in areas:
        for weekday in range(5):
            OpeningHours.objects.create(
                area=areas["start-business"], weekday=weekday, opens_at=T(13, 30), closes_at=T(17)
            )
    today = timezone.localdate()
    christmas = datetime.date(today.year, 12, 25)
    christmas = christmas if christmas >= today else christmas.replace(year=today.year + 1)
    Closure.objects.create(starts_on=christmas, ends_on=christmas, reason_fr="Noël", reason_en="Christmas Day")
    staff_day = today + datetime.timedelta(days=(4 - today.weekday()) % 7 + 14)  # a Friday in three weeks
    Closure.objects.create(
        starts_on=staff_day,
        ends_on=staff_day,
        kind=Closure.Kind.EXCEPTIONAL,
        reason_fr="Journée d'équipe",
        reason_en="Team day",
    )
    institutions = {institution.name: institution for institution in Institution.objects.all()}
    users = {user.email: user for user in User.objects.filter(email__in=COUNSELLORS)}
    monday = today - datetime.timedelta(days=today.weekday() + 28)
    desk_by_name = {desk.name: desk for desk in desks}
    saved = []
    for name, code, weekday, starts, ends, every, desk, email in PERMANENCES:
        if name not in institutions or code not in areas:
            continue
        saved.append(
            services.save_permanence(
                permanence=Permanence(
                    institution=institutions[name],
                    area=areas[code],
                    weekday=weekday,
                    starts_at=starts,
                    ends_at=ends,
                    frequency=every,
                    valid_from=monday,
                    desk=desk_by_name.get(desk),
                    counsellor=users.get(email),
                )
            )
        )
    if saved:
        # France Travail's next Monday is cancelled; next week's CIO Friday moves to Thursday afternoon.
        first = saved[0]
        services.cancel_occurrence(permanence=first, date=_next(first.weekday, today), reason="Formation interne")
        cio = next((p for p in saved if p.institution.name == "CIO Val-de-Seine" and p.weekday == 4), None)
        if cio:
            friday = _next(4, today + datetime.timedelta(days=7 - today.weekday()))
            with contextlib.suppress(services.PlanningError):  # a closure that day: the demo does without
                services.move_occurrence(
                    permanence=cio,
                    date=friday,
                    new_date=friday - datetime.timedelta(days=1),
                    starts_at=T(14),
                    ends_at=T(17),
                    reason="Forum des métiers",
                )


def _next(weekday, start):
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


# (weeks from now, weekday, hour, hours, kind, title, area code, institution names, ISCO groups, capacity)
WORKSHOPS = [
    (-6, 1, 14, 2, "workshop", "Réussir son CV", "find-job", ["France Travail"], [], 12),
    (
        -5,
        3,
        10,
        2,
        "information_session",
        "Découvrir l'alternance",
        "find-training",
        ["Mission Locale Val-de-Seine"],
        [],
        30,
    ),
    (
        -5,
        4,
        9,
        3,
        "job_dating",
        "Job dating hôtellerie-restauration",
        "find-job",
        ["France Travail"],
        ["5120", "5131"],
        40,
    ),
    (
        -4,
        2,
        9,
        6,
        "forum",
        "Forum des métiers du numérique",
        "choose-path",
        ["CIO Val-de-Seine", "CCI Val-de-Seine"],
        ["2512", "3512"],
        None,
    ),
    (-3, 1, 14, 2, "workshop", "Préparer un entretien d'embauche", "find-job", ["France Travail"], [], 10),
    (
        -2,
        3,
        14,
        2,
        "information_session",
        "Créer son entreprise : les premières étapes",
        "start-business",
        ["BGE Val-de-Seine"],
        [],
        25,
    ),
    (-2, 4, 10, 2, "workshop", "Faire valider ses acquis (VAE)", "change-career", ["AFPA"], [], 15),
    (-1, 2, 14, 2, "information_session", "Partir travailler à l'étranger", "work-abroad", [], [], 20),
    (0, 4, 14, 2, "workshop", "Trouver un emploi grâce aux réseaux sociaux", "find-job", ["France Travail"], [], 12),
    (
        1,
        2,
        9,
        5,
        "forum",
        "Forum de l'apprentissage",
        "find-training",
        ["Mission Locale Val-de-Seine", "Chambre de Métiers et de l'Artisanat"],
        [],
        None,
    ),
    (1, 4, 9, 3, "job_dating", "Job dating services à la personne", "find-job", ["France Travail"], ["5322"], 30),
    (
        2,
        1,
        14,
        2,
        "workshop",
        "Découvrir les métiers du bâtiment",
        "choose-path",
        ["AFPA", "Chambre de Métiers et de l'Artisanat"],
        ["7126", "7112"],
        15,
    ),
    (
        3,
        3,
        10,
        2,
        "information_session",
        "Financer sa formation",
        "find-training",
        ["Département du Val-de-Seine"],
        [],
        30,
    ),
    (4, 1, 14, 3, "workshop", "Reconversion : faire le point", "change-career", ["CIO Val-de-Seine"], [], 10),
    (
        5,
        3,
        10,
        2,
        "information_session",
        "Micro-entreprise : mode d'emploi",
        "start-business",
        ["BGE Val-de-Seine", "CCI Val-de-Seine"],
        [],
        25,
    ),
]
PLACES = ["Salle Agora", "Salle Ariane", "Atelier 2", "Hall d'exposition"]


def build_workshops():
    """About fifteen workshops around today; the past ones with their attendance (one still to count),
    one coming workshop cancelled. Built once: run again, it leaves them as they are."""
    from django.utils import timezone

    from cite.models import User
    from counselling import services
    from counselling.models import AttendanceCount, Workshop
    from resources.models import IscoGroup

    if Workshop.objects.exists():
        return
    rng = random.Random(11)  # noqa: S311 (demo data, not security)
    areas = {area.code: area for area in Area.objects.all()}
    institutions = {institution.name: institution for institution in Institution.objects.all()}
    groups = {group.code: group for group in IscoGroup.objects.filter(code__in={c for w in WORKSHOPS for c in w[8]})}
    facilitators = list(User.objects.filter(email__in=COUNSELLORS).order_by("email"))
    planner = User.objects.filter(email="backoffice@demo.example.org").first()
    lists = {
        profile_list: [code for code, _label in AttendanceCount.items(profile_list)]
        for profile_list in (
            AttendanceCount.List.AGE_BAND,
            AttendanceCount.List.SITUATION,
            AttendanceCount.List.FIRST_VISIT,
        )
    }
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    zone = timezone.get_current_timezone()
    for index, (weeks, weekday, hour, hours, kind, title, area, partners, isco, capacity) in enumerate(WORKSHOPS):
        day = monday + datetime.timedelta(weeks=weeks, days=weekday)
        starts_at = datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=zone)
        workshop = services.plan_workshop(
            data={
                "kind": kind,
                "title": title,
                "description": "",
                "area": areas.get(area),
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(hours=hours),
                "place": PLACES[index % len(PLACES)] if kind != "forum" else PLACES[-1],
                "capacity": capacity,
                "is_public": True,
                "institutions": [institutions[name] for name in partners if name in institutions],
                "occupation_groups": [groups[code] for code in isco if code in groups],
                "facilitators": facilitators[index % len(facilitators) : index % len(facilitators) + 1]
                if facilitators
                else [],
            },
            by=planner,
        )
        if workshop.ends_at >= timezone.now():
            if index == len(WORKSHOPS) - 2:
                services.cancel_workshop(workshop=workshop)
            continue
        if index == 7:
            continue  # one past workshop still waits for its count
        attendance = rng.randint(int((capacity or 120) * 0.5), capacity or 120)
        breakdown = {}
        for profile_list, codes in lists.items():
            if not codes:
                continue
            remaining = attendance - rng.randint(0, attendance // 5)  # some did not answer
            counts = {}
            for code in codes[:-1]:
                counts[code] = rng.randint(0, remaining)
                remaining -= counts[code]
            counts[codes[-1]] = remaining
            breakdown[profile_list] = {code: count for code, count in counts.items() if count}
        services.record_attendance(workshop=workshop, attendance=attendance, breakdown=breakdown)
