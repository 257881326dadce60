"""The service time of each area (the `S` of the estimated wait), kept in a table rather than measured
per request: a median of two weeks of sessions is the costliest read of the queue.

It is measured again when a session of the area ends (reception.services, after the move commits)
and, for the days that leave the sample, when a reader finds it older than
RECEPTION_SERVICE_REFRESH_SECONDS: at most every few minutes, one request pays for the median.
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from reception.models import ServiceTime
from reception.versions import bump_queue_version


def measured_service_times(areas):
    """{area id: (sessions, median minutes)} of `areas`, measured now (one query, the costly one).

    Reception knows nothing of sessions: the app that records them names a function in its AppConfig,
        queue_service_times = "dotted.path.to.function"
    called as function(areas=[Area, ...], since=aware datetime) -> {area id: (sessions, median
    minutes)}, so that the estimate reads session time as every figure does. Without one, no area
    has a measure (every area gets the default).
    """
    since = timezone.now() - timedelta(days=settings.RECEPTION_SERVICE_SAMPLE_DAYS)
    for config in apps.get_app_configs():
        if path := getattr(config, "queue_service_times", None):
            return import_string(path)(areas=list(areas), since=since)
    return {}


@transaction.atomic
def refresh_service_times(*, areas):
    """Measure the service time of `areas` again and keep it; the queue's version moves when a figure
    changed, since estimated waits change with it. Returns the rows."""
    areas = list(areas)
    now = timezone.now()
    measured = measured_service_times(areas)
    rows = [
        ServiceTime(area=area, samples=samples, median_minutes=median, computed_at=now)
        for area in areas
        for samples, median in [measured.get(area.pk, (0, None))]
    ]
    before = {
        row.area_id: (row.samples, row.median_minutes)
        for row in ServiceTime.objects.select_for_update().filter(area__in=[area.pk for area in areas])
    }
    ServiceTime.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["area"], update_fields=["samples", "median_minutes", "computed_at"]
    )
    if any(before.get(row.area_id) != (row.samples, row.median_minutes) for row in rows):
        bump_queue_version()
    return rows


def current_service_times(areas):
    """{area id: service time} for `areas`: the kept median, or RECEPTION_DEFAULT_SERVICE_MINUTES
    where samples are too few. One query, plus a refresh when a figure is missing or too old."""
    areas = list(areas)
    rows = {row.area_id: row for row in ServiceTime.objects.filter(area__in=[area.pk for area in areas])}
    stale_before = timezone.now() - timedelta(seconds=settings.RECEPTION_SERVICE_REFRESH_SECONDS)
    if any(area.pk not in rows or rows[area.pk].computed_at < stale_before for area in areas):
        rows = {row.area_id: row for row in refresh_service_times(areas=areas)}
    default = timedelta(minutes=settings.RECEPTION_DEFAULT_SERVICE_MINUTES)
    minimum = settings.RECEPTION_SERVICE_MIN_SAMPLES
    return {
        area.pk: timedelta(minutes=rows[area.pk].median_minutes)
        if area.pk in rows and rows[area.pk].samples >= minimum and rows[area.pk].median_minutes is not None
        else default
        for area in areas
    }
