"""Planning reads: opening hours, the occurrences of permanences, who is expected today, and the
hours planned, committed and worked per institution.

Occurrences are computed in Python from each permanence's weekly rule, never stored: a date in the
centre's time zone plus wall-clock times, so 9:00 stays 9:00 across a daylight-saving change.
"Every other week" counts from the week (Monday to Sunday) of `valid_from`.

Two permanences conflict when they occur on the same date at overlapping times and share
  - the same desk (a desk holds one permanence at a time, whatever the area), or
  - the same counsellor (nobody is in two places), or
  - the same area and the same institution (the same permanence twice).
Two institutions in the same area at the same time do not conflict: counsellors from different
institutions often hold an area together, each at their own desk.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from cite.ical import centre_zone
from cite.models import Area
from counselling.models import Closure, OpeningHours, Permanence, PermanenceException
from partners.models import Agreement, Institution, Secondment
from reception.models import Duty
from reception.selectors import AreaPlan, Presence

ONE_DAY = datetime.timedelta(days=1)
Kind = PermanenceException.Kind
FOREVER = datetime.date.max


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def days(start, end):
    """Every date from `start` to `end`, both included."""
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def hhmm(value):
    return time_format(value, "H:i")


# --- Opening hours --------------------------------------------------------------------------------


class Schedule:
    """The centre's and the areas' weekly hours, and the closures of a period: two queries."""

    def __init__(self, start, end):
        self.centre = {}
        self.areas = defaultdict(dict)
        for hours in OpeningHours.objects.all():
            if hours.area_id is None:
                self.centre[hours.weekday] = hours
            else:
                self.areas[hours.area_id][hours.weekday] = hours
        self.closures = list(Closure.objects.filter(starts_on__lte=end, ends_on__gte=start).order_by("starts_on"))

    @property
    def in_use(self):
        """False until the back office enters the centre's hours: then nothing is flagged."""
        return bool(self.centre)

    def weekly(self, weekday, area=None):
        """(opens, closes) of `area` (or the centre) on `weekday` in a usual week, or None when closed."""
        centre = self.centre.get(weekday)
        if centre is None:
            return None
        area_id = area.pk if isinstance(area, Area) else area
        if area_id is not None and area_id in self.areas:
            own = self.areas[area_id].get(weekday)
            if own is None:
                return None
            opens, closes = max(own.opens_at, centre.opens_at), min(own.closes_at, centre.closes_at)
            return (opens, closes) if opens < closes else None
        return centre.opens_at, centre.closes_at

    def closure(self, day, area=None):
        """The closure that shuts `area` (or the whole centre when area is None) on `day`, or None."""
        area_id = area.pk if isinstance(area, Area) else area
        for closure in self.closures:
            if closure.starts_on <= day <= closure.ends_on and closure.area_id in (None, area_id):
                return closure
        return None

    def opening(self, day, area=None):
        """(opens, closes) of `area` on the date `day`, or None when it is closed that day."""
        if self.closure(day, area):
            return None
        return self.weekly(day.weekday(), area)


# --- Occurrences ----------------------------------------------------------------------------------


