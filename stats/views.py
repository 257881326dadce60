"""Pages of the statistics: the dashboard and its exports, the annual report, the network comparison,
and reception's panel of the day."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from cite import dates
from cite.decorators import permission_required
from reception.models import Ticket
from stats import charts, exports, figures, network
from stats.forms import NetworkUploadForm, PeriodForm, ReportForm
from stats.periods import Kind, Period
from stats.tables import Stat, threshold

SESSION_KEY = "stats_network_figures"


def _groups(tables):
    """[(group title, [(table, chart)])] in the order the sections came."""
    groups = {}
    for table in tables:
        groups.setdefault(table.group, []).append((table, charts.chart_for(table)))
    return list(groups.items())


def _period_links(period):
    """The dashboard of the previous and next periods, while they hold dates a page may be asked for."""
    previous, following = period.previous(), period.next()
    return {
        "previous_url": dates.within(previous.start) and f"{reverse('stats:dashboard')}?{previous.querystring()}",
        "next_url": dates.within(following.end) and f"{reverse('stats:dashboard')}?{following.querystring()}",
    }


@permission_required("cite.view_statistics")
@dates.reads_dates("date", "start", "end")
def dashboard(request):
    form = PeriodForm(request.GET or None)
    period = form.chosen_period()
    if not form.is_bound or not form.is_valid():
        form = form if form.is_bound else PeriodForm.for_period(period)
    tables = figures.dashboard(period)
    key_figures, *others = tables
    return render(
        request,
        "stats/dashboard.html",
        {
            "form": form,
            "period": period,
            "previous": period.compared_with(timezone.localdate()),
            "key_figures": key_figures,
            "groups": _groups(others),
            "planned": figures.planned_sections(tables),
            "query": period.querystring(),
            "threshold": threshold(),
            **_period_links(period),
        },
    )


def _period_or_redirect(request):
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return None, redirect(f"{reverse('stats:dashboard')}?{request.GET.urlencode()}")
    return form.chosen_period(), None


@permission_required("cite.view_statistics")
@dates.reads_dates("date", "start", "end")
def export_csv(request, key):
    period, refusal = _period_or_redirect(request)
    if refusal:
        return refusal
    table = next((t for t in figures.dashboard(period) if t.key == key), None)
    if table is None:
        raise Http404(_("There is no such table."))
    response = HttpResponse("\ufeff" + exports.to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(period, key, "csv")}"'
    return response


@permission_required("cite.view_statistics")
@dates.reads_dates("date", "start", "end")
def export_xlsx(request, key):
    period, refusal = _period_or_redirect(request)
    if refusal:
        return refusal
    tables = figures.dashboard(period)
    if key != "all":
        tables = [t for t in tables if t.key == key]
        if not tables:
            raise Http404(_("There is no such table."))
    response = HttpResponse(
        exports.to_xlsx(tables, period),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = "statistics" if key == "all" else key
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(period, name, "xlsx")}"'
    return response


def _first_year():
    first = Ticket.objects.aggregate(first=Min("day"))["first"]
    return first.year if first else None


@permission_required("cite.view_statistics")
def report(request):
    """The annual activity report: an A4 document to print (or save as PDF) from the browser."""
    form = ReportForm(request.GET or None, first_year=_first_year())
    year = form.chosen_year()
    period = Period.of(Kind.YEAR, datetime.date(year, 1, 1))
    tables = figures.dashboard(period)
    key_figures, *others = tables
    return render(
        request,
        "stats/report.html",
        {
            "form": form,
            "year": year,
            "period": period,
            "previous": period.compared_with(timezone.localdate()),
            "key_figures": key_figures,
            "groups": _groups(others),
            "planned": figures.planned_sections(tables),
            "query": period.querystring(),
            "definitions": figures.definitions(),
        },
    )


@permission_required("cite.view_statistics")
@dates.reads_dates("date", "start", "end")
def network_export(request):
    period, refusal = _period_or_redirect(request)
    if refusal:
        return refusal
    response = HttpResponse(network.dumps(network.export(period)), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{network.filename(period)}"'
    return response


def _period_of(document):
    """The period a file covers: a day, week, month or year when its dates are one, any days otherwise."""
    kind = document["period"]["kind"]
    start, end = (dates.parse_date(document["period"][key]) for key in ("start", "end"))
    if kind != Kind.CUSTOM and Period.of(kind, start) == Period(kind, start, end):
        return Period(kind, start, end)
    return Period.between(start, end)


@permission_required("cite.view_statistics")
@require_http_methods(["GET", "POST"])
@dates.reads_dates("date", "start", "end")
def network_comparison(request):
    """Other centres' figures (files they exported) beside this centre's, as shares of each total."""
    documents = request.session.get(SESSION_KEY, [])
    upload = NetworkUploadForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "clear":
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("The other centres' figures are no longer shown."))
            return redirect("stats:network")
        if action == "remove":
            index = request.POST.get("index", "")
            if index.isascii() and index.isdigit() and int(index) < len(documents):
                removed = documents.pop(int(index))
                request.session[SESSION_KEY] = documents
                messages.success(request, _("%(centre)s is no longer shown.") % {"centre": removed["centre"]["name"]})
            return redirect("stats:network")
        upload = NetworkUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            documents, added = _load(request, upload.cleaned_data["files"], documents)
            request.session[SESSION_KEY] = documents
            if added:
                messages.success(
                    request,
                    ngettext("%(count)s file loaded.", "%(count)s files loaded.", added) % {"count": added},
                )
            return redirect("stats:network")

    form = PeriodForm(request.GET or None)
    # This centre's figures match the period of the first file loaded, until the manager picks another.
    period = _period_of(documents[0]) if documents and not form.is_bound else form.chosen_period()
    if not form.is_bound:
        form = PeriodForm.for_period(period)
    ours = network.export(period)
    tables = network.comparison(ours, documents, figures.code_labels(), figures.code_headers()) if documents else []
    return render(
        request,
        "stats/network.html",
        {
            "form": form,
            "upload": upload,
            "period": period,
            "documents": [_described(document) for document in documents],
            "tables": [(table, charts.chart_for(table)) for table in tables],
            "periods_differ": any(_period_of(document) != _period_of(ours) for document in documents),
            "query": period.querystring(),
            "max_centres": _max_centres(),
        },
    )


def _described(document):
    """A loaded file as the page lists it: centre, period in words, visits."""
    return {
        "centre": document["centre"],
        "period": _period_of(document).label,
        "visits": Stat(document["totals"]["visits"], whole=True).text,
    }


def _max_centres():
    return settings.STATS_NETWORK_MAX_CENTRES


def _load(request, files, documents):
    """Read each file and add the valid ones; say what was wrong with the others."""
    added = 0
    for upload in files:
        try:
            documents = network.add(documents, network.parse(upload.read(), upload.name), limit=_max_centres())
        except network.InvalidFile as error:
            messages.error(request, error.message)
        except network.TooManyCentres:
            messages.error(
                request,
                _("%(name)s was not loaded: at most %(count)s centres are compared at once.")
                % {"name": upload.name, "count": _max_centres()},
            )
        else:
            added += 1
    return documents, added


@permission_required("reception.view_queue")
def today(request):
    """Arrivals so far, who is waiting and for how long, who is on duty: refreshed every 30 seconds."""
    panel = figures.today_panel()
    template = "stats/includes/today_panel.html" if request.htmx else "stats/today.html"
    return render(request, template, {"panel": panel})
