"""Pages of the library: the staff and public catalogues, records, files, occupations, CSV.

The OAI-PMH provider is in resources.oai.
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cite.decorators import permission_required
from cite.http import query_without_page
from resources import selectors
from resources.csv_io import export_csv_lines, import_records_csv
from resources.filters import RecordFilter
from resources.forms import CsvImportForm, RecordForm
from resources.models import IscoGroup, Occupation, Record, RecordFile
from resources.services import ResourcesError, create_record, delete_record, update_record

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
FORM_ONLY = ("new_files", "remove_files")
FEW_RESULTS = 3  # below this, the catalogue offers a spelling and close matches


class CountedPaginator(Paginator):
    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


def _catalogue(request, base, *, template, public):
    filterset = RecordFilter(request.GET or None, queryset=base, public=public)
    valid = not filterset.is_bound or filterset.is_valid()
    queryset = filterset.qs if valid else base.none()
    requested_page = request.GET.get("page")
    text = filterset.search_text

    def compute():
        found = selectors.search_catalogue(
            queryset,
            tsquery=filterset.tsquery,
            ordering=filterset.ordering if valid else selectors.RELEVANCE,
            page=requested_page,
            page_size=PAGE_SIZE,
        )
        # Few or no results: a spelling (pg_trgm), and for none the records that come close.
        suggestion, close_ids = None, []
        if text and found.total < FEW_RESULTS:
            suggestion = selectors.did_you_mean(text, public=public)
            if found.total == 0:
                close_ids = selectors.close_matches(base, text, suggestion, limit=PAGE_SIZE)
        return {
            "counts": found.counts,
            "total": found.total,
            "estimated": found.estimated,
            "number": found.number,
            "ids": found.ids,
            "suggestion": suggestion,
            "close_ids": close_ids,
        }

    parts = {
        "public": public,
        "valid": valid,
        "words": filterset.tsquery if valid else "",
        "sort": filterset.current_sort if valid else "",
        "filters": filterset.selected(),
        "occupation": filterset.form.cleaned_data.get("occupation") if valid and filterset.is_bound else None,
        "page": requested_page,
        "text": text.lower(),  # the spelling suggested depends on the words as typed
    }
    results = selectors.catalogue_results(parts, compute)
    counts, ids = results["counts"], results["ids"]
    paginator = CountedPaginator(base.none(), PAGE_SIZE, count=results["total"])
    page = paginator.get_page(results["number"])
    found = selectors.for_listing(base.filter(pk__in=ids)).in_bulk(ids) if ids else {}
    page.object_list = [found[pk] for pk in ids if pk in found]
    records = selectors.with_highlights(page.object_list, filterset.tsquery)
    facets = selectors.build_facets(counts, filterset.selected(), public=public, estimated=results["estimated"])
    suggestion, close_ids = results["suggestion"], results["close_ids"]
    close = selectors.for_listing(base.filter(pk__in=close_ids)).in_bulk(close_ids) if close_ids else {}
    close_matches = [close[pk] for pk in close_ids if pk in close]
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "records": records,
            "facets": facets,
            "search_text": text,
            # A broad search's total and facet counts were measured on a sample: shown rounded, "about".
            "estimated": results["estimated"],
            "about_total": selectors.about(results["total"]) if results["estimated"] else None,
            "suggestion": suggestion,
            "close_matches": close_matches,
            "query_string": query_without_page(request),
            "public": public,
        },
    )


@permission_required("resources.view_record")
def catalogue(request):
    return _catalogue(request, Record.objects.all(), template="resources/catalogue.html", public=False)


def public_catalogue(request):
    """The self-service corner's catalogue: public records only, no login."""
    return _catalogue(request, Record.objects.public(), template="resources/public_catalogue.html", public=True)


@permission_required("resources.view_record")
def record_detail(request, uuid):
    record = get_object_or_404(selectors.for_detail(Record.objects.all()), uuid=uuid)
    return render(request, "resources/record_detail.html", {"record": record})


def public_record(request, uuid):
    record = get_object_or_404(selectors.for_detail(Record.objects.public()), uuid=uuid)
    return render(request, "resources/public_record.html", {"record": record})


def _record_form(request, record=None):
    form = RecordForm(request.POST or None, request.FILES or None, instance=record)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name not in FORM_ONLY}
        files = form.cleaned_data.get("new_files") or []
        removed = form.cleaned_data.get("remove_files") or []
        try:
            if record is None:
                record = create_record(data=data, created_by=request.user, files=files)
                messages.success(request, _("The record “%(title)s” was added.") % {"title": record.title})
            else:
                record = update_record(record=record, data=data, files=files, remove_files=removed)
                messages.success(request, _("The record “%(title)s” was saved.") % {"title": record.title})
        except ValidationError as error:
            form.add_error(None, error)
        except ResourcesError as error:
            form.add_error(None, error.message)
        else:
            return redirect(record)
    return render(request, "resources/record_form.html", {"form": form, "record": record})


@permission_required("resources.add_record")
def record_create(request):
    return _record_form(request)


@permission_required("resources.change_record")
def record_edit(request, uuid):
    record = get_object_or_404(Record.objects.prefetch_related("files"), uuid=uuid)
    if record.is_harvested:
        messages.error(request, _("This record was harvested from a sister centre: it can only be changed there."))
        return redirect(record)
    return _record_form(request, record)


@permission_required("resources.delete_record")
def record_delete(request, uuid):
    record = get_object_or_404(Record.objects.all(), uuid=uuid)
    if request.method == "POST":
        try:
            delete_record(record=record)
        except ResourcesError as error:
            messages.error(request, error.message)
            return redirect(record)
        messages.success(request, _("The record “%(title)s” was deleted.") % {"title": record.title})
        return redirect("resources:catalogue")
    return render(request, "resources/record_delete.html", {"record": record})


