"""The planning: the week grid, the permanence forms, opening hours and closures (back office), hours against agreements
(back office, managers), and the public "when to come" page with its calendar feed."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from cite import dates
from cite.decorators import permission_required
from cite.spreadsheets import csv_writer
from counselling import planning, services
from counselling.forms import (
    ClosureForm,
    ExtraDateForm,
    OccurrenceForm,
    OpeningWeekForm,
    PermanenceForm,
)
from counselling.ical import build_feed
from counselling.models import (
    Closure,
    Permanence,
    PermanenceException,
    Weekday,
)


def _monday(request):
    return planning.monday_of(dates.query_date(request, "week", default=timezone.localdate()))


def _week_url(day):
    return f"{reverse('counselling:planning')}?week={planning.monday_of(day):%Y-%m-%d}"


def _within(day):
    """`day` when a page may be asked for it, else None: no link leads to a refused date."""
    return day if dates.within(day) else None


def _week_context(monday):
    return {
        "previous_week": _within(monday - datetime.timedelta(days=7)),
        "next_week": _within(monday + datetime.timedelta(days=7)),
        "this_week": planning.monday_of(timezone.localdate()),
        "today": timezone.localdate(),
    }


@permission_required("counselling.view_permanence")
@dates.reads_dates("week")
def planning_week(request):
    """The week grid: areas by days, each day's hours and closures, every occurrence with its state."""
    monday = _monday(request)
    return render(request, "counselling/planning/week.html", {**planning.week(monday), **_week_context(monday)})


def _save_permanence(request, form, success):
    if request.method == "POST" and form.is_valid():
        try:
            permanence = services.save_permanence(permanence=form.save(commit=False))
        except services.PlanningError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, success % {"permanence": permanence})
            return redirect(
                _week_url(
                    permanence.valid_from if permanence.valid_from > timezone.localdate() else timezone.localdate()
                )
            )
    return None


@permission_required("counselling.add_permanence")
@dates.reads_dates("valid_from")
def permanence_add(request):
    initial = {key: request.GET[key] for key in ("area", "weekday", "starts_at", "ends_at") if key in request.GET}
    if valid_from := dates.query_date(request, "valid_from"):
        initial["valid_from"] = valid_from
    form = PermanenceForm(request.POST or None, initial=initial)
    done = _save_permanence(request, form, _("Permanence planned: %(permanence)s."))
    return done or render(request, "counselling/planning/permanence_form.html", {"form": form})


def _permanence_page(request, permanence, form, extra_form):
    return render(
        request,
        "counselling/planning/permanence_form.html",
        {"form": form, "permanence": permanence, "extra_form": extra_form},
    )


@permission_required("counselling.change_permanence")
def permanence_edit(request, pk):
    permanence = get_object_or_404(planning.with_exceptions(Permanence.objects.all()), pk=pk)
    form = PermanenceForm(request.POST or None, instance=permanence)
    done = _save_permanence(request, form, _("Permanence changed: %(permanence)s."))
    return done or _permanence_page(request, permanence, form, ExtraDateForm())


@permission_required("counselling.change_permanence")
@require_POST
def occurrence_add(request, pk):
    """An extra date for a permanence; a refusal shows the form again with what was typed."""
    permanence = get_object_or_404(planning.with_exceptions(Permanence.objects.all()), pk=pk)
    form = ExtraDateForm(request.POST)
    if form.is_valid():
        try:
            services.add_occurrence(permanence=permanence, **form.cleaned_data)
        except services.PlanningError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Extra date added."))
            return redirect(_week_url(form.cleaned_data["date"]))
    # The permanence again, unchanged, with this form's errors and what was typed.
    return _permanence_page(request, permanence, PermanenceForm(instance=permanence), form)


def _day_or_404(value):
    try:
        return dates.parse_date(value)
    except dates.BadDate:
        raise Http404 from None


