"""The counsellor's desk: the desks to choose from, call, receive, record, finish, call the next
one; the session form's document look-up."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cite.decorators import permission_required
from cite.errors import DomainError
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
from reception.forms import kept_rendered
from reception.models import Ticket
from resources.models import Record

from .sessions import render_session_detail

WALK_IN_FIELDS = "counselling/includes/walk_in_fields.html"
UNREAD = object()


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


def _desk_context(user, *, session=None, form=None, duty=UNREAD):
    """What the desk page shows: the desks to choose from, or my desk, its visitor and their session.
    `duty`: the user's (None: they hold none), when the view has just read it."""
    if duty is UNREAD:
        duty = queue.duty_of(user)
    my_desk = duty.desk if duty else None
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
    now = timezone.now()
    # The head of the queue and its length, never the whole list (a busy day has hundreds waiting);
    # while the session form takes its place, the length alone.
    if form is None:
        waiting, waiting_count = queue.next_waiting(areas=areas, limit=settings.COUNSELLING_DESK_WAITING_ROWS)
    else:
        waiting, waiting_count = [], queue.waiting_tickets(areas=areas).count()
    return {
        "desk": my_desk,
        "areas": areas,
        "current": current,
        "session": session,
        "form": form,
        "history": earlier_sessions(current, user) if current else [],
        "waiting": waiting,
        "waiting_count": waiting_count,
        "walk_in_fields": _walk_in_fields() if current is None else "",
        "today": selectors.todays_totals(user),
        "now": now,
        "since_call": _elapsed(current.called_at, now) if current and current.called_at else "",
    }


def _walk_in_fields():
    """The walk-in form's questions, blank, as every load of a free desk shows them: rendered once per
    state of the lists they offer and language (reception.forms.kept_rendered). Knowing that state is
    one query; building and rendering six lists of choices was six and most of the page's time."""
    return kept_rendered("walk-in", lambda: render_to_string(WALK_IN_FIELDS, {"walk_in_form": WalkInForm()}))


def _elapsed(since, now):
    """ "3 min 05 s": the time since the call, as static/js/desk.js keeps it current."""
    seconds = max(0, int((now - since).total_seconds()))
    return f"{seconds // 60} min {seconds % 60:02d} s"


@permission_required("counselling.add_session")
def desk(request):
    """My desk: the queue of my areas, the visitor at my desk and their session form; before it is
    open, every desk with its areas and whether it is free."""
    queue_services.close_idle_desks_now_and_then()
    duty = _present(request.user)
    return render(request, "counselling/desk.html", _desk_context(request.user, duty=duty))


def _present(user):
    """The user's duty, noted as still held (see touch_duty): one query, and a write every 30 seconds."""
    duty = queue.duty_of(user)
    if duty is not None:
        queue_services.touch_duty(user=user, duty=duty)
    return duty