def occurs_on(permanence, day):
    """Whether the weekly rule of `permanence` (exceptions aside) falls on `day`."""
    if day.weekday() != permanence.weekday or day < permanence.valid_from:
        return False
    if permanence.valid_until and day > permanence.valid_until:
        return False
    if permanence.frequency == Permanence.Frequency.FORTNIGHTLY:
        return ((monday_of(day) - monday_of(permanence.valid_from)).days // 7) % 2 == 0
    return True


@dataclass
class Occurrence:
    permanence: Permanence
    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    usual_date: datetime.date  # the rule's date (for a moved one, where it came from): the key of its UID
    exception: PermanenceException = None
    closure: Closure = None

    @property
    def cancelled(self):
        return self.exception is not None and self.exception.kind == PermanenceException.Kind.CANCELLED

    @property
    def moved_away(self):
        """Shown on its usual date: this occurrence takes place on another date."""
        change = self.exception
        return change is not None and change.kind == PermanenceException.Kind.MOVED and self.date != change.new_date

    @property
    def held(self):
        return not self.cancelled and not self.moved_away and self.closure is None

    @property
    def kind(self):
        return self.exception.kind if self.exception else "regular"

    @property
    def start(self):
        return datetime.datetime.combine(self.date, self.starts_at, tzinfo=centre_zone())

    @property
    def end(self):
        return datetime.datetime.combine(self.date, self.ends_at, tzinfo=centre_zone())

    @property
    def hours(self):
        # Wall-clock hours: the same tzinfo on both sides, so Python subtracts local times.
        return Decimal((self.end - self.start).total_seconds()) / 3600

    @property
    def uid(self):
        return f"permanence-{self.permanence.uid}-{self.usual_date:%Y%m%d}@counselling.cite"


def with_exceptions(queryset):
    return queryset.select_related("institution", "area", "desk", "counsellor").prefetch_related(
        Prefetch("exceptions", PermanenceException.objects.order_by("date"))
    )


def active_between(start, end):
    """Permanences whose validity, or one of whose changes, touches the period: with their exceptions."""
    return with_exceptions(
        Permanence.objects.filter(
            Q(valid_from__lte=end, valid_until__isnull=True)
            | Q(valid_from__lte=end, valid_until__gte=start)
            | Q(exceptions__date__range=(start, end))
            | Q(exceptions__new_date__range=(start, end))
        ).distinct()
    )


def occurrences(permanences, start, end, *, schedule=None, keep_away=True):
    """The occurrences of `permanences` from `start` to `end` (dates, both included), by time.

    Cancelled occurrences, and with `keep_away` those moved to another date, stay in the list
    (flagged) so that the grid can show and restore them; `held` tells those that take place.
    With a `schedule`, occurrences on a closed day carry their `closure`.
    """
    found = []
    for permanence in permanences:
        changes = {exception.date: exception for exception in permanence.exceptions.all()}
        first = max(start, permanence.valid_from)
        last = min(end, permanence.valid_until or FOREVER)
        day = first + datetime.timedelta(days=(permanence.weekday - first.weekday()) % 7)
        while day <= last:
            if occurs_on(permanence, day):
                change = changes.get(day)
                # A moved occurrence shows on its usual date only where the grid needs it (keep_away).
                moved_away = change is not None and change.kind == Kind.MOVED and change.new_date != day
                if change is None or change.kind == Kind.CANCELLED or (moved_away and keep_away):
                    found.append(_occurrence(permanence, day, day, change))
            day += datetime.timedelta(days=7)
        for change in changes.values():
            if change.kind == PermanenceException.Kind.ADDED and start <= change.date <= end:
                found.append(_occurrence(permanence, change.date, change.date, change, own_times=True))
            elif change.kind == PermanenceException.Kind.MOVED and start <= change.new_date <= end:
                found.append(_occurrence(permanence, change.new_date, change.date, change, own_times=True))
    if schedule is not None:
        for occurrence in found:
            occurrence.closure = schedule.closure(occurrence.date, occurrence.permanence.area_id)
    found.sort(key=lambda o: (o.date, o.starts_at, o.permanence.area.order, o.permanence.institution.name))
    return found


def _occurrence(permanence, day, usual_date, change, *, own_times=False):
    starts, ends = permanence.starts_at, permanence.ends_at
    if own_times:  # a moved or added occurrence may have hours of its own
        starts, ends = change.starts_at or starts, change.ends_at or ends
    return Occurrence(
        permanence=permanence, date=day, starts_at=starts, ends_at=ends, usual_date=usual_date, exception=change
    )


# --- Checks ---------------------------------------------------------------------------------------


def _share_a_date(a, b):
    """Whether two weekly rules fall on a common date (the pattern repeats every two weeks)."""
    if a.weekday != b.weekday:
        return False
    start = max(a.valid_from, b.valid_from)
    end = min(a.valid_until or FOREVER, b.valid_until or FOREVER)
    day = start + datetime.timedelta(days=(a.weekday - start.weekday()) % 7)
    for _week in range(2):
        if day > end:
            return False
        if occurs_on(a, day) and occurs_on(b, day):
            return True
        day += datetime.timedelta(days=7)
    return False


def _rivals(permanence):
    """Other permanences that would conflict with `permanence` if they met at the same time."""
    same = Q(area=permanence.area_id, institution=permanence.institution_id)
    if permanence.desk_id:
        same |= Q(desk=permanence.desk_id)
    if permanence.counsellor_id:
        same |= Q(counsellor=permanence.counsellor_id)
    return with_exceptions(Permanence.objects.filter(same).exclude(pk=permanence.pk))


def _why_conflict(permanence, other):
    if permanence.desk_id and permanence.desk_id == other.desk_id:
        return _("%(desk)s is already taken by %(other)s.")
    if permanence.counsellor_id and permanence.counsellor_id == other.counsellor_id:
        return _("%(counsellor)s already holds %(other)s.")
    return _("%(institution)s already holds %(other)s in this area.")


def _conflict_message(permanence, other, day=None):
    template = _why_conflict(permanence, other)
    described = _("the permanence of %(weekday)s %(start)s–%(end)s") % {
        "weekday": other.get_weekday_display().lower() if day is None else day.strftime("%d/%m/%Y"),
        "start": hhmm(other.starts_at),
        "end": hhmm(other.ends_at),
    }
    return template % {
        "desk": permanence.desk,
        "counsellor": permanence.counsellor,
        "institution": permanence.institution,
        "other": described,
    }


def _hours_problem(opening, starts, ends, area, weekday_label):
    if opening is None:
        return _("%(area)s is closed on %(day)s.") % {"area": area, "day": weekday_label}
    opens, closes = opening
    if starts < opens or ends > closes:
        return _(
            "%(area)s is open from %(opens)s to %(closes)s on %(day)s: the permanence must fit in these hours."
        ) % {
            "area": area,
            "opens": hhmm(opens),
            "closes": hhmm(closes),
            "day": weekday_label,
        }
    return None


def permanence_problems(permanence):
    """Why the weekly rule of `permanence` (saved or not) cannot be kept: a list of messages."""
    problems = []
    if not all([permanence.area_id, permanence.institution_id, permanence.starts_at, permanence.ends_at]):
        return problems  # the form reports the missing fields
    if permanence.weekday is None or permanence.valid_from is None or permanence.ends_at <= permanence.starts_at:
        return problems
    if permanence.desk_id and not permanence.desk.areas.filter(pk=permanence.area_id).exists():
        problems.append(_("%(desk)s does not serve %(area)s.") % {"desk": permanence.desk, "area": permanence.area})
    schedule = Schedule(permanence.valid_from, permanence.valid_from)
    if schedule.in_use:
        weekday_label = permanence.get_weekday_display().lower()
        problem = _hours_problem(
            schedule.weekly(permanence.weekday, permanence.area_id),
            permanence.starts_at,
            permanence.ends_at,
            permanence.area,
            weekday_label,
        )
        if problem:
            problems.append(problem)
    for other in _rivals(permanence).filter(weekday=permanence.weekday):
        overlap = other.starts_at < permanence.ends_at and permanence.starts_at < other.ends_at
        if overlap and _share_a_date(permanence, other):
            problems.append(_conflict_message(permanence, other))
    return problems


def permanences_outside_hours(*, area=None, today=None):
    """Why the opening hours as they stand would leave out permanences still running: one message per
    permanence that no longer fits (of `area`, or of every area when the centre's hours changed)."""
    today = today or timezone.localdate()
    running = Permanence.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)).select_related(
        "institution", "area"
    )
    if area is not None:
        running = running.filter(area=area)
    schedule = Schedule(today, today)
    if not schedule.in_use:
        return []
    problems = []
    for permanence in running.order_by("area__order", "weekday", "starts_at"):
        problem = _hours_problem(
            schedule.weekly(permanence.weekday, permanence.area_id),
            permanence.starts_at,
            permanence.ends_at,
            permanence.area,
            permanence.get_weekday_display().lower(),
        )
        if problem:
            problems.append(
                _("%(permanence)s: %(problem)s Change or end the permanence first.")
                % {"permanence": permanence, "problem": problem}
            )
    return problems


