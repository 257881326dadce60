"""Pages of reception: the front desk, today's list (with reception's moves on any ticket: cancel, put
back in the queue), the printed ticket, and the two public pages, the waiting-room display and the
visitor's phone page. Counsellors call and serve at their desk, a page of counselling."""

import hashlib
import re

import segno
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseNotModified, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from cite.decorators import permission_required
from cite.http import safe_next
from reception import selectors, services
from reception.filters import TodayFilter
from reception.forms import CancelTicketForm, FeedbackForm, IssueTicketForm, TransferTicketForm, kept_rendered
from reception.models import Feedback, Ticket
from reception.versions import POLLERS_READ_AGAIN_AFTER, queue_version

PHONE_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
PROFILE_FIELDS = "reception/includes/profile_fields.html"


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
    """Issue a ticket in one click when no question is asked; the live queue beside it.

    The area buttons come first and never move: the ticket just issued (with its reprint button), a
    question or an error appear below them. With JavaScript the form is posted by htmx and only the
    issue panel is replaced; without it, the page reloads (post, redirect, get)."""
    confirm = profile_fields = None
    services.close_idle_desks_now_and_then()
    if request.method == "POST" and "frequent_profile" in request.POST and "area" not in request.POST:
        # A frequent profile's button without JavaScript: the same page, its six answers filled in.
        form = IssueTicketForm.with_answers(request.POST, request.POST["frequent_profile"])
    elif request.method == "POST":
        form = IssueTicketForm(request.POST)
        if form.is_valid() and _ask_first(request, form.cleaned_data["area"]):
            # Nobody is on duty nor expected in this area today: say so before the ticket exists, keeping the answers.
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
                form.add_error(None, error.message)
            else:
                return redirect(f"{reverse('reception:front-desk')}?issued={ticket.pk}")
    else:
        form = IssueTicketForm()
        profile_fields = kept_rendered(
            "front-desk",
            lambda: render_to_string(PROFILE_FIELDS, {"form": IssueTicketForm(), "shortcuts": True}),
        )
    # Built for the page only: a ticket issued goes straight to the redirect above, and every issue
    # moves the queue's version, so the live queue would be built again for nothing.
    overview = _live_overview()
    issued = _issued_today(request.GET.get("issued"))
    if issued:
        issued.outlook = selectors.outlook_of(issued, overview=overview)
    return render(
        request,
        "reception/front_desk.html",
        {
            "form": form,
            "issued": issued,
            "overview": overview,
            "confirm": confirm,
            "planning": any(queue.plan for queue in overview),
            "frequent_profiles": _frequent_profiles(),
            "profile_fields": profile_fields,  # the blank form's questions, kept rendered
        },
    )


def _frequent_profiles():
    """The front desk's frequent profiles, kept an hour in each process's memory: a month's profiles
    hardly change within one, and grouping a month of visits at every load would cost more than the page."""
    key = f"frequent-profiles:{timezone.localtime():%Y-%m-%d-%H}"
    return caches["queue"].get_or_set(key, selectors.frequent_profiles, timeout=3600)


def _overview_version():
    """The live queue changes with a move and with the clock (waits in minutes, who is there now,
    closing time): one answer per queue version and minute."""
    return _by_the_minute("overview")


def _live_overview(version=None):
    """The live queue with today's plans, as the front desk shows them: built once per version, then kept."""
    version = version or _overview_version()
    return version.cached(lambda: selectors.attach_plans(selectors.queue_overview()))


def _ask_first(request, area):
    """Whether to ask reception to confirm a ticket for an area where nobody is on duty and the planning
    expects nobody for the rest of the day."""
    if request.POST.get("confirm_area") == str(area.pk):
        return False
    return selectors.nobody_coming(area)


@permission_required("reception.view_queue")
def queue_overview(request):
    """The live queue alone, refreshed in place every 10 seconds by the front desk: while the queue and
    the minute stay the same, the browser's copy is still right (304, by the ETag it sends back)."""
    version = _overview_version()
    if version.matches(request):
        return version.not_modified()
    response = render(request, "reception/includes/queue_overview.html", {"overview": _live_overview(version)})
    return version.answer(response)


