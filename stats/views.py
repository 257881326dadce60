"""Pages of the statistics: the dashboard and its exports, the annual report, the network comparison,
and reception's panel of the day."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cite import dates
from cite.decorators import permission_required
from cite.models import Area
from partners.models import Institution
from reception.models import Ticket
from stats import charts, exports, figures, network, report, services
from stats.forms import NetworkUploadForm, PeriodForm, ReportCommentForm, ReportForm, querystring
from stats.models import ReportComment
from stats.periods import Kind, Period
from stats.tables import Stat, threshold

SESSION_KEY = "stats_network_figures"


def _groups(tables):
    """[(group title, [(table, chart)])] in the order the sections came."""
    groups = {}
    for table in tables:
        groups.setdefault(table.group, []).append((table, charts.chart_for(table)))
    return list(groups.items())


def _shown(tables, compared):
    """The tables as a page shows them: without comparison columns when the previous period had nothing."""
    return tables if compared else [report.without_previous(table) for table in tables]


def _period_links(period, scope):
    """The dashboard of the previous and next periods, while they hold dates a page may be asked for."""
    previous, following = period.previous(), period.next()
    return {
        "previous_url": dates.within(previous.start) and f"{reverse('stats:dashboard')}?{querystring(previous, scope)}",
        "next_url": dates.within(following.end) and f"{reverse('stats:dashboard')}?{querystring(following, scope)}",
    }


def _scope_labels(scope):
    """The filters in words, for headings and files: [area name, institution name]."""
    labels = []
    if scope.area is not None:
        labels.append(str(Area.objects.get(pk=scope.area).name))
    if scope.institution is not None:
        labels.append(Institution.objects.get(pk=scope.institution).name)
    return labels


def _csv_dialect(request):
    """The CSV dialect a link asks for (`?csv=fr` or `en`), else the one of the interface's language."""
    asked = request.GET.get("csv", "")
    return asked if asked in exports.DIALECTS else exports.dialect_for(get_language())


@permission_required("cite.view_statistics")
@dates.reads_dates("date", "start", "end")
def dashboard(request):
    form = PeriodForm(request.GET or None)
    period, scope = form.chosen_period(), form.chosen_scope()
    if not form.is_bound or not form.is_valid():
        form = form if form.is_bound else PeriodForm.for_period(period)
    tables = figures.dashboard(period, scope=scope)
    key_figures, *others = tables
    compared = report.has_previous(key_figures)
    shown = {table.key: table for table in _shown(others, compared)}
    summary = [(shown[key], charts.chart_for(shown[key])) for key in report.SUMMARY if key in shown]
    return render(
        request,
        "stats/dashboard.html",
        {
            "form": form,
            "period": period,
            "scope": scope,
            "scope_labels": _scope_labels(scope),
            "previous": period.compared_with(timezone.localdate()),
            "compared": compared,
            "key_figures": key_figures,
            "summary": summary,
            "groups": _groups([table for table in shown.values() if table.key not in report.SUMMARY]),
            "planned": figures.planned_sections(tables),
            "query": querystring(period, scope),
            "period_query": period.querystring(),
            "report_query": _report_query(None, scope),
            "csv_dialect": _csv_dialect(request),
            "threshold": threshold(),
            **_period_links(period, scope),
        },
    )


def _period_or_redirect(request):
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return None, None, redirect(f"{reverse('stats:dashboard')}?{request.GET.urlencode()}")
    return form.chosen_period(), form.chosen_scope(), None


@permission_required("cite.view_statistics")
@dates.reads_dates("date", "start", "end")
def export_csv(request, key):
    period, scope, refusal = _period_or_redirect(request)
    if refusal:
        return refusal
    table = next((t for t in figures.dashboard(period, scope=scope) if t.key == key), None)
    if table is None:
        raise Http404(_("There is no such table."))
    response = HttpResponse(
        "\ufeff" + exports.to_csv(table, dialect=_csv_dialect(request)), content_type="text/csv; charset=utf-8"
    )
    name = exports.filename(period, key, "csv", scope=_scope_labels(scope))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("cite.view_statistics")