def closure_occurrences(*, area, starts_on, ends_on):
    """The occurrences of permanences a closure from `starts_on` to `ends_on` (of `area`, or of the
    whole centre) would stop: they are not held on a closed day."""
    running = active_between(starts_on, ends_on)
    if area is not None:
        running = running.filter(area=area)
    found = occurrences(running, starts_on, ends_on, schedule=Schedule(starts_on, ends_on), keep_away=False)
    return [o for o in found if not o.cancelled]


def opening_hours_overview():
    """[(area or None, {weekday: OpeningHours})] for the centre and each active area: two queries."""
    rows = defaultdict(dict)
    for hours in OpeningHours.objects.all():
        rows[hours.area_id][hours.weekday] = hours
    return [(None, rows.get(None, {}))] + [(area, rows.get(area.pk, {})) for area in Area.objects.active()]


def occurrence_problems(permanence, day, starts_at, ends_at, *, usual_date=None):
    """Why `permanence` cannot take place on `day` from `starts_at` to `ends_at` (a moved or added
    occurrence): closed that day, outside the hours, or in conflict with another occurrence."""
    if ends_at <= starts_at:
        return [_("A permanence must end after it starts.")]
    problems = []
    schedule = Schedule(day, day)
    label = day.strftime("%d/%m/%Y")
    if schedule.in_use:
        problem = _hours_problem(schedule.opening(day, permanence.area_id), starts_at, ends_at, permanence.area, label)
        if problem:
            problems.append(problem)
    for occurrence in occurrences(_rivals(permanence), day, day):
        if not occurrence.held:
            continue
        if occurrence.starts_at < ends_at and starts_at < occurrence.ends_at:
            problems.append(_conflict_message(permanence, occurrence.permanence, day))
    own = [o for o in occurrences([permanence], day, day) if o.held and o.usual_date != usual_date]
    if any(o.starts_at < ends_at and starts_at < o.ends_at for o in own):
        problems.append(
            _("%(institution)s already holds this permanence on %(day)s.")
            % {
                "institution": permanence.institution,
                "day": label,
            }
        )
    return problems


