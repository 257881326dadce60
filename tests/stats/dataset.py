"""A small month of visits whose every figure was worked out by hand (see test_figures.py).

October 2025 in Paris (summer time ended on the 26th). Area B: seven served visits, the last at
23:30 on Friday 31 October. Area C: one served visit, one no-show, one walk-in, one visitor who left.
Outside October: one visit at 00:30 on 1 November, two in September (the previous period).
"""

import datetime

from reception.models import Ticket
from tests.factories import local

OCTOBER = datetime.date(2025, 10, 1)


def october(visit, training, job, ages):
    young, older = ages["18-25"], ages["26-35"]
    d = datetime.date
    # Area B: waits of 2, 5, 10, 12, 30, 45, 61 whole minutes (seconds are dropped), sessions 8 to 30.
    visit(training, local(d(2025, 10, 6), 9, 10), wait=2 + 20 / 60, session=12, first_visit=True, age_band=young)
    visit(training, local(d(2025, 10, 6), 9, 40), wait=5, session=20, first_visit=True, age_band=young)
    visit(training, local(d(2025, 10, 7), 10, 5), wait=10 + 59 / 60, session=15, first_visit=False, age_band=older)
    visit(training, local(d(2025, 10, 8), 14, 0), wait=12, session=30, first_visit=True, age_band=young)
    visit(training, local(d(2025, 10, 9), 14, 30), wait=30, session=8, first_visit=False, age_band=young)
    visit(training, local(d(2025, 10, 10), 16, 0), wait=45, session=25, first_visit=True)
    visit(training, local(d(2025, 10, 31), 23, 30), wait=61, session=10, first_visit=True, age_band=young)
    # Area C: served, no-show, walk-in, left before being called.
    visit(job, local(d(2025, 10, 6), 9, 20), wait=3, session=10, first_visit=False, age_band=older)
    visit(job, local(d(2025, 10, 13), 11, 0), wait=7, status=Ticket.Status.NO_SHOW, first_visit=True)
    visit(job, local(d(2025, 10, 14), 11, 30), walk_in=True, session=14, first_visit=False)
    visit(job, local(d(2025, 10, 15), 12, 0), status=Ticket.Status.CANCELLED)
    # Not October: 00:30 on 1 November is November's; September is the previous period.
    visit(training, local(d(2025, 11, 1), 0, 30), wait=4, session=9, first_visit=True)
    visit(training, local(d(2025, 9, 30), 23, 30), wait=4, session=9, first_visit=True)
    visit(job, local(d(2025, 9, 15), 10, 0), wait=20, session=11, first_visit=False)


def busy(visit, areas, ages, *, months=((2025, 9), (2025, 10)), per_day=14, seed=7):
    """Believable weekdays of visits for screenshots: `per_day` visits a weekday in each month, written
    together (visit.many)."""
    import random

    rng = random.Random(seed)
    bands = [*ages.values(), None]
    visits = []
    for year, month in months:
        day = datetime.date(year, month, 1)
        while day.month == month:
            if day.weekday() < 5:
                for _n in range(per_day):
                    status = rng.choices([None, Ticket.Status.NO_SHOW], [0.93, 0.07])[0]
                    area = rng.choices(areas, [3, 2, 1, 1][: len(areas)])[0]
                    arrived = local(day, rng.choice([9, 10, 10, 11, 11, 14, 14, 15, 16, 17]), rng.randrange(60))
                    options = {"wait": rng.uniform(1, 50), "session": rng.randint(6, 35), "status": status}
                    profile = {"first_visit": rng.random() < 0.6, "age_band": rng.choice(bands)}
                    visits.append(((area, arrived), options | profile))
            day += datetime.timedelta(days=1)
    visit.many(visits)