@permission_required("counselling.change_permanence")
@dates.reads_dates("day")
def occurrence(request, pk, day):
    """One date of a permanence: cancel it, move it elsewhere, or undo an earlier change."""
    permanence = get_object_or_404(Permanence.objects.select_related("institution", "area", "desk"), pk=pk)
    day = _day_or_404(day)
    change = PermanenceException.objects.filter(permanence=permanence, date=day).first()
    if change is None and not planning.occurs_on(permanence, day):
        raise Http404
    form = OccurrenceForm(
        request.POST or None, changed=change is not None, initial={"action": "restore" if change else "cancel"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "cancel":
                services.cancel_occurrence(permanence=permanence, date=day, reason=data["reason"])
                messages.success(request, _("The permanence of %(day)s is cancelled.") % {"day": f"{day:%d/%m/%Y}"})
            elif data["action"] == "move":
                services.move_occurrence(
                    permanence=permanence,
                    date=day,
                    new_date=data["new_date"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    reason=data["reason"],
                )
                messages.success(request, _("The permanence of %(day)s is moved.") % {"day": f"{day:%d/%m/%Y}"})
            else:
                services.restore_occurrence(permanence=permanence, date=day)
                messages.success(request, _("The change of %(day)s is undone.") % {"day": f"{day:%d/%m/%Y}"})
        except services.PlanningError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect(_week_url(day))
    return render(
        request,
        "counselling/planning/occurrence.html",
        {"permanence": permanence, "day": day, "change": change, "form": form, "week_url": _week_url(day)},
    )


def _month(request):
    return dates.query_month(request, "month", default=timezone.localdate().replace(day=1))


@permission_required("counselling.view_hours_report")
@dates.reads_dates("month")
def hours(request):
    """Per institution, this month: hours planned, committed by agreement, and on duty; gaps flagged."""
    month = _month(request)
    first, last = planning.month_bounds(month)
    return render(
        request,
        "counselling/planning/hours.html",
        {
            "rows": planning.hours_report(month),
            "month": first,
            "previous_month": _within((first - datetime.timedelta(days=1)).replace(day=1)),
            "next_month": _within(last + datetime.timedelta(days=1)),
            "threshold": settings.COUNSELLING_HOURS_GAP_PERCENT,
        },
    )


def _tenths(hours):
    return round(Decimal(hours), 1)


@permission_required("counselling.view_hours_report")
@dates.reads_dates("month")
def hours_csv(request):
    month = _month(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hours-{month:%Y-%m}.csv"'
    writer = csv_writer(response)
    writer.writerow(
        [
            _("Month"),
            _("Institution"),
            _("Hours planned"),
            _("Hours committed"),
            _("Hours on duty"),
            _("Planned − committed"),
            _("On duty − planned"),
            _("Flagged"),
        ]
    )
    for row in planning.hours_report(month):
        writer.writerow(
            [
                f"{month:%Y-%m}",
                row.institution.name,
                # Numbers, not text: a negative gap stays a number, while a name starting with "-" is quoted.
                *(_tenths(hours) for hours in (row.planned, row.committed, row.on_duty)),
                *(_tenths(gap) for gap in (row.planned_gap, row.duty_gap)),
                _("yes") if row.flagged else _("no"),
            ]
        )
    return response


@dates.reads_dates("week")
def when_to_come(request):
    """Public: this week's opening hours and the permanences by area and institution (no names)."""
    monday = _monday(request)
    return render(
        request,
        "counselling/planning/when_to_come.html",
        {
            **planning.public_week(monday),
            **_week_context(monday),
            "feed_url": request.build_absolute_uri(reverse("counselling:when-to-come-ics")),
        },
    )


@require_safe
def when_to_come_ics(request):
    """Public iCalendar feed of the permanences, a week back and eight ahead."""
    body = build_feed(
        planning.feed_occurrences(), page_url=request.build_absolute_uri(reverse("counselling:when-to-come"))
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="permanences.ics"'
    response["Cache-Control"] = "public, max-age=900"
    return response


# --- Opening hours and closures --------------------------------------------------------------------


@permission_required("counselling.change_openinghours")
def opening_hours(request):
    """The week of hours of the centre and of each area; one of them edited at a time (`?area=`)."""
    overview = planning.opening_hours_overview()
    area = None
    if area_id := request.GET.get("area"):
        area = next((a for a, _hours in overview if a is not None and str(a.pk) == area_id), None)
        if area is None:
            raise Http404
    current = next(hours for a, hours in overview if a == area)
    form = OpeningWeekForm(request.POST or None, area=area, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_opening_hours(area=area, week=form.cleaned_data["week"])
        except services.PlanningError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            where = area.name if area else _("the centre")
            messages.success(request, _("The opening hours of %(where)s are saved.") % {"where": where})
            return redirect(f"{reverse('counselling:opening-hours')}{f'?area={area.pk}' if area else ''}")
    return render(
        request,
        "counselling/planning/opening_hours.html",
        {
            "overview": [(a, hours and [hours.get(day) for day in Weekday.values]) for a, hours in overview],
            "area": area,
            "form": form,
            "weekdays": Weekday.choices,
        },
    )


@permission_required("counselling.add_closure")
def closures(request):
    """Closures from today on (and those of the last months), and a form to add one."""
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _closure, stopped = services.add_closure(closure=form.save(commit=False))
        except services.PlanningError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                ngettext(
                    "Closure saved. %(count)d permanence date falls on it and will not be held.",
                    "Closure saved. %(count)d permanence dates fall on it and will not be held.",
                    len(stopped),
                )
                % {"count": len(stopped)},
            )
            return redirect("counselling:closures")
    today = timezone.localdate()
    listed = Closure.objects.filter(ends_on__gte=today - datetime.timedelta(days=92)).select_related("area")
    return render(
        request,
        "counselling/planning/closures.html",
        {
            "form": form,
            "upcoming": [c for c in listed if c.ends_on >= today],
            "past": [c for c in listed if c.ends_on < today][::-1],
        },
    )


@permission_required("counselling.delete_closure")
@require_POST
def closure_delete(request, pk):
    closure = get_object_or_404(Closure, pk=pk)
    services.remove_closure(closure=closure)
    messages.success(
        request, _("The closure “%(reason)s” is removed: those days are open again.") % {"reason": closure.reason}
    )
    return redirect("counselling:closures")