# --- Weeks ----------------------------------------------------------------------------------------


@dataclass
class WeekDay:
    date: datetime.date
    opening: tuple = None  # (opens, closes) of the centre, None when closed
    closure: Closure = None
    areas: dict = field(default_factory=dict)  # area id -> {"opening": …, "occurrences": [...]}


def week(monday, *, areas=None):
    """A week of planning: each day's hours and closures and, per area, its occurrences.

    A fixed number of queries (hours, closures, areas, permanences, their exceptions).
    """
    sunday = monday + datetime.timedelta(days=6)
    schedule = Schedule(monday, sunday)
    areas = list(areas if areas is not None else Area.objects.active())
    found = occurrences(active_between(monday, sunday).filter(area__in=areas), monday, sunday, schedule=schedule)
    week_days = []
    for day in days(monday, sunday):
        item = WeekDay(date=day, opening=schedule.opening(day), closure=schedule.closure(day))
        for area in areas:
            item.areas[area.pk] = {
                "area": area,
                "opening": schedule.opening(day, area),
                "closure": schedule.closure(day, area),
                "occurrences": [o for o in found if o.date == day and o.permanence.area_id == area.pk],
            }
        week_days.append(item)
    grid = [{"area": area, "cells": [{"day": day, **day.areas[area.pk]} for day in week_days]} for area in areas]
    return {
        "monday": monday,
        "sunday": sunday,
        "days": week_days,
        "areas": areas,
        "grid": grid,
        "schedule": schedule,
        "occurrences": found,
    }


def public_week(monday):
    """The "when to come" page: per area, per institution, each day's times (no counsellor)."""
    data = week(monday)
    rows = []
    for area in data["areas"]:
        institutions = {}
        for occurrence in data["occurrences"]:
            if occurrence.permanence.area_id != area.pk or occurrence.moved_away:
                continue
            name = occurrence.permanence.institution.name
            cells = institutions.setdefault(name, {day.date: [] for day in data["days"]})
            cells[occurrence.date].append(occurrence)
        rows.append(
            {
                "area": area,
                "days": [{"date": day.date, "opening": day.areas[area.pk]["opening"]} for day in data["days"]],
                "institutions": [
                    {"name": name, "cells": [cells[day.date] for day in data["days"]]}
                    for name, cells in sorted(institutions.items())
                ],
                "own_hours": area.pk in data["schedule"].areas,
                "open_days": [
                    {"date": day.date, "opening": day.areas[area.pk]["opening"]}
                    for day in data["days"]
                    if day.areas[area.pk]["opening"]
                ],
            }
        )
    data["rows"] = rows
    return data


def feed_occurrences(today=None, *, weeks_before=1, weeks_after=8):
    """Occurrences for the public calendar feed: cancelled ones too (STATUS:CANCELLED), closed days as cancelled."""
    today = today or timezone.localdate()
    start = monday_of(today) - datetime.timedelta(weeks=weeks_before)
    end = monday_of(today) + datetime.timedelta(weeks=weeks_after, days=6)
    schedule = Schedule(start, end)
    return occurrences(
        active_between(start, end).filter(area__is_active=True), start, end, schedule=schedule, keep_away=False
    )


# --- Today at the front desk (reception looks this up through CounsellingConfig) ----------------


