"""Small factories for the planning tests: opening hours, institutions and permanences."""

import datetime
from unittest import mock

from counselling import services
from counselling.models import OpeningHours, Permanence
from partners.models import Institution
from tests.factories import local  # noqa: F401 (the planning tests import it from here)

T = datetime.time
NINE, TWELVE, FIVE_PM = T(9), T(12), T(17)


def open_centre(opens=NINE, closes=FIVE_PM, weekdays=range(5), area=None):
    for weekday in weekdays:
        OpeningHours.objects.create(area=area, weekday=weekday, opens_at=opens, closes_at=closes)


def institution(name, kind="employment"):
    return Institution.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def plan(*, institution, area, weekday, starts=NINE, ends=TWELVE, valid_from, frequency=1, **fields):
    """A permanence saved through the service, so the rules apply."""
    return services.save_permanence(
        permanence=Permanence(
            institution=institution,
            area=area,
            weekday=weekday,
            starts_at=starts,
            ends_at=ends,
            valid_from=valid_from,
            frequency=frequency,
            **fields,
        )
    )


def frozen(moment):
    """Django's clock stopped at `moment` (timezone.now and everything built on it)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)
