"""Sessions recorded at the desks (a counsellor's own, or everyone's for managers) and my day."""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format, number_format

from cite import dates
from cite.decorators import permission_required
from cite.http import query_without_page
from counselling import selectors
from counselling.forms import (
    SessionFilter,
    SessionForm,
)
from counselling.models import (
    Referral,
    Session,
)
from resources.models import IscoGroup, Occupation

# A page of the sessions list: every session is reachable, page by page, newest first.
SESSIONS_PER_PAGE = 50


def _visible_sessions(user):
    sessions = Session.objects.select_related("area", "counsellor", "institution", "ticket").prefetch_related("topics")
    if user.has_perm("counselling.view_all_sessions"):
        return sessions
    return sessions.filter(counsellor=user)


@permission_required("counselling.view_session")
@dates.reads_dates("after", "before")
def sessions(request):
    """My sessions; for managers, everyone's, with filters."""
    visible = _visible_sessions(request.user).order_by("-started_at", "-pk")
    filters = SessionFilter(request.GET or None, queryset=visible)
    results = filters.qs if filters.is_bound and filters.is_valid() else visible
    page = Paginator(results, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "counselling/sessions.html",
        {
            "filter": filters,
            "page": page,
            "sessions": page.object_list,
            "total": number_format(page.paginator.count, 0, force_grouping=True),  # 4 540, 4,540
            "query_string": query_without_page(request),
            "all": request.user.has_perm("counselling.view_all_sessions"),
        },
    )


def _with_details(sessions):
    return sessions.prefetch_related(
        "occupations",
        "occupation_groups",
        "documents",
        Prefetch("referrals", Referral.objects.select_related("institution", "area")),
    )


@permission_required("counselling.view_session")
def session_detail(request, pk):
    session = get_object_or_404(_with_details(_visible_sessions(request.user)), pk=pk)
    mine = session.counsellor_id == request.user.pk
    return render_session_detail(request, session, form=SessionForm(instance=session) if mine else None)


def render_session_detail(request, session, *, form=None, status=200):
    """A session's page; its counsellor gets the form to correct it (`form`, bound after a refused save).

    A bound form has put the typed values on its instance: the page reads the session as saved."""
    if form is not None and form.is_bound:
        session = _with_details(Session.objects.select_related("area", "counsellor", "institution", "ticket")).get(
            pk=session.pk
        )
    mine = session.counsellor_id == request.user.pk
    return render(
        request,
        "counselling/session_detail.html",
        {
            "session": session,
            "note": session.note if mine or settings.COUNSELLING_SHARE_NOTES else "",
            "form": form if mine else None,
            "session_finished": session.ended_at is not None,
        },
        status=status,
    )


@permission_required("counselling.add_session")
def my_day(request):
    """The counsellor's day: sessions, median session time, topics and occupations (their own only)."""
    today = Session.objects.filter(counsellor=request.user, ticket__day=timezone.localdate())
    return render(
        request,
        "counselling/my_day.html",
        {
            "figures": selectors.todays_figures(request.user),
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
