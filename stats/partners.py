"""What a partner institution does at the centre this month, for its page in partners.

partners may import only the kernel, so it asks for this through the `partner_activity` AppConfig
hook (docs/architecture.md): the statistics can read every app, and withhold small counts exactly
as the dashboard of the same month does, because the counts come from that dashboard's tables.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Sum

from counselling.models import Workshop
from counselling.planning import active_between, hours_report, occurrences
from stats.figures import dashboard
from stats.periods import Kind, Period
from stats.tables import COUNT, NUMBER, Stat, threshold


@dataclass
class PartnerActivity:
    """Plain figures for the partner's page; each count a `stats.tables.Stat` (its `.text` is withheld
    when small)."""

    period: Period
    permanences: Stat  # occurrences of its permanences held this month
    planned: object = None  # hours (Decimal) planned, committed and on duty: the planning's report
    committed: object = None
    on_duty: object = None
    sessions: Stat = None  # visitors received by the counsellors it seconds
    referrals: Stat = None  # visitors referred to it
    workshops: Stat = None  # workshops it facilitated, held this month
    workshop_people: Stat = None  # people who came to them
    threshold: int = field(default_factory=threshold)


# The month's dashboard takes a second or two to build: its cells for every institution are kept
# this long, so opening partner pages one after another costs it once. Figures of the day may lag as much.
CACHE_SECONDS = 600
KEYS = {"sessions": "sessions-by-institution", "referrals": "referrals-by-institution"}


def institution_cells(period, today):
    """{(figure, institution id as text): Stat} of the month's dashboard, withheld as it withholds them."""
    cache_key = f"stats:partner-cells:{period.start:%Y-%m}:{today:%Y-%m-%d}"
    cells = cache.get(cache_key)
    if cells is None:
        wanted = {table_key: figure for figure, table_key in KEYS.items()}
        cells = {
            (wanted[table.key], row.code): row.cells["visits"]
            for table in dashboard(period, today=today)
            if table.key in wanted
            for row in table.rows
        }
        cache.set(cache_key, cells, CACHE_SECONDS)
    return cells


def partner_activity(*, institution, today):
    """This month's activity of `institution`: its permanences and hours (counselling's planning),
    the visitors its counsellors received and those referred to it (the month's dashboard, small
    counts withheld there), the workshops it facilitated and who came (withheld under the threshold)."""
    period = Period.of(Kind.MONTH, today)
    first, last = period.start, period.end

    held = [
        o
        for o in occurrences(active_between(first, last).filter(institution=institution), first, last, keep_away=False)
        if o.held
    ]
    hours = next((r for r in hours_report(first) if r.institution.pk == institution.pk), None)

    cells = institution_cells(period, today)
    code = str(institution.pk)

    workshops = Workshop.objects.filter(
        starts_at__date__range=(first, last), institutions=institution, is_cancelled=False
    ).aggregate(count=Count("id"), people=Sum("attendance"))
    count = workshops["count"] or 0
    people = workshops["people"] or 0
    people_stat = Stat(people, COUNT)
    # One number alone, in no table of the dashboard: the threshold rule is all it needs.
    people_stat.suppressed = 0 < people < threshold()
    return PartnerActivity(
        period=period,
        permanences=Stat(len(held), NUMBER),
        planned=hours.planned if hours else None,
        committed=hours.committed if hours else None,
        on_duty=hours.on_duty if hours else None,
        sessions=cells.get(("sessions", code), Stat(0, COUNT)),
        referrals=cells.get(("referrals", code), Stat(0, COUNT)),
        workshops=Stat(count, NUMBER),
        workshop_people=people_stat,
    )