def _undo_offer(request):
    """The ticket this person has just cancelled, offered for an undo on the next page only."""
    pk = request.session.pop("undo_cancel", None)
    if not pk:
        return None
    return Ticket.objects.filter(pk=pk, status=Ticket.Status.CANCELLED).first()


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
        {
            "filter": filters,
            "tickets": filters.qs if filters.is_bound else tickets,
            "now": timezone.now(),
            "undo": _undo_offer(request),
        },
    )


@permission_required("reception.view_ticket")
def ticket_detail(request, pk):
    """One ticket: its events with times and desks, and reception's moves on it (reprint, put back in
    the queue, transfer, cancel with a reason), each offered only to whom may make it."""
    ticket = get_object_or_404(
        Ticket.objects.select_related("area", "issued_area", "desk", "return_code", "issued_by"), pk=pk
    )
    events = ticket.events.select_related("desk", "by", "from_area", "to_area").order_by("at", "id")
    return render(
        request,
        "reception/ticket_detail.html",
        {
            "ticket": ticket,
            "events": events,
            "today": ticket.day == timezone.localdate(),
            "cancel_form": CancelTicketForm(),
            "transfer_form": TransferTicketForm(ticket=ticket),
            "undo": _undo_offer(request),
        },
    )


def _back(request):
    return HttpResponseRedirect(safe_next(request, reverse("reception:today")))


def _move_from_today(request, pk, move, done, **arguments):
    """A reception move on one ticket (today's list, its own page): a message either way, then back."""
    ticket = get_object_or_404(Ticket, pk=pk)
    try:
        move(ticket=ticket, by=request.user, **arguments)
    except services.QueueError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"code": ticket.code, **{k: str(v) for k, v in arguments.items()}})
    return _back(request)


@permission_required("reception.change_ticket")
@require_POST
def cancel_ticket(request, pk):
    """Cancel with a reason (the form is on the ticket's page); an undo is offered on the next page."""
    ticket = get_object_or_404(Ticket.objects.select_related("area"), pk=pk)
    form = CancelTicketForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return redirect(f"{reverse('reception:ticket', args=[ticket.pk])}#cancel")
    try:
        services.cancel(ticket=ticket, by=request.user, reason=form.cleaned_data["reason"])
    except services.QueueError as error:
        messages.error(request, error.message)
    else:
        request.session["undo_cancel"] = ticket.pk
    return _back(request)


@permission_required("reception.change_ticket")
@require_POST
def undo_cancel(request, pk):
    return _move_from_today(request, pk, services.undo_cancel, _("%(code)s is waiting again, in its place."))


@permission_required("reception.supervise_queue")
@require_POST
def requeue_ticket(request, pk):
    """A ticket called to a desk whose counsellor is gone goes back to its queue (recorded with who did it)."""
    return _move_from_today(request, pk, services.requeue, _("%(code)s is back in its queue, in its place."))


@permission_required("reception.supervise_queue")
@require_POST
def transfer_ticket(request, pk):
    """A waiting ticket sent to another area's queue, keeping its arrival time."""
    ticket = get_object_or_404(Ticket, pk=pk)
    form = TransferTicketForm(request.POST, ticket=ticket)
    if not form.is_valid():
        messages.error(request, form.errors["area"][0])
        return _back(request)
    area = form.cleaned_data["area"]
    return _move_from_today(
        request, pk, services.transfer, _("%(code)s now waits for %(area)s, in its place."), area=area
    )


