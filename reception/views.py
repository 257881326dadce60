"""Pages of reception: the front desk, today's list (with reception's moves on any ticket: cancel, put
back in the queue), the printed ticket, and the two public pages, the waiting-room display and the
visitor's phone page. Counsellors call and serve at their desk, a page of counselling."""

import hashlib
import re

import segno
from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseNotModified, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cite.decorators import permission_required
from cite.http import safe_next
from reception import selectors, services
from reception.filters import TodayFilter
from reception.forms import IssueTicketForm
from reception.models import Ticket
from reception.versions import queue_version

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
    overview = _live_overview()
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


def _live_overview():
    """The live queue with today's plans, as the front desk shows them: built once per queue version
    and minute (the plans follow the clock: who is there now, closing time), then kept."""
    minute = timezone.localtime().strftime("%H%M")
    return _Version("overview", minute).cached(lambda: selectors.attach_plans(selectors.queue_overview()))


def _ask_first(request, area):
    """Whether to ask reception to confirm a ticket for an area where the planning expects nobody today."""
    if request.POST.get("confirm_area") == str(area.pk):
        return False
    plan = selectors.area_plans([area]).get(area.pk)
    return bool(plan and plan.nobody_expected)


@permission_required("reception.view_queue")
def queue_overview(request):
    """The live queue alone, refreshed in place by the pages that include it."""
    return render(request, "reception/includes/queue_overview.html", {"overview": _live_overview()})


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


# --- The queue's public pages: answered from the queue's version -----------------------------------
# While the queue does not move, the display's poll and the phone page's refresh cost one query: the
# version (reception.versions) names the answer, sent as its ETag; a browser that has it gets `304 Not
# Modified`, another gets the body kept under that version in the "queue" cache (built once per
# version and worker). `Cache-Control: no-cache` lets the browser keep the answer but ask every time.


class _Version:
    """The queue's version of today, and the ETag and cache key of one answer under it."""

    def __init__(self, *parts):
        self.day = timezone.localdate()
        self.number = queue_version(self.day)
        self.key = ":".join(map(str, ("queue", self.day.isoformat(), self.number, get_language(), *parts)))
        self.etag = f'"{hashlib.blake2s(self.key.encode(), digest_size=12).hexdigest()}"'

    def matches(self, request):
        return self.etag in request.headers.get("If-None-Match", "")

    def answer(self, response):
        response["ETag"] = self.etag
        response["Cache-Control"] = "no-cache, private"
        return response

    def not_modified(self):
        return self.answer(HttpResponseNotModified())

    def cached(self, build):
        """What `build()` gives under this version: built once, then kept until the version moves."""
        cache = caches["queue"]
        value = cache.get(self.key)
        if value is None:
            value = build()
            cache.set(self.key, value, timeout=24 * 3600)
        return value


def _display_state(version=None):
    services.close_idle_desks_now_and_then()
    return (version or _Version("display-page")).cached(_build_display_state)


def _build_display_state():
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
            {"area": q.area.name, "letter": q.area.letter, "count": q.waiting}
            for q in selectors.queue_overview(with_service_times=False)
        ],
    }


@never_cache
def display(request):
    """The waiting-room screen (public): last calls, the newest flashing, and who waits per area."""
    _check_display_key(request)
    return render(request, "reception/display.html", {"state": _display_state()})


def display_state(request):
    """What the display shows, as JSON, polled every second by static/js/display.js (which sends the
    ETag back): 304 while nothing moved."""
    _check_display_key(request)
    services.close_idle_desks_now_and_then()  # may move the queue: before reading its version
    version = _Version("display")
    if version.matches(request):
        return version.not_modified()
    body = version.cached(lambda: JsonResponse(_build_display_state()).content)
    return version.answer(HttpResponse(body, content_type="application/json"))


def _phone_ticket(token):
    # Keys are URL-safe base64 (reception.models.new_token); anything else (a NUL byte, which
    # PostgreSQL refuses in text) is not worth a query.
    if not PHONE_KEY.fullmatch(token):
        raise Http404
    ticket = Ticket.objects.select_related("area", "desk").filter(token=token).first()
    if ticket is None:
        raise Http404
    return ticket


def _phone_context(ticket, version):
    def build():
        position = selectors.position_of(ticket)
        queue = selectors.queue_overview(areas=[ticket.area])[0] if position else None
        return {"position": position, "estimated_wait": queue.wait_at(position) if queue else None}

    where = version.cached(build)
    return {"ticket": ticket, **where}


@never_cache
def phone(request, token):
    """The visitor's phone page (public, from the ticket's QR code): where they stand, then their desk."""
    version = _Version("phone", token)  # read before the ticket: its answer is never older than the version
    ticket = _phone_ticket(token)
    if ticket.day != timezone.localdate():
        return render(request, "reception/phone_expired.html", status=410)
    return render(request, "reception/phone.html", _phone_context(ticket, version))


def phone_status(request, token):
    """The phone page's status, refreshed every 5 seconds: 304 while the queue did not move."""
    if not PHONE_KEY.fullmatch(token):
        raise Http404
    services.close_idle_desks_now_and_then()
    version = _Version("phone-status", token)
    if version.matches(request):  # an ETag this ticket's page was given today, queue unchanged
        return version.not_modified()
    ticket = _phone_ticket(token)
    if ticket.day != timezone.localdate():
        return render(request, "reception/phone_expired.html", status=410)
    body = version.cached(
        lambda: render(request, "reception/includes/phone_status.html", _phone_context(ticket, version)).content
    )
    return version.answer(HttpResponse(body))
