"""Demo data of reception: the profile lists, six desks, nine weeks of anonymous visits and a live queue."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cite.models import Area
from reception import services
from reception.models import (
    AgeBand,
    Desk,
    Gender,
    HeardFrom,
    ResidenceZone,
    Situation,
    Ticket,
    TicketCounter,
    TicketEvent,
)
from reception.versions import bump_queue_version

PROFILE_LISTS = {
    AgeBand: [
        ("under-18", "Moins de 18 ans", "Under 18"),
        ("18-25", "18 à 25 ans", "18 to 25"),
        ("26-35", "26 à 35 ans", "26 to 35"),
        ("36-45", "36 à 45 ans", "36 to 45"),
        ("46-55", "46 à 55 ans", "46 to 55"),
        ("over-55", "Plus de 55 ans", "Over 55"),
    ],
    Situation: [
        ("pupil-student", "Élève, étudiant·e", "Pupil, student"),
        ("job-seeker", "Demandeur·se d'emploi", "Job seeker"),
        ("employee", "Salarié·e", "Employee"),
        ("self-employed", "Indépendant·e", "Self-employed"),
        ("inactive", "Sans activité", "Not working"),
        ("retired", "Retraité·e", "Retired"),
    ],
    Gender: [
        ("woman", "Femme", "Woman"),
        ("man", "Homme", "Man"),
        ("other", "Autre", "Other"),
        ("not-said", "Ne souhaite pas répondre", "Prefers not to say"),
    ],
    ResidenceZone: [
        ("city", "Ville-centre", "City centre"),
        ("metropolis", "Reste de la métropole", "Rest of the metropolis"),
        ("department", "Reste du département", "Rest of the département"),
        ("region", "Autre département de la région", "Elsewhere in the region"),
        ("elsewhere", "Ailleurs", "Elsewhere"),
    ],
    HeardFrom: [
        ("word-of-mouth", "Bouche à oreille", "Word of mouth"),
        ("partner", "Orienté·e par un partenaire", "Referred by a partner"),
        ("school", "École, université", "School, university"),
        ("internet", "Internet", "Internet"),
        ("social-media", "Réseaux sociaux", "Social media"),
        ("event", "Salon, événement", "Fair, event"),
    ],
}

# (desk name, area codes)
DESKS = [
    ("1", ["choose-path", "find-training"]),
    ("2", ["find-training"]),
    ("3", ["find-job"]),
    ("4", ["find-job", "change-career"]),
    ("5", ["start-business"]),
    ("6", ["work-abroad", "change-career"]),
]

# Nine weeks: a running month is compared with the same days of the month before, so the demo
# needs the whole of it whatever the date.
HISTORY_DAYS = 63


@transaction.atomic
def build():
    for model, items in PROFILE_LISTS.items():
        for order, (code, label_fr, label_en) in enumerate(items):
            model.objects.update_or_create(
                code=code, defaults={"label_fr": label_fr, "label_en": label_en, "order": order}
            )
    areas = {area.code: area for area in Area.objects.all()}
    for order, (name, codes) in enumerate(DESKS):
        desk, _created = Desk.objects.update_or_create(name=name, defaults={"order": order})
        desk.areas.set([areas[code] for code in codes if code in areas])
    today = timezone.localdate()
    if not Ticket.objects.filter(day__lt=today).exists():
        _history(today, list(areas.values()))
    if not Ticket.objects.filter(day=today).exists():
        _today(list(areas.values()))
    bump_queue_version()  # today's queue was written in bulk, not move by move


# A real centre sees the same few visitors again and again (a pupil sent by school, a job seeker sent by
# a partner…): a third of the demo's visitors have one of these profiles, so the front desk has frequent
# profiles to offer. (first visit, age band, situation, gender, residence zone, heard from), with weights.
TYPICAL_PROFILES = [
    ((True, "18-25", "pupil-student", "woman", "city", "school"), 4),
    ((False, "26-35", "job-seeker", "man", "metropolis", "partner"), 3),
    ((True, "36-45", "employee", "woman", "city", "word-of-mouth"), 2),
    ((True, "18-25", "job-seeker", "man", "city", "internet"), 2),
    ((False, "46-55", "job-seeker", "woman", "department", "partner"), 1),
]


def _profiles(rng):
    lists = {field: list(model.objects.all()) for field, model in _FIELDS.items()}
    by_code = {field: {item.code: item for item in items} for field, items in lists.items()}
    typical = [
        {"first_visit": first, **{field: by_code[field].get(code) for field, code in zip(_FIELDS, codes, strict=True)}}
        for (first, *codes), _weight in TYPICAL_PROFILES
    ]
    weights = [weight for _profile, weight in TYPICAL_PROFILES]

    def profile():
        if rng.random() < 0.33:
            return dict(rng.choices(typical, weights)[0])
        values = {field: rng.choice(items) if rng.random() < 0.85 else None for field, items in lists.items()}
        values["first_visit"] = rng.random() < 0.6
        return values

    return profile


_FIELDS = {
    "age_band": AgeBand,
    "situation": Situation,
    "gender": Gender,
    "residence_zone": ResidenceZone,
    "heard_from": HeardFrom,
}


def _history(today, areas):
    """Nine weeks of visits, written in bulk (the services would take minutes for this), with the
    events the services would have written: most served, a few no-shows, walk-ins, and visitors
    referred to a second area after a first session (they wait twice). Reception issued the
    tickets; who called and received them at the desks is counselling's to say (its demo gives each
    served visit its sessions and the desk events their authors)."""
    from cite.models import User
    from cite.roles import RECEPTION

    rng = random.Random(42)  # noqa: S311 (demo data, not security)
    profile = _profiles(rng)
    desks = list(Desk.objects.prefetch_related("areas"))
    desks_by_area = {area.pk: [d for d in desks if area in d.areas.all()] or desks for area in areas}
    receptionists = list(User.objects.filter(groups__name=RECEPTION).order_by("email")) or [None]
    weights = [5, 4, 6, 3, 2, 1][: len(areas)]
    tz = timezone.get_current_timezone()
    minute = timedelta(minutes=1)
    tickets, plans, counters = [], [], []
    for offset in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        numbers = dict.fromkeys((a.pk for a in areas), 0)
        for _index in range(rng.randint(70, 130)):
            area = rng.choices(areas, weights)[0]
            numbers[area.pk] += 1
            arrived = datetime.combine(day, time(9, 30), tz) + rng.uniform(0, 480) * minute
            kind = rng.choices(["served", "no_show", "walk_in", "referred"], [86, 6, 2, 6])[0]
            second = rng.choice([a for a in areas if a != area]) if kind == "referred" and len(areas) > 1 else None
            desk = rng.choice(desks_by_area[area.pk])
            # The stints of the visit: (area, desk, called, started, ended); a walk-in is met at once.
            called = arrived if kind == "walk_in" else arrived + rng.uniform(2, 45) * minute
            started = called if kind == "walk_in" else called + rng.uniform(0.5, 3) * minute
            stints = [(area, desk, called, started, started + rng.uniform(8, 30) * minute)]
            if second:
                referred = stints[0][4]
                called = referred + rng.uniform(2, 30) * minute
                started = called + rng.uniform(0.5, 3) * minute
                desk = rng.choice(desks_by_area[second.pk])
                stints.append((second, desk, called, started, started + rng.uniform(8, 30) * minute))
            last = stints[-1]
            no_show = kind == "no_show"
            tickets.append(
                Ticket(
                    day=day,
                    issued_area=area,
                    area=last[0],
                    number=numbers[area.pk],
                    code=f"{area.letter}-{numbers[area.pk]:03d}",
                    status=Ticket.Status.NO_SHOW if no_show else Ticket.Status.DONE,
                    arrived_at=arrived,
                    called_at=last[2],
                    started_at=None if no_show else last[3],
                    finished_at=last[2] + 3 * minute if no_show else last[4],
                    desk=last[1],
                    call_count=len(stints),
                    walk_in=kind == "walk_in",
                    issued_by=rng.choice(receptionists),
                    **profile(),
                )
            )
            plans.append(stints)
        counters += [TicketCounter(area_id=pk, day=day, last_number=n) for pk, n in numbers.items() if n]
    Ticket.objects.bulk_create(tickets, batch_size=2000)
    TicketCounter.objects.bulk_create(counters)
    events = [event for ticket, stints in zip(tickets, plans, strict=True) for event in _events(ticket, stints)]
    TicketEvent.objects.bulk_create(events, batch_size=5000)


def _events(ticket, stints):
    """The events the services write for `ticket`: issued, then for each stint called (not a walk-in),
    started and finished, or transferred to the next area; a no-show after its call."""
    Kind, Status = TicketEvent.Kind, Ticket.Status

    def event(kind, at, before, after, **fields):
        return TicketEvent(ticket=ticket, kind=kind, at=at, from_status=before, to_status=after, **fields)

    events = [event(Kind.ISSUED, ticket.arrived_at, "", Status.WAITING, to_area=stints[0][0], by=ticket.issued_by)]
    for index, (area, desk, called, started, ended) in enumerate(stints):
        if ticket.walk_in and index == 0:
            events.append(event(Kind.STARTED, started, Status.WAITING, Status.SERVING, desk=desk))
        else:
            events.append(event(Kind.CALLED, called, Status.WAITING, Status.CALLED, desk=desk))
            if ticket.status == Status.NO_SHOW:
                events.append(event(Kind.NO_SHOW, ticket.finished_at, Status.CALLED, Status.NO_SHOW, desk=desk))
                break
            events.append(event(Kind.STARTED, started, Status.CALLED, Status.SERVING, desk=desk))
        if index + 1 < len(stints):
            following = stints[index + 1][0]
            events.append(
                event(
                    Kind.TRANSFERRED,
                    ended,
                    Status.SERVING,
                    Status.WAITING,
                    desk=desk,
                    from_area=area,
                    to_area=following,
                )
            )
        else:
            events.append(event(Kind.FINISHED, ended, Status.SERVING, Status.DONE, desk=desk))
    return events


def _today(areas):
    """A live queue: a few visitors waiting now, issued by reception through the real service."""
    from cite.models import User
    from cite.roles import RECEPTION

    rng = random.Random()  # noqa: S311 (demo data, not security)
    profile = _profiles(rng)
    weights = [5, 4, 6, 3, 2, 1][: len(areas)]
    receptionist = User.objects.filter(groups__name=RECEPTION).order_by("email").first()
    for _index in range(9):
        services.issue_ticket(area=rng.choices(areas, weights)[0], profile=profile(), issued_by=receptionist)