@permission_required("counselling.add_session")
def desk_presence(request):
    """Polled every minute by the open desk page: the counsellor is still there (their desk stays
    open), and how many visitors wait for their areas now."""
    duty = _present(request.user)
    my_desk = duty.desk if duty else None
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
                desk = form.cleaned_data["desk"]
                services.open_desk(counsellor=user, desk=desk, take_over=action == "take-over")
                messages.success(request, _("You are on duty at %(desk)s.") % {"desk": desk})
            return redirect("counselling:desk")
        if action == "leave":
            requeued = queue_services.leave_desk(user=user)
            if requeued is not None:
                messages.info(request, _("%(code)s went back to the head of its queue.") % {"code": requeued.code})
            messages.success(request, _("You left the desk."))
            return redirect("counselling:desk")
        my_desk = queue.desk_of(user)
        if my_desk is None:
            raise services.QueueError(_("Open a desk first."))
        if action == "call-next":
            ticket = services.call_next(desk=my_desk, counsellor=user)
            if ticket is None:
                messages.info(request, _("Nobody is waiting for your areas."))
            else:
                messages.success(request, _("%(code)s called to %(desk)s.") % {"code": ticket.code, "desk": my_desk})
        elif action == "walk-in":
            form = WalkInForm(request.POST)
            if not form.is_valid():
                raise services.QueueError(_("Choose the area of the visit; the other questions may stay unasked."))
            session = services.start_walk_in(
                area=form.cleaned_data["area"], desk=my_desk, counsellor=user, profile=form.profile()
            )
            messages.success(
                request, _("Session with %(code)s started (a visit without a ticket).") % {"code": session.ticket.code}
            )
        elif action == "call":
            ticket = services.call_ticket(ticket=_ticket_of(request), desk=my_desk, counsellor=user)
            messages.success(request, _("%(code)s called to %(desk)s.") % {"code": ticket.code, "desk": my_desk})
        elif action == "recall":
            ticket = queue_services.recall(ticket=_ticket_of(request), desk=my_desk, by=user)
            messages.success(request, _("%(code)s called again.") % {"code": ticket.code})
        elif action == "no-show":
            ticket = queue_services.mark_no_show(ticket=_ticket_of(request), desk=my_desk, by=user)
            messages.success(
                request,
                _("%(code)s marked as a no-show: the ticket is closed and your desk is free.") % {"code": ticket.code},
            )
        elif action == "receive":
            session = services.start_session(ticket=_ticket_of(request), desk=my_desk, counsellor=user)
            messages.success(request, _("Session with %(code)s started.") % {"code": session.ticket.code})
        else:
            raise services.QueueError(_("Unknown action."))
    except services.QueueError as error:
        messages.error(request, error.message)
    return redirect("counselling:desk")


def _session_page(request, session, *, form, finished, status=200, ask_outcome=False):
    """The page where a session's form lives: the desk while the session is open, its own page once
    it has ended (a correction)."""
    if finished:
        return render_session_detail(request, session, form=form, status=status)
    context = _desk_context(request.user, session=session, form=form)
    context.setdefault("current", session.ticket)
    context.update(session=session, form=form, ask_outcome=ask_outcome)
    return render(request, "counselling/desk.html", context, status=status)


@permission_required("counselling.add_session")
@require_http_methods(["GET", "POST"])
def session_save(request, pk):
    """Save the session form; "finish" also ends the session and frees the desk for the next call.

    Answers GET too: after a refused save the browser is on this address, and a reload or the
    language switch must show the form again, not a blank "method not allowed"."""
    session = get_object_or_404(Session.objects.select_related("ticket", "area"), pk=pk)
    if session.counsellor_id != request.user.pk:
        raise PermissionDenied
    finished = session.ended_at is not None  # read before the form puts the typed times on it
    if request.method == "GET":
        return _session_page(request, session, form=SessionForm(instance=session), finished=finished)
    form = SessionForm(request.POST, instance=session)
    action = request.POST.get("action")
    # A finished session has one button, Save: a correction is saved, never refused as a "finish".
    finishing = action in ("finish", "finish-anyway") and not finished
    if not form.is_valid():
        # Nothing is saved; the page shows what was typed, a summary of the reasons at the top.
        return _session_page(request, session, form=form, finished=finished, status=400)
    if finishing and action != "finish-anyway" and form.unanswered():
        # A soft question, once: the counsellor may answer it or finish anyway.
        return _session_page(request, session, form=form, finished=finished, ask_outcome=True)
    try:
        if finishing:
            services.finish_session(session=session, by=request.user, data=form.session_data())
            messages.success(request, _("Session of %(code)s finished.") % {"code": session.ticket.code})
        else:
            services.save_session(session=session, by=request.user, data=form.session_data())
            messages.success(request, _("Session saved."))
    except DomainError as error:
        # Refused as a whole (the transaction rolled back): the form keeps what was typed.
        for message in error.messages:
            form.add_error(None, message)
        return _session_page(request, session, form=form, finished=finished, status=400)
    if finished:
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
