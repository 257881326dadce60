"""The counsellor's desk (call, receive, record, finish, call the next one), the sessions, the day,
and the workshops (list, month calendar, page, plan, attendance, iCalendar feeds)."""

import calendar
import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cite import dates
from cite.decorators import permission_required
from cite.spreadsheets import csv_writer
from counselling import planning, selectors, services
from counselling.forms import (
    AttendanceForm,
    ExtraDateForm,
    OccurrenceForm,
    OpenDeskForm,
    PermanenceForm,
    SessionFilter,
    SessionForm,
    WalkInForm,
    WorkshopFilter,
    WorkshopForm,
)
from counselling.ical import build_feed, build_workshop_calendar
from counselling.models import (
    AttendanceCount,
    CounsellorProfile,
    Permanence,
    PermanenceException,
    Referral,
    Session,
    Workshop,
)
from reception import selectors as queue
from reception import services as queue_services
from reception.models import Ticket
from resources.models import IscoGroup, Occupation, Record


def _open_session(ticket, user):
    return (
        Session.objects.filter(ticket=ticket, counsellor=user, ended_at__isnull=True)
        .select_related("ticket", "area")
        .first()
    )


def earlier_sessions(ticket, user):
    """Sessions of earlier visits linked by the visitor's return code (never their private notes,
    except one's own or where the centre shares notes)."""
    if not ticket.return_code_id:
        return []
    sessions = list(
        Session.objects.filter(ticket__return_code=ticket.return_code_id, ended_at__isnull=False)
        .exclude(ticket=ticket)
        .select_related("area", "counsellor")
        .prefetch_related(
            "topics",
            "occupations",
            "occupation_groups",
            Prefetch("referrals", Referral.objects.select_related("institution", "area")),
        )
        .order_by("-started_at")
    )
    for session in sessions:
        session.visible_note = (
            session.note if session.counsellor_id == user.pk or settings.COUNSELLING_SHARE_NOTES else ""
        )
    return sessions


def _desk_context(user, *, session=None, form=None):
    """What the desk page shows: the desks to choose from, or my desk, its visitor and their session."""
    my_desk = queue.desk_of(user)
    if my_desk is None:
        profile = CounsellorProfile.objects.filter(user=user).first()
        return {
            "board": selectors.desk_board(user),
            "usual_desk": profile.usual_desk_id if profile else None,
            "left_session": selectors.open_session(user),
            "last_duty": selectors.last_duty(user),
            "idle_minutes": settings.RECEPTION_DESK_IDLE_MINUTES,
        }
    areas = selectors.callable_areas(user, my_desk)
    current = queue.active_ticket(my_desk)
    if session is None and current is not None:
        session = _open_session(current, user)
    if form is None and session is not None:
        form = SessionForm(instance=session)
    return {
        "desk": my_desk,
        "areas": areas,
        "current": current,
        "session": session,
        "form": form,
        "history": earlier_sessions(current, user) if current else [],
        "waiting": queue.waiting_tickets(areas=areas),
        "walk_in_form": WalkInForm(),
        "today": _my_day(user),
        "now": timezone.now(),
    }


@permission_required("counselling.add_session")
def desk(request):
    """My desk: the queue of my areas, the visitor at my desk and their session form; before it is
    open, every desk with its areas and whether it is free."""
    queue_services.close_idle_desks_now_and_then()
    queue_services.touch_duty(user=request.user)
    return render(request, "counselling/desk.html", _desk_context(request.user))


@permission_required("counselling.add_session")
def desk_presence(request):
    """Polled every minute by the open desk page: the counsellor is still there (their desk stays
    open), and how many visitors wait for their areas now."""
    queue_services.touch_duty(user=request.user)
    my_desk = queue.desk_of(request.user)
    waiting = queue.waiting_tickets(areas=selectors.callable_areas(request.user, my_desk)).count() if my_desk else 0
    return render(
        request,
        "counselling/includes/desk_presence.html",
        {"desk": my_desk, "waiting_count": waiting, "quiet": request.GET.get("quiet") == "1"},
    )