def _may_read(request, record):
    """Files of public records are for everyone; the others only for staff who may see records."""
    if record.deleted_at is not None:
        raise Http404
    if record.is_public:
        return
    if not request.user.is_authenticated:
        raise Http404  # never tell a visitor that an internal record exists
    if not request.user.has_perm("resources.view_record"):
        raise PermissionDenied


INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "video/mp4", "audio/mpeg"}


def _file_missing(request, record, name):
    """The record's file is gone from the disk (a restore without the files, a hand-made deletion):
    say so and lead back to the record, rather than fail; the logs tell IT which file to restore."""
    logger.error("File %s of record %s is missing from the private storage", name, record.uuid)
    staff = request.user.is_authenticated and request.user.has_perm("resources.view_record")
    back = record.get_absolute_url() if staff else record.get_public_url()
    return render(request, "resources/file_missing.html", {"record": record, "back": back}, status=404)


def record_file(request, uuid):
    attached = get_object_or_404(RecordFile.objects.select_related("record"), uuid=uuid)
    _may_read(request, attached.record)
    try:
        handle = attached.file.open("rb")
    except FileNotFoundError:
        return _file_missing(request, attached.record, attached.file.name)
    response = FileResponse(
        handle,
        content_type=attached.content_type,
        as_attachment=attached.content_type not in INLINE_TYPES,
        filename=attached.name,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"
    return response


def record_thumbnail(request, uuid):
    record = get_object_or_404(Record.all_objects, uuid=uuid)
    _may_read(request, record)
    if not record.thumbnail:
        raise Http404
    try:
        handle = record.thumbnail.open("rb")
    except FileNotFoundError:
        logger.error("Thumbnail %s of record %s is missing from the private storage", record.thumbnail.name, uuid)
        raise Http404 from None  # an image: the page shows its text alternative
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600" if not record.is_public else "public, max-age=3600"
    return response


@permission_required("resources.export_record")
def record_export(request):
    filterset = RecordFilter(request.GET or None, queryset=Record.objects.all())
    queryset = filterset.qs if not filterset.is_bound or filterset.is_valid() else Record.objects.none()
    response = StreamingHttpResponse(export_csv_lines(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="records-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@permission_required("resources.import_record")
def record_import(request):
    form = CsvImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_records_csv(upload=form.cleaned_data["file"], created_by=request.user)
        if not result.errors:
            messages.success(
                request,
                _("Import done: %(created)d record(s) added, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("resources:catalogue")
    return render(request, "resources/record_import.html", {"form": form, "result": result})


# Occupations ---------------------------------------------------------------------------------


@permission_required("resources.view_occupation")
def occupations(request):
    """Find an occupation by any label, or browse ISCO-08's major groups."""
    # PostgreSQL refuses NUL bytes in text: a query carrying one would fail, not just find nothing.
    text = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    matches = selectors.search_occupations(text, limit=30) if text else []
    groups = list(selectors.group_children(None))
    counts = selectors.record_counts_by_group([group.code for group in groups])
    for group in groups:
        group.record_count = counts.get(group.code, 0)
    return render(
        request,
        "resources/occupations.html",
        {"search_text": text, "matches": matches, "groups": groups, "min_length": selectors.MIN_QUERY_LENGTH},
    )


@permission_required("resources.view_occupation")
def occupation_group(request, code):
    group = get_object_or_404(IscoGroup, code=code)
    ancestors = list(IscoGroup.objects.filter(code__in=[code[:n] for n in range(1, len(code))]).order_by("code"))
    children = list(selectors.group_children(group))
    occupation_list = list(group.occupations.all()) if group.level == IscoGroup.Level.UNIT else []
    occupation_list.sort(key=lambda occupation: occupation.label.lower())
    counts = selectors.record_counts_by_group([group.code, *(child.code for child in children)])
    for child in children:
        child.record_count = counts.get(child.code, 0)
    return render(
        request,
        "resources/occupation_group.html",
        {
            "group": group,
            "ancestors": ancestors,
            "children": children,
            "occupations": occupation_list,
            "record_count": counts.get(group.code, 0),
        },
    )


@permission_required("resources.view_occupation")
def occupation_detail(request, pk):
    occupation = get_object_or_404(Occupation.objects.select_related("group"), pk=pk)
    code = occupation.group.code
    ancestors = list(IscoGroup.objects.filter(code__in=[code[:n] for n in range(1, len(code) + 1)]).order_by("code"))
    record_count = Record.objects.filter(occupations=occupation).count()
    return render(
        request,
        "resources/occupation_detail.html",
        {"occupation": occupation, "ancestors": ancestors, "record_count": record_count},
    )


@permission_required("resources.view_occupation")
def occupation_lookup(request):
    """The type-ahead behind the occupation combobox: JSON, best first."""
    # PostgreSQL refuses NUL bytes in text: a query carrying one would fail, not just find nothing.
    text = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    kind = request.GET.get("kind", "")
    matches = selectors.search_occupations(
        text,
        language=get_language(),
        limit=10,
        groups=kind in ("", "group"),
        occupations=kind in ("", "occupation"),
    )
    return JsonResponse(
        {
            "results": [
                {
                    "value": match.value,
                    "id": match.concept.pk,
                    "kind": "group" if match.is_group else "occupation",
                    "label": match.label,
                    "code": match.code,
                    "uri": match.concept.uri,
                    "matched": match.matched_label if match.shows_other_label else "",
                }
                for match in matches
            ]
        }
    )
