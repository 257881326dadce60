"""The counsellor's desk (call, receive, record, finish, call the next one), the sessions, the day."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cite.decorators import permission_required
from counselling import services
from counselling.forms import OpenDeskForm, SessionFilter, SessionForm, WalkInForm
from counselling.models import CounsellorProfile, Referral, Session
from reception import selectors as queue
from reception import services as queue_services
from reception.models import Ticket
from resources.models import Occupation, Record


def _my_areas(user, desk):
    """The areas a counsellor serves: their own list when the back office set one, else the desk's."""
    profile = CounsellorProfile.objects.filter(user=user).prefetch_related("areas").first()
    areas = list(profile.areas.all()) if profile else []
    return areas or list(desk.areas.all())


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


@permission_required("counselling.add_session")
def desk(request):
    """My desk: the queue of my areas, the visitor at my desk and their session form."""
    my_desk = queue.desk_of(request.user)
    if my_desk is None:
        profile = CounsellorProfile.objects.filter(user=request.user).first()
        form = OpenDeskForm(initial={"desk": profile.usual_desk_id if profile else None})
        return render(request, "counselling/desk.html", {"open_form": form})
    areas = _my_areas(request.user, my_desk)
    current = queue.active_ticket(my_desk)
    session = _open_session(current, request.user) if current else None
    form = SessionForm(instance=session) if session else None
    return render(
        request,
        "counselling/desk.html",
        {
            "desk": my_desk,
            "areas": areas,
            "current": current,
            "session": session,
            "form": form,
            "history": earlier_sessions(current, request.user) if current else [],
            "waiting": queue.waiting_tickets(areas=areas),
            "walk_in_form": WalkInForm(),
            "today": _my_day(request.user),
            "now": timezone.now(),
        },
    )


def _my_day(user):
    """The counsellor's own figures of today (never anyone else's)."""
    return Session.objects.filter(
        counsellor=user, started_at__date=timezone.localdate(), ended_at__isnull=False
    ).aggregate(sessions=Count("id"), average=Avg(F("ended_at") - F("started_at")))


@permission_required("counselling.add_session")
@require_POST
def desk_action(request):
    """The desk's buttons: open or leave the desk, call, recall, no-show, receive, walk-in."""
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "open":
            form = OpenDeskForm(request.POST)
            if form.is_valid():
                queue_services.start_duty(user=user, desk=form.cleaned_data["desk"])
            return redirect("counselling:desk")
        if action == "leave":
            queue_services.end_duty(user=user)
            return redirect("counselling:desk")
        my_desk = queue.desk_of(user)
        if my_desk is None:
            raise services.QueueError(_("Open a desk first."))
        if action == "call-next":
            if queue_services.call_next(desk=my_desk, by=user, areas=_my_areas(user, my_desk)) is None:
                messages.info(request, _("Nobody is waiting for your areas."))
        elif action == "walk-in":
            form = WalkInForm(request.POST)
            if form.is_valid():
                services.start_walk_in(
                    area=form.cleaned_data["area"], desk=my_desk, counsellor=user, profile=form.profile()
                )
        else:
            ticket = (
                Ticket.objects.filter(pk=request.POST.get("ticket") or 0).first()
                if request.POST.get("ticket", "").isdigit()
                else None
            )
            if ticket is None:
                raise services.QueueError(_("This ticket no longer exists."))
            if action == "call":
                queue_services.call_ticket(ticket=ticket, desk=my_desk, by=user)
            elif action == "recall":
                queue_services.recall(ticket=ticket, by=user)
            elif action == "no-show":
                queue_services.mark_no_show(ticket=ticket, by=user)
            elif action == "receive":
                services.start_session(ticket=ticket, counsellor=user)
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
        my_desk = queue.desk_of(request.user)
        areas = _my_areas(request.user, my_desk) if my_desk else []
        return render(
            request,
            "counselling/desk.html",
            {
                "desk": my_desk,
                "areas": areas,
                "current": session.ticket,
                "session": session,
                "form": form,
                "history": earlier_sessions(session.ticket, request.user),
                "waiting": queue.waiting_tickets(areas=areas),
                "walk_in_form": WalkInForm(),
                "today": _my_day(request.user),
                "now": timezone.now(),
            },
            status=400,
        )
    try:
        if finishing:
            services.finish_session(session=session, by=request.user, data=form.session_data())
            messages.success(request, _("Session of %(code)s finished.") % {"code": session.ticket.code})
        else:
            services.save_session(session=session, data=form.session_data())
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
    """The counsellor's day: sessions, average duration, topics and occupations (their own only)."""
    today = Session.objects.filter(counsellor=request.user, started_at__date=timezone.localdate())
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
        },
    )


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
