"""Pages of reception: the front desk, today's list (with reception's moves on any ticket: cancel, put
back in the queue), the printed ticket, and the two public pages, the waiting-room display and the
visitor's phone page. Counsellors call and serve at their desk, a page of counselling."""

import re

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cite.decorators import permission_required
from cite.http import safe_next
from reception import selectors, services
from reception.filters import TodayFilter
from reception.forms import FeedbackForm, IssueTicketForm
from reception.models import Feedback, Ticket

PHONE_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _digits(value):
    """Whether `value` is a number written in ASCII digits (str.isdigit() also accepts "²")."""
    return value.isascii() and value.isdigit()


def _issued_today(pk):
    if not pk or not _digits(str(pk)):
        return None
    return (
        Ticket.objects.select_related("area", "issued_area", "return_code")
        .filter(pk=pk, day=timezone.localdate())
        .first()
    )


@permission_required("reception.issue_ticket")
def front_desk(request):
    """Issue a ticket in one to three interactions; the live queue beside it."""
    confirm = None
    services.close_idle_desks_now_and_then()
    if request.method == "POST":
        form = IssueTicketForm(request.POST)
        if form.is_valid() and _ask_first(request, form.cleaned_data["area"]):
            # Nobody is expected in this area today: say so before the ticket exists, keeping the answers.
            confirm = form.cleaned_data["area"]
        elif form.is_valid():
            try:
                ticket = services.issue_ticket(
                    area=form.cleaned_data["area"],
                    profile=form.profile(),
                    return_code=form.return_code(),
                    issued_by=request.user,
                )
            except services.QueueError as error:
                messages.error(request, error.message)
            else:
                return redirect(f"{reverse('reception:front-desk')}?issued={ticket.pk}")
    else:
        form = IssueTicketForm()
    issued = _issued_today(request.GET.get("issued"))
    overview = selectors.attach_plans(selectors.queue_overview())
    if issued:
        queue = next((q for q in overview if q.area.pk == issued.area_id), None)
        issued.estimated_wait = queue.wait_at(selectors.position_of(issued) or 1) if queue else None
        issued.may_not_be_seen = bool(queue and queue.plan and queue.plan.may_not_be_seen(issued.estimated_wait))
    return render(
        request,
        "reception/front_desk.html",
        {
            "form": form,
            "issued": issued,
            "overview": overview,
            "confirm": confirm,
            "planning": any(queue.plan for queue in overview),
        },
    )


def _ask_first(request, area):
    """Whether to ask reception to confirm a ticket for an area where the planning expects nobody today."""
    if request.POST.get("confirm_area") == str(area.pk):
        return False
    plan = selectors.area_plans([area]).get(area.pk)
    return bool(plan and plan.nobody_expected)


@permission_required("reception.view_queue")
def queue_overview(request):
    """The live queue alone, refreshed in place by the pages that include it."""
    return render(request, "reception/includes/queue_overview.html", {"overview": selectors.queue_overview()})


@permission_required("reception.view_ticket")
def today(request):
    tickets = (
        Ticket.objects.filter(day=timezone.localdate())
        .select_related("area", "desk")
        .annotate(waiting_since=selectors.waiting_since())  # the last wait: a referred visitor waits twice
        .order_by("-arrived_at")
    )
    filters = TodayFilter(request.GET or None, queryset=tickets)
    return render(
        request,
        "reception/today.html",
        {"filter": filters, "tickets": filters.qs if filters.is_bound else tickets, "now": timezone.now()},
    )


def _back(request):
    return HttpResponseRedirect(safe_next(request, reverse("reception:today")))


def _move_from_today(request, pk, move, done):
    """A reception move on one ticket from today's list: a message either way, then back to the list."""
    ticket = get_object_or_404(Ticket, pk=pk)
    try:
        move(ticket=ticket, by=request.user)
    except services.QueueError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"code": ticket.code})
    return _back(request)


@permission_required("reception.change_ticket")
@require_POST
def cancel_ticket(request, pk):
    return _move_from_today(request, pk, services.cancel, _("Ticket %(code)s cancelled."))


@permission_required("reception.supervise_queue")
@require_POST
def requeue_ticket(request, pk):
    """A ticket called to a desk whose counsellor is gone goes back to its queue (recorded with who did it)."""
    return _move_from_today(request, pk, services.requeue, _("%(code)s is back in its queue, in its place."))


