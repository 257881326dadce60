"""The visitors' pages, without a login: the public home, occupations to explore, the workshops
programme. They read the planning, the workshops and the library; none names a member of staff."""

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from cite.http import query_without_page
from cite.models import Area
from counselling import public
from counselling.ical import build_workshop_calendar
from counselling.models import Workshop
from resources import selectors as library
from resources.models import IscoGroup, Occupation

HOME_WORKSHOPS = 4
PROGRAMME_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 100


def _search_text(request):
    # PostgreSQL refuses NUL bytes in text: a query carrying one would fail, not just find nothing.
    return request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]


@require_safe
def home(request):
    """The public home: where and when, what is coming, and a way into the library and the occupations.

    cite's home (`/`) shows it to anyone not logged in (CounsellingConfig.public_home)."""
    return render(
        request,
        "counselling/public/home.html",
        {
            "state": public.opening_state(),
            "week": public.week_hours(),
            "workshops": list(public.public_workshops()[:HOME_WORKSHOPS]),
            "address": settings.CENTRE_ADDRESS,
            "phone": settings.CENTRE_PHONE,
            "map_url": settings.CENTRE_MAP_URL,
        },
    )


@require_safe
def occupations(request):
    """Find an occupation by any of its names (accents and typos forgiven), or browse the major groups."""
    text = _search_text(request)
    matches = library.search_occupations(text, limit=30) if text else []
    return render(
        request,
        "counselling/public/occupations.html",
        {
            "search_text": text,
            "matches": matches,
            "groups": list(library.group_children(None)),
            "min_length": library.MIN_QUERY_LENGTH,
        },
    )


@require_safe
def occupation(request, pk):
    found = get_object_or_404(Occupation.objects.select_related("group"), pk=pk)
    return render(request, "counselling/public/occupation.html", public.occupation_page(found))


@require_safe
def occupation_group(request, code):
    group = get_object_or_404(IscoGroup, code=code)
    return render(request, "counselling/public/occupation_group.html", public.group_page(group))


class ProgrammeFilter(forms.Form):
    """The programme's filters: kind and theme (an area). A wrong value is said, the list stays whole."""

    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Workshop.Kind.choices])
    area = forms.ModelChoiceField(
        label=_("Theme"), required=False, queryset=Area.objects.active(), empty_label=_("All themes")
    )


@require_safe
def workshops(request):
    """The coming public workshops, information sessions, forums and job datings, soonest first."""
    form = ProgrammeFilter(request.GET or None)
    found = public.public_workshops()
    if form.is_valid():
        if kind := form.cleaned_data["kind"]:
            found = found.filter(kind=kind)
        if area := form.cleaned_data["area"]:
            found = found.filter(area=area)
    page = Paginator(found, PROGRAMME_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "counselling/public/workshops.html",
        {"form": form, "page": page, "workshops": page.object_list, "query": query_without_page(request)},
    )


def _public_workshop(uid):
    return get_object_or_404(
        Workshop.objects.in_public_feed().select_related("area").prefetch_related("institutions"), uid=uid
    )


@require_safe
def workshop(request, uid):
    found = _public_workshop(uid)
    occupations_ = sorted(found.occupations.all(), key=lambda item: item.label.lower())
    groups = list(found.occupation_groups.order_by("code"))
    return render(
        request,
        "counselling/public/workshop.html",
        {"workshop": found, "occupations": occupations_, "groups": groups, "is_over": found.ends_at < timezone.now()},
    )


@require_safe
def workshop_ics(request, uid):
    """One workshop as an iCalendar file: "add to my calendar" on a phone or a computer."""
    found = _public_workshop(uid)
    body = build_workshop_calendar(workshops=[found], public=True)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workshop-{found.uid}.ics"'
    return response
