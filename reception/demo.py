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


def _profiles(rng):
    lists = {field: list(model.objects.all()) for field, model in _FIELDS.items()}

    def profile():
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
    """Nine weeks of served visits, written in bulk (the services would take minutes for this)."""
    rng = random.Random(42)  # noqa: S311 (demo data, not security)
    profile = _profiles(rng)
    desks = list(Desk.objects.prefetch_related("areas"))
    desks_by_area = {area.pk: [d for d in desks if area in d.areas.all()] or desks for area in areas}
    weights = [5, 4, 6, 3, 2, 1][: len(areas)]
    tz = timezone.get_current_timezone()
    tickets, counters = [], []
    for offset in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        numbers = dict.fromkeys((a.pk for a in areas), 0)
        for _index in range(rng.randint(70, 130)):
            area = rng.choices(areas, weights)[0]
            numbers[area.pk] += 1
            arrived = datetime.combine(day, time(9, 30), tz) + timedelta(minutes=rng.uniform(0, 480))
            called = arrived + timedelta(minutes=rng.uniform(2, 45))
            started = called + timedelta(minutes=rng.uniform(0.5, 3))
            no_show = rng.random() < 0.06
            finished = called + timedelta(minutes=3) if no_show else started + timedelta(minutes=rng.uniform(8, 30))
            tickets.append(
                Ticket(
                    day=day,
                    issued_area=area,
                    area=area,
                    number=numbers[area.pk],
                    code=f"{area.letter}-{numbers[area.pk]:03d}",
                    status=Ticket.Status.NO_SHOW if no_show else Ticket.Status.DONE,
                    arrived_at=arrived,
                    called_at=called,
                    started_at=None if no_show else started,
                    finished_at=finished,
                    desk=rng.choice(desks_by_area[area.pk]),
                    call_count=1,
                    **profile(),
                )
            )
        counters += [TicketCounter(area_id=pk, day=day, last_number=n) for pk, n in numbers.items() if n]
    Ticket.objects.bulk_create(tickets, batch_size=2000)
    TicketCounter.objects.bulk_create(counters)
    Kind, Status = TicketEvent.Kind, Ticket.Status
    events = []
    for t in tickets:
        events.append(
            TicketEvent(ticket=t, kind=Kind.ISSUED, at=t.arrived_at, to_status=Status.WAITING, to_area=t.area)
        )
        events.append(
            TicketEvent(
                ticket=t,
                kind=Kind.CALLED,
                at=t.called_at,
                from_status=Status.WAITING,
                to_status=Status.CALLED,
                desk=t.desk,
            )
        )
        if t.status == Status.NO_SHOW:
            events.append(
                TicketEvent(
                    ticket=t,
                    kind=Kind.NO_SHOW,
                    at=t.finished_at,
                    from_status=Status.CALLED,
                    to_status=Status.NO_SHOW,
                    desk=t.desk,
                )
            )
        else:
            events.append(
                TicketEvent(
                    ticket=t,
                    kind=Kind.STARTED,
                    at=t.started_at,
                    from_status=Status.CALLED,
                    to_status=Status.SERVING,
                    desk=t.desk,
                )
            )
            events.append(
                TicketEvent(
                    ticket=t,
                    kind=Kind.FINISHED,
                    at=t.finished_at,
                    from_status=Status.SERVING,
                    to_status=Status.DONE,
                    desk=t.desk,
                )
            )
    TicketEvent.objects.bulk_create(events, batch_size=5000)


def _today(areas):
    """A live queue: a few visitors waiting now, through the real service."""
    rng = random.Random()  # noqa: S311 (demo data, not security)
    profile = _profiles(rng)
    weights = [5, 4, 6, 3, 2, 1][: len(areas)]
    for _index in range(9):
        services.issue_ticket(area=rng.choices(areas, weights)[0], profile=profile(), issued_by=None)