@permission_required("reception.issue_ticket")
def print_ticket(request, pk):
    """The ticket for an 80 mm receipt printer, with the QR code of the visitor's phone page."""
    ticket = get_object_or_404(Ticket.objects.select_related("area", "return_code"), pk=pk, day=timezone.localdate())
    phone_url = request.build_absolute_uri(ticket.get_absolute_url())
    queue = selectors.attach_plans(selectors.queue_overview(areas=[ticket.area]))[0]
    estimated_wait = queue.wait_at(selectors.position_of(ticket) or 1)
    return render(
        request,
        "reception/print_ticket.html",
        {
            "ticket": ticket,
            "phone_url": phone_url,
            "qr": segno.make(phone_url, error="m").svg_data_uri(scale=4, border=2),
            "estimated_wait": estimated_wait,
            "may_not_be_seen": bool(queue.plan and queue.plan.may_not_be_seen(estimated_wait)),
        },
    )


def _check_display_key(request):
    """The display may be protected by a key in its URL (settings.RECEPTION_DISPLAY_KEY)."""
    expected = settings.RECEPTION_DISPLAY_KEY
    if expected and not constant_time_compare(request.GET.get("key", ""), expected):
        raise Http404


def _display_state():
    services.close_idle_desks_now_and_then()
    calls = selectors.recent_calls()
    return {
        "calls": [
            {
                "id": event.pk,
                "code": event.ticket.code,
                "desk": event.desk.name if event.desk else "",
                "area": event.ticket.area.name,
                "letter": event.ticket.area.letter,
            }
            for event in calls
        ],
        "waiting": [
            {"area": q.area.name, "letter": q.area.letter, "count": q.waiting} for q in selectors.queue_overview()
        ],
    }


@never_cache
def display(request):
    """The waiting-room screen (public): last calls, the newest flashing, and who waits per area."""
    _check_display_key(request)
    return render(request, "reception/display.html", {"state": _display_state()})


@never_cache
def display_state(request):
    """What the display shows, as JSON, polled every second by static/js/display.js."""
    _check_display_key(request)
    return JsonResponse(_display_state())


def _phone_ticket(token):
    # Keys are URL-safe base64 (reception.models.new_token); anything else (a NUL byte, which
    # PostgreSQL refuses in text) is not worth a query.
    if not PHONE_KEY.fullmatch(token):
        raise Http404
    ticket = Ticket.objects.select_related("area", "desk").filter(token=token).first()
    if ticket is None:
        raise Http404
    return ticket


def _phone_context(ticket, feedback_form=None):
    position = selectors.position_of(ticket)
    queue = selectors.queue_overview(areas=[ticket.area])[0] if position else None
    return {
        "ticket": ticket,
        "position": position,
        "estimated_wait": queue.wait_at(position) if queue else None,
        "nobody_on_duty": bool(queue) and queue.desks_open == 0,
        **_feedback_context(ticket, feedback_form),
    }


def _feedback_context(ticket, form=None):
    """Once the visit is over, the phone page asks for an opinion (or thanks for it): one query then.
    A refused answer (`form` bound, with its errors) is shown whatever the ticket's state."""
    if form is None and ticket.status != Ticket.Status.DONE:
        return {}
    given = ticket.status == Ticket.Status.DONE and Feedback.objects.filter(ticket=ticket).exists()
    if form is None and not given:
        form = FeedbackForm()
    return {"feedback_given": given, "feedback_form": form}


@never_cache
def phone(request, token):
    """The visitor's phone page (public, from the ticket's QR code): where they stand, then their desk."""
    ticket = _phone_ticket(token)
    if ticket.day != timezone.localdate():
        return render(request, "reception/phone_expired.html", status=410)
    return render(request, "reception/phone.html", _phone_context(ticket))


@never_cache
def phone_status(request, token):
    services.close_idle_desks_now_and_then()
    ticket = _phone_ticket(token)
    if ticket.day != timezone.localdate():
        return render(request, "reception/phone_expired.html", status=410)
    return render(request, "reception/includes/phone_status.html", _phone_context(ticket))


@never_cache
@require_POST
def phone_feedback(request, token):
    """The visitor's anonymous opinion after the visit, from the phone page: once, that day only."""
    ticket = _phone_ticket(token)
    if ticket.day != timezone.localdate():
        return render(request, "reception/phone_expired.html", status=410)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.give_feedback(ticket=ticket, **form.cleaned_data)
        except services.FeedbackError as error:
            form.add_error(None, error.message)
        else:
            return redirect("phone:ticket", token=ticket.token)
    return render(request, "reception/phone.html", _phone_context(ticket, form), status=400)