def _my_day(user):
    """The counsellor's own figures of today's visits, from their sessions (never anyone else's)."""
    today = timezone.localdate()
    return selectors.counsellor_figures(user, start=today, end=today)


def _ticket_of(request):
    value = request.POST.get("ticket", "")
    ticket = Ticket.objects.filter(pk=value).first() if value.isascii() and value.isdigit() else None
    if ticket is None:
        raise services.QueueError(_("This ticket no longer exists."))
    return ticket


@permission_required("counselling.add_session")
@require_POST
def desk_action(request):
    """The desk's buttons: open, take over or leave a desk, call, recall, no-show, receive, walk-in.
    Every move names my desk; the services refuse a move on a ticket that is not at it."""
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action in ("open", "take-over"):
            form = OpenDeskForm(request.POST)
            if form.is_valid():
                services.open_desk(counsellor=user, desk=form.cleaned_data["desk"], take_over=action == "take-over")
            return redirect("counselling:desk")
        if action == "leave":
            requeued = queue_services.leave_desk(user=user)
            if requeued is not None:
                messages.info(request, _("%(code)s went back to the head of its queue.") % {"code": requeued.code})
            return redirect("counselling:desk")
        my_desk = queue.desk_of(user)
        if my_desk is None:
            raise services.QueueError(_("Open a desk first."))
        if action == "call-next":
            if services.call_next(desk=my_desk, counsellor=user) is None:
                messages.info(request, _("Nobody is waiting for your areas."))
        elif action == "walk-in":
            form = WalkInForm(request.POST)
            if form.is_valid():
                services.start_walk_in(
                    area=form.cleaned_data["area"], desk=my_desk, counsellor=user, profile=form.profile()
                )
        elif action == "call":
            services.call_ticket(ticket=_ticket_of(request), desk=my_desk, counsellor=user)
        elif action == "recall":
            queue_services.recall(ticket=_ticket_of(request), desk=my_desk, by=user)
        elif action == "no-show":
            ticket = queue_services.mark_no_show(ticket=_ticket_of(request), desk=my_desk, by=user)
            messages.info(request, _("%(code)s marked as a no-show.") % {"code": ticket.code})
        elif action == "receive":
            services.start_session(ticket=_ticket_of(request), desk=my_desk, counsellor=user)
        else:
            raise services.QueueError(_("Unknown action."))
    except services.QueueError as error:
        messages.error(request, error.message)
    return redirect("counselling:desk")


@permission_required("counselling.add_session")
@require_POST
def session_save(request, pk):
    """Save the session form; "finish" also ends the session and frees the desk for the next call."""
    session = get_object_or_404(Session.objects.select_related("ticket", "area"), pk=pk)
    if session.counsellor_id != request.user.pk:
        raise PermissionDenied
    form = SessionForm(request.POST, instance=session)
    finishing = request.POST.get("action") == "finish"
    if not form.is_valid():
        # Nothing is saved; the page shows what was typed, with the reasons beside the fields.
        context = _desk_context(request.user, session=session, form=form)
        context.setdefault("current", session.ticket)
        context.update(session=session, form=form)
        return render(request, "counselling/desk.html", context, status=400)
    try:
        if finishing:
            services.finish_session(session=session, by=request.user, data=form.session_data())
            messages.success(request, _("Session of %(code)s finished.") % {"code": session.ticket.code})
        else:
            services.save_session(session=session, by=request.user, data=form.session_data())
            messages.success(request, _("Session saved."))
    except services.QueueError as error:
        messages.error(request, error.message)
    if not finishing and session.ended_at:
        return redirect(session.get_absolute_url())
    return redirect("counselling:desk")


def _visible_sessions(user):
    sessions = Session.objects.select_related("area", "counsellor", "institution", "ticket").prefetch_related("topics")
    if user.has_perm("counselling.view_all_sessions"):
        return sessions
    return sessions.filter(counsellor=user)