@dates.reads_dates("date", "start", "end")
def export_xlsx(request, key):
    period, scope, refusal = _period_or_redirect(request)
    if refusal:
        return refusal
    tables = figures.dashboard(period, scope=scope)
    if key != "all":
        tables = [t for t in tables if t.key == key]
        if not tables:
            raise Http404(_("There is no such table."))
    labels = _scope_labels(scope)
    response = HttpResponse(
        exports.to_xlsx(tables, period, scope=labels),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = exports.filename(period, "statistics" if key == "all" else key, "xlsx", scope=labels)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _first_year():
    first = Ticket.objects.aggregate(first=Min("day"))["first"]
    return first.year if first else None


@permission_required("cite.view_statistics")
@require_http_methods(["GET", "POST"])
def annual_report(request):
    """The annual activity report: a few A4 pages to print (or save as PDF) from the browser, with the
    manager's commentary on each section, kept with the year (and the filters)."""
    form = ReportForm(request.GET or None, first_year=_first_year())
    year, scope = form.chosen_year(), form.chosen_scope()
    comments = {
        c.section: c for c in ReportComment.objects.filter(year=year, area=scope.area, institution=scope.institution)
    }
    query = querystring(Period.of(Kind.YEAR, datetime.date(year, 1, 1)), scope)
    editing = request.GET.get("edit") or request.POST.get("section")
    comment_form = None
    if request.method == "POST":
        comment_form = ReportCommentForm(request.POST)
        if comment_form.is_valid():
            try:
                services.save_report_comment(
                    year=year,
                    scope=scope,
                    section=comment_form.cleaned_data["section"],
                    text=comment_form.cleaned_data["text"],
                    by=request.user,
                )
            except services.ReportError as error:
                for message in error.messages:
                    comment_form.add_error("text", message)
            else:
                messages.success(request, _("The commentary is saved."))
                section = comment_form.cleaned_data["section"]
                return redirect(f"{reverse('stats:report')}?{_report_query(year, scope)}#section-{section}")
    period = Period.of(Kind.YEAR, datetime.date(year, 1, 1))
    tables = figures.dashboard(period, scope=scope)
    compared = report.has_previous(tables[0])
    shown = {table.key: table for table in _shown(tables, compared)}
    sections = []
    for key, title, items in report.REPORT:
        if editing == key and comment_form is None:
            comment_form = ReportCommentForm(initial={"section": key, "text": getattr(comments.get(key), "text", "")})
        sections.append(
            {
                "key": key,
                "title": title,
                "comment": comments.get(key),
                "form": comment_form if editing == key else None,
                "items": [
                    (shown[table], charts.chart_for(shown[table]) if drawn else None)
                    for table, drawn in items
                    if table in shown
                ],
            }
        )
    return render(
        request,
        "stats/report.html",
        {
            "form": form,
            "year": year,
            "period": period,
            "scope": scope,
            "scope_labels": _scope_labels(scope),
            "compared": compared,
            "previous": period.compared_with(timezone.localdate()),
            "sections": sections,
            "planned": figures.planned_sections(tables),
            "query": query,
            "report_query": _report_query(year, scope),
            "definitions": figures.definitions(),
            "logo": settings.CENTRE_LOGO,
        },
    )


def _report_query(year, scope):
    params = {"year": year, "area": scope.area, "institution": scope.institution}  # a year of None: the default
    return urlencode({key: value for key, value in params.items() if value is not None})


@permission_required("cite.view_statistics")
@dates.reads_dates("date", "start", "end")
def network_export(request):
    period, _scope, refusal = _period_or_redirect(request)  # the network's file is the whole centre's
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
            "tables": [network.with_bars(table) for table in tables],
            "ours_loaded": any(_is_ours(document) for document in documents),
            "periods_differ": any(_period_of(document) != _period_of(ours) for document in documents),
            "query": period.querystring(),
            "max_centres": _max_centres(),
        },
    )


def _described(document):
    """A loaded file as the page lists it: centre, period in words, visits, whether it is this centre's."""
    return {
        "centre": document["centre"],
        "ours": _is_ours(document),
        "period": _period_of(document).label,
        "visits": Stat(document["totals"]["visits"], whole=True).text,
    }


def _is_ours(document):
    return document["centre"] == {"name": settings.CENTRE_NAME, "country": settings.CENTRE_COUNTRY}


def _max_centres():
    return settings.STATS_NETWORK_MAX_CENTRES


def _load(request, files, documents):
    """Read each file and add the valid ones; say what was wrong with the others."""
    added = 0
    for upload in files:
        try:
            documents = network.add(documents, network.parse(upload.read(), upload.name), limit=_max_centres())
        except network.InvalidFile as error:
            for message in error.messages:
                messages.error(request, message)
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
