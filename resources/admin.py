"""The back office's view of the library: records (through the same services and checks as the
pages), the occupation reference (read-only, from ESCO), harvests and the centres to harvest."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cite.admin import HTTPS_BY_DEFAULT, DateHierarchyWithinYears
from resources.harvest import HarvestError, harvest_centre
from resources.models import HarvestRecordError, HarvestRun, IscoGroup, Occupation, Record, RecordFile, SisterCentre
from resources.selectors import search_occupations
from resources.services import (
    HarvestedRecordIsReadOnly,
    attach_file,
    create_record,
    delete_record,
    remove_file,
    update_record,
)


class RecordAdminForm(forms.ModelForm):
    url = forms.URLField(label=_("External address"), max_length=1000, required=False, assume_scheme="https")
    audiences = forms.TypedMultipleChoiceField(
        label=_("Audiences"), choices=Record.Audience.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Record
        fields = [
            "title", "description", "kind", "language", "creator", "publisher", "date", "areas", "audiences",
            "keywords", "coverage", "occupations", "isco_groups", "url", "format", "identifier", "source", "rights",
            "visibility",
        ]  # fmt: skip
        widgets = {"visibility": forms.RadioSelect, "areas": forms.CheckboxSelectMultiple}


class RecordFileInline(admin.TabularInline):
    model = RecordFile
    fields = ["file", "content_type", "size"]
    readonly_fields = ["content_type", "size"]
    extra = 1


@admin.register(Record)
class RecordAdmin(DateHierarchyWithinYears, admin.ModelAdmin):
    form = RecordAdminForm
    inlines = [RecordFileInline]
    list_display = ["title", "kind", "language", "visibility", "source_centre", "datestamp"]
    list_filter = ["kind", "visibility", "language", "areas", "source_centre"]
    search_fields = ["title", "creator", "publisher", "identifier", "uuid"]
    autocomplete_fields = ["occupations", "isco_groups"]
    list_select_related = ["source_centre"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "uuid",
        "thumbnail_preview",
        "source_centre",
        "origin_identifier",
        "origin_datestamp",
        "created_at",
        "created_by",
        "datestamp",
    ]
    fieldsets = [
        (None, {"fields": ["title", "description", "kind", "language", "creator", "publisher", "date"]}),
        (
            _("What it is about"),
            {"fields": ["areas", "audiences", "keywords", "coverage", "occupations", "isco_groups"]},
        ),
        (
            _("Access"),
            {"fields": ["url", "format", "identifier", "source", "rights", "visibility", "thumbnail_preview"]},
        ),
        (
            _("Provenance"),
            {
                "fields": [
                    "uuid",
                    "source_centre",
                    "origin_identifier",
                    "origin_datestamp",
                    "created_at",
                    "created_by",
                    "datestamp",
                ]
            },
        ),
    ]

    @admin.display(description=_("thumbnail"))
    def thumbnail_preview(self, record):
        if not record.pk or not record.thumbnail:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="120">', reverse("resources:record-thumbnail", args=[record.uuid])
        )

    def has_change_permission(self, request, obj=None):
        # Harvested records are read-only here: the centre that catalogued them keeps them.
        if obj is not None and obj.is_harvested:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_harvested:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        saved = update_record(record=obj, data=data) if change else create_record(data=data, created_by=request.user)
        # The admin goes on (inlines, log, redirect) with the object it gave us.
        obj.pk = saved.pk
        obj.uuid = saved.uuid
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields were saved by the service; only the attached files are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        record = form.instance
        # What formset.save() would have noted, for the admin's history of changes.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline in formset.forms:
            if not hasattr(inline, "cleaned_data") or not inline.cleaned_data:
                continue
            instance = inline.instance
            if inline in formset.deleted_forms:
                if instance.pk:
                    remove_file(attached=instance)
                    formset.deleted_objects.append(instance)
            elif not instance.pk and inline.cleaned_data.get("file"):
                formset.new_objects.append(attach_file(record=record, upload=inline.cleaned_data["file"]))

    def delete_model(self, request, obj):
        delete_record(record=obj)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            try:
                delete_record(record=record)
            except HarvestedRecordIsReadOnly as error:
                messages.warning(request, f"{record}: {error.message}")


class ConceptAdmin(admin.ModelAdmin):
    """The reference comes from ESCO (manage.py import_esco): read-only here."""

    formfield_overrides = HTTPS_BY_DEFAULT

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IscoGroup)
class IscoGroupAdmin(ConceptAdmin):
    list_display = ["code", "label", "level"]
    list_filter = ["level"]
    search_fields = ["code"]
    fields = ["code", "level", "parent", "uri", "labels", "alt_labels", "descriptions"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        ids = [match.concept.pk for match in search_occupations(search_term, occupations=False, limit=50)]
        return queryset.filter(pk__in=ids), False


@admin.register(Occupation)
class OccupationAdmin(ConceptAdmin):
    list_display = ["label", "group"]
    list_select_related = ["group"]
    search_fields = ["uri"]
    fields = ["uri", "group", "labels", "alt_labels", "descriptions"]

    def get_search_results(self, request, queryset, search_term):
        # The same accent- and typo-tolerant lookup as the pages, for the records' autocomplete too.
        if not search_term:
            return queryset, False
        ids = [match.concept.pk for match in search_occupations(search_term, groups=False, limit=50)]
        return queryset.filter(pk__in=ids), False


class HarvestRecordErrorInline(admin.TabularInline):
    model = HarvestRecordError
    fields = ["identifier", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HarvestRun)
class HarvestRunAdmin(admin.ModelAdmin):
    list_display = ["centre", "started_at", "status", "created", "updated", "deleted", "failed"]
    list_filter = ["status", "centre"]
    list_select_related = ["centre"]
    inlines = [HarvestRecordErrorInline]
    readonly_fields = [field.name for field in HarvestRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SisterCentre)
class SisterCentreAdmin(admin.ModelAdmin):
    """The centres whose shared records the library harvests; edit the centres themselves in their own page."""

    formfield_overrides = HTTPS_BY_DEFAULT

    # The base URL and set are on each centre's page: the list keeps room for how its harvests went.
    list_display = ["name", "country", "last_harvest", "last_success", "last_error", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "city"]
    fields = ["name", "country", "city", "oai_base_url", "oai_set", "is_active"]
    readonly_fields = fields
    actions = ["harvest_now"]

    def get_queryset(self, request):
        failed = HarvestRun.objects.filter(centre=OuterRef("pk"), status=HarvestRun.Status.FAILED).order_by(
            "-started_at", "-id"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_run=Max("harvest_runs__started_at"),
                last_succeeded=Max("harvest_runs__finished_at", filter=Q(harvest_runs__status="succeeded")),
                last_failed_id=Subquery(failed.values("id")[:1]),
                last_failed_at=Subquery(failed.values("started_at")[:1]),
                last_failed_message=Subquery(failed.values("message")[:1]),
            )
        )

    @admin.display(description=_("last harvest"), ordering="last_run")
    def last_harvest(self, centre):
        return centre.last_run or "—"

    @admin.display(description=_("last success"), ordering="last_succeeded")
    def last_success(self, centre):
        return centre.last_succeeded or "—"

    @admin.display(description=_("last error"), ordering="last_failed_at")
    def last_error(self, centre):
        """The latest failed run, linked to its page (and its per-record errors)."""
        if not centre.last_failed_id:
            return "—"
        url = reverse("admin:resources_harvestrun_change", args=[centre.last_failed_id])
        return format_html(
            '<a href="{}">{}</a> {}',
            url,
            f"{timezone.localtime(centre.last_failed_at):%Y-%m-%d %H:%M}",
            (centre.last_failed_message or "")[:160],
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_harvest_permission(self, request):
        return request.user.has_perm("resources.harvest_centre")

    @admin.action(description=_("Harvest the selected centres now"), permissions=["harvest"])
    def harvest_now(self, request, queryset):
        for centre in queryset:
            try:
                run = harvest_centre(centre=centre)
            except HarvestError as error:
                self.message_user(request, f"{centre}: {error.message}", messages.ERROR)
                continue
            summary = ngettext(
                "%(centre)s: %(created)d record created, %(updated)d updated, %(deleted)d deleted, %(failed)d failed.",
                "%(centre)s: %(created)d records created, %(updated)d updated, %(deleted)d deleted, %(failed)d failed.",
                run.created,
            ) % {
                "centre": centre,
                "created": run.created,
                "updated": run.updated,
                "deleted": run.deleted,
                "failed": run.failed,
            }
            if run.status == HarvestRun.Status.FAILED:
                self.message_user(request, f"{summary} {run.message}", messages.ERROR)
            else:
                self.message_user(request, summary, messages.SUCCESS)