@permission_required("counselling.view_session")
@dates.reads_dates("after", "before")
def sessions(request):
    """My sessions; for managers, everyone's, with filters."""
    visible = _visible_sessions(request.user).order_by("-started_at")
    filters = SessionFilter(request.GET or None, queryset=visible)
    results = filters.qs if filters.is_bound and filters.is_valid() else visible
    return render(
        request,
        "counselling/sessions.html",
        {"filter": filters, "sessions": results[:200], "all": request.user.has_perm("counselling.view_all_sessions")},
    )


@permission_required("counselling.view_session")
def session_detail(request, pk):
    session = get_object_or_404(
        _visible_sessions(request.user).prefetch_related(
            "occupations",
            "occupation_groups",
            "documents",
            Prefetch("referrals", Referral.objects.select_related("institution", "area")),
        ),
        pk=pk,
    )
    mine = session.counsellor_id == request.user.pk
    return render(
        request,
        "counselling/session_detail.html",
        {
            "session": session,
            "note": session.note if mine or settings.COUNSELLING_SHARE_NOTES else "",
            "form": SessionForm(instance=session) if mine else None,
        },
    )


@permission_required("counselling.add_session")
def my_day(request):
    """The counsellor's day: sessions, median session time, topics and occupations (their own only)."""
    today = Session.objects.filter(counsellor=request.user, ticket__day=timezone.localdate())
    return render(
        request,
        "counselling/my_day.html",
        {
            "figures": _my_day(request.user),
            "sessions": today.select_related("area", "ticket").order_by("started_at"),
            "topics": today.values("topics__label_fr", "topics__label_en", "topics__code")
            .exclude(topics=None)
            .annotate(count=Count("id"))
            .order_by("-count"),
            "occupations": Occupation.objects.filter(sessions__in=today)
            .annotate(count=Count("sessions"))
            .order_by("-count")[:10],
            # Groups noted on their own, when no single occupation fitted.
            "groups": IscoGroup.objects.filter(sessions__in=today)
            .annotate(count=Count("sessions"))
            .order_by("-count", "code")[:10],
            "month": _my_month(request.user),
        },
    )


def _my_month(user):
    """The counsellor's own figures of this month's visits, from their sessions as on "my day" (the
    statistics' months are calendar months too)."""
    start = timezone.localdate().replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return {
        "label": date_format(start, "YEAR_MONTH_FORMAT"),
        "figures": selectors.counsellor_figures(user, start=start, end=end),
    }


@permission_required("counselling.add_session")
def record_lookup(request):
    """Documents of the library to hand out, by title: the type-ahead of the session form."""
    # PostgreSQL refuses NUL bytes in text: a query carrying one would fail, not just find nothing.
    text = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    records = Record.objects.none()
    if len(text) >= 2:
        records = Record.objects.filter(title__unaccent__icontains=text).order_by("title")[:10]
    return JsonResponse(
        {
            "results": [
                {"id": record.pk, "value": record.pk, "label": record.title, "code": "", "matched": ""}
                for record in records
            ]
        }
    )


# ---------------------------------------------------------------------------------------------------
# Planning: the week grid and the permanence forms (back office), hours against agreements
# (back office, managers), and the public "when to come" page with its calendar feed.


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


@permission_required("counselling.change_permanence")
def permanence_edit(request, pk, extra_form=None):
    permanence = get_object_or_404(planning.with_exceptions(Permanence.objects.all()), pk=pk)
    form = PermanenceForm(request.POST or None, instance=permanence)
    done = _save_permanence(request, form, _("Permanence changed: %(permanence)s."))
    return done or render(
        request,
        "counselling/planning/permanence_form.html",
        {"form": form, "permanence": permanence, "extra_form": extra_form or ExtraDateForm()},
    )


@permission_required("counselling.change_permanence")
@require_POST
def occurrence_add(request, pk):
    """An extra date for a permanence; a refusal shows the form again with what was typed."""
    permanence = get_object_or_404(Permanence, pk=pk)
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
    request.method = "GET"  # show the permanence again, unchanged, with this form's errors
    return permanence_edit(request, pk, extra_form=form)


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


# --- Workshops ----------------------------------------------------------------------------------------

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
    first = _month(request)
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