@permission_required("reception.issue_ticket")
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})  # printed from a hidden frame of cite's own pages
def print_ticket(request, pk):
    """The ticket for an 80 mm receipt printer, with the QR code of the visitor's phone page. The front
    desk and today's list load it in a hidden frame that prints it (static/js/print.js): no new tab."""
    ticket = get_object_or_404(Ticket.objects.select_related("area", "return_code"), pk=pk, day=timezone.localdate())
    phone_url = request.build_absolute_uri(ticket.get_absolute_url())
    return render(
        request,
        "reception/print_ticket.html",
        {
            "ticket": ticket,
            "phone_url": phone_url,
            "qr": segno.make(phone_url, error="m").svg_data_uri(scale=4, border=2),
            "outlook": selectors.outlook_of(ticket),
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
    """The queue's version of today, and the ETag and cache key of one answer under it.

    `polled`: the display and the phone page, which ask every few seconds, may take the version this
    process read a moment ago (reception.versions.POLLERS_READ_AGAIN_AFTER) — unless the browser
    already holds an answer of a later version (from another process, fresher): then it is read again,
    so that an answer never goes back in time. The version leads the ETag for that comparison."""

    def __init__(self, *parts, polled=False, request=None):
        self.day = timezone.localdate()
        max_age = POLLERS_READ_AGAIN_AFTER if polled else 0
        self.number = queue_version(self.day, max_age=max_age)
        if max_age and request is not None and _etag_version(request) > self.number:
            self.number = queue_version(self.day)
        self.key = ":".join(map(str, ("queue", self.day.isoformat(), self.number, get_language(), *parts)))
        self.etag = f'"{self.number}-{hashlib.blake2s(self.key.encode(), digest_size=12).hexdigest()}"'

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


def _by_the_minute(*parts, **options):
    """The version of an answer that changes with the clock as well as with a move: one answer per
    queue version and minute (the live queue's waits in minutes, the phone page's "may not be seen
    today" once the wait runs past closing time)."""
    return _Version(*parts, timezone.localtime().strftime("%H%M"), **options)


def _etag_version(request):
    """The queue version leading the ETag the browser sent back (0 when none or not ours)."""
    number, _dash, _rest = request.headers.get("If-None-Match", "").strip('W/" ').partition("-")
    return int(number) if number.isdigit() and len(number) < 10 else 0


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
    """The waiting-room screen (public): last calls, the newest flashing, and who waits per area; beside
    them the clock, today's hours and the next public workshops."""
    _check_display_key(request)
    return render(
        request,
        "reception/display.html",
        {"state": _display_state(), "board": selectors.display_board(), "time_zone": settings.TIME_ZONE},
    )


@never_cache
def display_board(request):
    """The clock, today's hours and the next workshops alone, which static/js/display.js fetches again
    every few minutes and after midnight. Never in the poll of every second, which stays one query
    while the queue stands still: the script keeps the clock and "closes in 12 min" current by itself."""
    _check_display_key(request)
    return render(
        request,
        "reception/includes/display_board.html",
        {"board": selectors.display_board(), "time_zone": settings.TIME_ZONE},
    )


def display_state(request):
    """What the display shows, as JSON, polled every second by static/js/display.js (which sends the
    ETag back): 304 while nothing moved."""
    _check_display_key(request)
    services.close_idle_desks_now_and_then()  # may move the queue: before reading its version
    version = _Version("display", polled=True, request=request)
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


def _phone_context(ticket, version, feedback_form=None):
    def build():
        outlook = selectors.outlook_of(ticket)  # it counts the ticket's place once, for both
        return {"position": outlook.position, "outlook": outlook}

    where = version.cached(build)
    return {
        "ticket": ticket,
        "refresh_seconds": settings.RECEPTION_PHONE_REFRESH_SECONDS,
        **where,
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
    version = _by_the_minute("phone", token)  # read before the ticket: its answer is never older than the version
    ticket = _phone_ticket(token)
    if ticket.day != timezone.localdate():
        return render(request, "reception/phone_expired.html", status=410)
    return render(request, "reception/phone.html", _phone_context(ticket, version))


def phone_status(request, token):
    """The phone page's status, refreshed every 5 seconds: 304 while the queue did not move."""
    if not PHONE_KEY.fullmatch(token):
        raise Http404
    services.close_idle_desks_now_and_then()
    version = _by_the_minute("phone-status", token, polled=True, request=request)
    if version.matches(request):  # an ETag this ticket's page was given today, queue unchanged
        return version.not_modified()
    ticket = _phone_ticket(token)
    if ticket.day != timezone.localdate():
        return render(request, "reception/phone_expired.html", status=410)
    body = version.cached(
        lambda: render(request, "reception/includes/phone_status.html", _phone_context(ticket, version)).content
    )
    return version.answer(HttpResponse(body))


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
    context = _phone_context(ticket, _by_the_minute("phone", token), form)
    return render(request, "reception/phone.html", context, status=400)