def front_desk_plans(*, areas, now):
    """{area id: reception.selectors.AreaPlan} for today: who staffs each area now and later, and
    when it closes. Empty while the centre has no opening hours (planning not in use). Four queries."""
    zone = centre_zone()
    local = now.astimezone(zone)
    today, clock = local.date(), local.time()
    schedule = Schedule(today, today)
    if not schedule.in_use:
        return {}
    areas = list(areas)
    found = occurrences(
        active_between(today, today).filter(area__in=areas), today, today, schedule=schedule, keep_away=False
    )
    plans = {}
    for area in areas:
        opening = schedule.opening(today, area)
        closure = schedule.closure(today, area)
        plan = AreaPlan(
            closes_at=datetime.datetime.combine(today, opening[1], tzinfo=zone) if opening else None,
            closure=closure.reason if closure else "",
        )
        for occurrence in found:
            if occurrence.permanence.area_id != area.pk or not occurrence.held:
                continue
            presence = Presence(
                institution=occurrence.permanence.institution.name,
                starts_at=occurrence.starts_at,
                ends_at=occurrence.ends_at,
            )
            if occurrence.starts_at <= clock < occurrence.ends_at:
                plan.now.append(presence)
            elif clock < occurrence.starts_at:
                plan.later.append(presence)
        plans[area.pk] = plan
    return plans


# --- Hours against agreements ---------------------------------------------------------------------


@dataclass
class InstitutionHours:
    institution: Institution
    planned: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    on_duty: Decimal = Decimal(0)
    threshold: int = 10

    @property
    def planned_gap(self):
        return self.planned - self.committed

    @property
    def duty_gap(self):
        return self.on_duty - self.planned

    def _too_far(self, value, reference):
        if reference == 0:
            return value > 0
        return abs(value - reference) * 100 > reference * self.threshold

    @property
    def planned_flagged(self):
        return self._too_far(self.planned, self.committed)

    @property
    def duty_flagged(self):
        return self._too_far(self.on_duty, self.planned)

    @property
    def flagged(self):
        return self.planned_flagged or self.duty_flagged


def month_bounds(month):
    first = month.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - ONE_DAY
    return first, last


def hours_report(month, *, threshold=None, now=None):
    """Per institution, for the month of the date `month`: hours planned by its permanences
    (cancelled and closed occurrences left out), hours committed by its signed agreements
    (hours per week × days of the month the agreement covers ÷ 7), and hours its seconded
    counsellors were on duty (duties clipped to the month, open ones to now). Seven queries."""
    threshold = settings.COUNSELLING_HOURS_GAP_PERCENT if threshold is None else threshold
    first, last = month_bounds(month)
    zone = centre_zone()
    now = now or timezone.now()
    month_start = datetime.datetime.combine(first, datetime.time(0), tzinfo=zone)
    month_end = datetime.datetime.combine(last + ONE_DAY, datetime.time(0), tzinfo=zone)

    rows = {}

    def row(institution):
        if institution.pk not in rows:
            rows[institution.pk] = InstitutionHours(institution=institution, threshold=threshold)
        return rows[institution.pk]

    schedule = Schedule(first, last)
    for occurrence in occurrences(active_between(first, last), first, last, schedule=schedule, keep_away=False):
        if occurrence.held:
            row(occurrence.permanence.institution).planned += occurrence.hours

    agreements = Agreement.objects.filter(
        stage__in=[Agreement.Stage.SIGNED, Agreement.Stage.EXPIRED], start_date__lte=last, end_date__gte=first
    ).select_related("institution")
    for agreement in agreements:
        covered = (min(agreement.end_date, last) - max(agreement.start_date, first)).days + 1
        row(agreement.institution).committed += agreement.committed_hours * covered / 7

    duties = list(
        Duty.objects.filter(started_at__lt=month_end).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=month_start))
    )
    secondments = defaultdict(list)
    for secondment in Secondment.objects.filter(user__in={d.user_id for d in duties}).select_related("institution"):
        secondments[secondment.user_id].append(secondment)
    for duty in duties:
        start = max(duty.started_at, month_start)
        end = min(duty.ended_at or now, month_end)
        if end <= start:
            continue
        day = duty.started_at.astimezone(zone).date()
        institution = next((s.institution for s in secondments[duty.user_id] if s.is_current(day)), None)
        if institution is not None:
            row(institution).on_duty += Decimal((end - start).total_seconds()) / 3600

    for institution in Institution.objects.filter(is_active=True).exclude(pk__in=rows):
        row(institution)
    return sorted(rows.values(), key=lambda r: r.institution.name.lower())
