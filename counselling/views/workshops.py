"""Workshops: the list, the month calendar, a workshop's page, planning one, its attendance, and
the iCalendar feeds."""

import calendar
import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cite import dates
from cite.decorators import permission_required
from counselling import services
from counselling.forms import (
    AttendanceForm,
    WorkshopFilter,
    WorkshopForm,
)
from counselling.ical import build_workshop_calendar
from counselling.models import (
    AttendanceCount,
    Workshop,
)

WORKSHOPS_PER_PAGE = 50


@permission_required("counselling.view_workshop")
@dates.reads_dates("after", "before")
def workshops(request):
    """Workshops, the coming ones first (soonest at the top), then the past ones; with filters."""
    filters = WorkshopFilter(request.GET or None, queryset=Workshop.objects.all())
    results = filters.qs if filters.is_bound and filters.is_valid() else Workshop.objects.all()
    results = results.upcoming_first().select_related("area").prefetch_related("institutions")
    page = Paginator(results, WORKSHOPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "counselling/workshops.html", {"filter": filters, "page": page})


@permission_required("counselling.view_workshop")
@dates.reads_dates("month")
def workshop_calendar(request):
    """A month of workshops as a grid of weeks (Monday first), with the previous and next months."""
    first = dates.query_month(request, "month", default=timezone.localdate().replace(day=1))
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(first.year, first.month)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(weeks[0][0], datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(weeks[-1][-1] + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    by_day = defaultdict(list)
    for workshop in (
        Workshop.objects.filter(starts_at__gte=start, starts_at__lt=end).select_related("area").order_by("starts_at")
    ):
        by_day[timezone.localtime(workshop.starts_at).date()].append(workshop)
    today = timezone.localdate()
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "counselling/workshop_calendar.html",
        {
            "month": first,
            "weekdays": [(WEEKDAYS[day], WEEKDAYS_ABBR[day]) for day in range(7)],
            "weeks": [
                [
                    {"date": day, "in_month": day.month == first.month, "today": day == today, "workshops": by_day[day]}
                    for day in week
                ]
                for week in weeks
            ],
            "previous": previous.strftime("%Y-%m") if dates.within(previous) else None,
            "next": following.strftime("%Y-%m") if dates.within(following) else None,
            "this_month": today.replace(day=1) != first,
        },
    )


@permission_required("counselling.view_workshop")
def workshop_detail(request, pk):
    workshop = get_object_or_404(
        Workshop.objects.select_related("area", "created_by").prefetch_related(
            "institutions", "facilitators", "occupations", "occupation_groups", "attendance_counts"
        ),
        pk=pk,
    )
    counted = defaultdict(dict)
    for row in workshop.attendance_counts.all():
        counted[row.profile_list][row.code] = row.count
    breakdown = []
    for profile_list in AttendanceCount.List:
        if profile_list.value in counted:
            counts = counted[profile_list.value]
            # In the list's own order (age bands young to old…), as the attendance form shows them.
            items = AttendanceCount.items(profile_list.value, codes=list(counts))
            rows = [(label, counts[code]) for code, label in items if code in counts]
            breakdown.append((profile_list.label, rows, (workshop.attendance or 0) - sum(counts.values())))
    return render(request, "counselling/workshop_detail.html", {"workshop": workshop, "breakdown": breakdown})


def _initial_times(request):
    """A new workshop on the day clicked in the calendar (or tomorrow), from 14:00 to 16:00."""
    day = dates.query_date(request, "day", default=timezone.localdate() + datetime.timedelta(days=1))
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=zone)
    return {"starts_at": start, "ends_at": start + datetime.timedelta(hours=2)}


@permission_required("counselling.add_workshop")
@dates.reads_dates("day")
def workshop_create(request):
    """Plan a workshop."""
    if request.method == "POST":
        form = WorkshopForm(request.POST)
        if form.is_valid():
            try:
                workshop = services.plan_workshop(data=form.cleaned_data, by=request.user)
            except services.WorkshopError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("“%(title)s” is planned.") % {"title": workshop.title})
                return redirect(workshop.get_absolute_url())
    else:
        form = WorkshopForm(initial=_initial_times(request))
    return render(request, "counselling/workshop_form.html", {"form": form, "workshop": None})


@permission_required("counselling.change_workshop")
def workshop_edit(request, pk):
    """Change a workshop's description, time, place, partners or capacity."""
    workshop = get_object_or_404(Workshop, pk=pk)
    if workshop.is_cancelled:
        messages.error(request, _("This workshop was cancelled; it can no longer be changed."))
        return redirect(workshop.get_absolute_url())
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_workshop(workshop=workshop, data=form.cleaned_data)
        except services.WorkshopError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(workshop.get_absolute_url())
    return render(request, "counselling/workshop_form.html", {"form": form, "workshop": workshop})


@permission_required("counselling.change_workshop")
def workshop_attendance(request, pk):
    """Count who came, anonymously: a number, and if known how they split by profile list."""
    workshop = get_object_or_404(Workshop.objects.prefetch_related("attendance_counts"), pk=pk)
    form = AttendanceForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(
                workshop=workshop, attendance=form.cleaned_data["attendance"], breakdown=form.breakdown()
            )
        except services.WorkshopError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect(workshop.get_absolute_url())
    return render(request, "counselling/workshop_attendance.html", {"workshop": workshop, "form": form})


@permission_required("counselling.change_workshop")
@require_POST
def workshop_cancel(request, pk):
    workshop = get_object_or_404(Workshop, pk=pk)
    try:
        services.cancel_workshop(workshop=workshop)
    except services.WorkshopError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is cancelled.") % {"title": workshop.title})
    return redirect(workshop.get_absolute_url())


FEED_DAYS_BACK = 365


def _feed(workshops, *, public, request, filename):
    recent = timezone.now() - datetime.timedelta(days=FEED_DAYS_BACK)
    body = build_workshop_calendar(
        workshops=workshops.filter(starts_at__gte=recent)
        .select_related("area")
        .prefetch_related("institutions")
        .order_by("starts_at"),
        public=public,
        absolute_url=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{"inline" if public else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900" if public else "private, max-age=300"
    return response


@permission_required("counselling.view_workshop")
@require_safe
def workshop_feed(request):
    """Every workshop of the last year and to come, cancelled ones marked so, for staff (a download)."""
    return _feed(Workshop.objects.all(), public=False, request=request, filename="cite-workshops-staff.ics")


@require_safe
def workshop_public_feed(request):
    """Public: the workshops open to the public and not cancelled, without staff names, for any calendar app."""
    return _feed(Workshop.objects.in_public_feed(), public=True, request=request, filename="cite-workshops.ics")
