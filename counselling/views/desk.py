"""The counsellor's desk: the desks to choose from, call, receive, record, finish, call the next
one; the session form's document look-up."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cite.decorators import permission_required
from counselling import selectors, services
from counselling.forms import (
    OpenDeskForm,
    SessionForm,
    WalkInForm,
)
from counselling.models import (
    CounsellorProfile,
    Referral,
    Session,
)
from reception import selectors as queue
from reception import services as queue_services
from reception.models import Ticket
from resources.models import Record


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
    # The head of the queue and its length, never the whole list (a busy day has hundreds waiting).
    waiting, waiting_count = queue.next_waiting(areas=areas, limit=settings.COUNSELLING_DESK_WAITING_ROWS)
    return {
        "desk": my_desk,
        "areas": areas,
        "current": current,
        "session": session,
        "form": form,
        "history": earlier_sessions(current, user) if current else [],
        "waiting": waiting,
        "waiting_count": waiting_count,
        "walk_in_form": WalkInForm(),
        "today": selectors.todays_figures(user),
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
