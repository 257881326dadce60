"""The back office's reference data of counselling (topics, counsellors' areas), a view of sessions,
and the workshops (their attendance is recorded on the workshop's page, which keeps its rules)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from cite.admin import DateHierarchyWithinYears
from counselling import planning, services
from counselling.forms import PermanenceForm
from counselling.models import (
    AttendanceCount,
    Closure,
    CounsellorProfile,
    OpeningHours,
    Permanence,
    PermanenceException,
    Referral,
    Session,
    Topic,
    Workshop,
)
from reception.admin import ProfileItemAdmin

admin.site.register(Topic, ProfileItemAdmin)


@admin.register(CounsellorProfile)
class CounsellorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "usual_desk"]
    filter_horizontal = ["areas"]
    autocomplete_fields = ["user"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]


class ReferralInline(admin.TabularInline):
    model = Referral
    extra = 0


@admin.register(Session)
class SessionAdmin(DateHierarchyWithinYears, admin.ModelAdmin):
    list_display = ["ticket", "started_at", "area", "counsellor", "institution", "outcome"]
    list_filter = ["area", "outcome", "institution"]
    date_hierarchy = "started_at"
    list_select_related = ["ticket", "area", "counsellor", "institution"]
    raw_id_fields = ["ticket", "occupations", "occupation_groups", "documents"]
    filter_horizontal = ["topics"]
    inlines = [ReferralInline]


# --- Planning -------------------------------------------------------------------------------------


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["__str__", "area", "weekday", "opens_at", "closes_at"]
    list_filter = ["area", "weekday"]
    list_select_related = ["area"]


@admin.register(Closure)
class ClosureAdmin(DateHierarchyWithinYears, admin.ModelAdmin):
    list_display = ["reason_fr", "starts_on", "ends_on", "kind", "area"]
    list_filter = ["kind", "area"]
    date_hierarchy = "starts_on"
    list_select_related = ["area"]


class PermanenceExceptionForm(forms.ModelForm):
    """The admin's one-off changes go through the same checks as the week grid."""

    class Meta:
        model = PermanenceException
        fields = ["kind", "date", "new_date", "starts_at", "ends_at", "reason"]

    def clean(self):
        data = super().clean()
        permanence = getattr(self.instance, "permanence", None) if self.instance.permanence_id else None
        kind, day = data.get("kind"), data.get("date")
        if permanence is None or not kind or not day:
            return data
        if kind in ("cancelled", "moved") and not planning.occurs_on(permanence, day):
            raise ValidationError(_("The permanence does not take place on this date."))
        if kind == "added" and planning.occurs_on(permanence, day):
            raise ValidationError(_("The permanence already takes place on this date."))
        if kind in ("moved", "added"):
            target = data.get("new_date") if kind == "moved" else day
            if target:
                starts = data.get("starts_at") or permanence.starts_at
                ends = data.get("ends_at") or permanence.ends_at
                problems = planning.occurrence_problems(
                    permanence, target, starts, ends, usual_date=day if kind == "moved" else None
                )
                if problems:
                    raise ValidationError(problems)
        return data


class PermanenceExceptionInline(admin.TabularInline):
    model = PermanenceException
    form = PermanenceExceptionForm
    extra = 0


@admin.register(Permanence)
class PermanenceAdmin(admin.ModelAdmin):
    form = PermanenceForm
    list_display = ["institution", "area", "weekday", "starts_at", "ends_at", "frequency", "valid_from", "valid_until"]
    list_filter = ["area", "institution", "weekday", "frequency"]
    list_select_related = ["institution", "area"]
    inlines = [PermanenceExceptionInline]

    def save_model(self, request, obj, form, change):
        # The form has checked the rules; the service checks them again under its lock.
        services.save_permanence(permanence=obj)


class AttendanceCountInline(admin.TabularInline):
    """Read only: the breakdown is recorded on the workshop's page, where its sum is checked."""

    model = AttendanceCount
    extra = 0
    fields = ["profile_list", "code", "count"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Workshop)
class WorkshopAdmin(DateHierarchyWithinYears, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "starts_at",
        "area",
        "place",
        "capacity",
        "attendance",
        "is_public",
        "is_cancelled",
    ]
    list_filter = ["kind", "area", "is_cancelled", "is_public", "institutions"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "starts_at"
    list_select_related = ["area"]
    filter_horizontal = ["institutions", "facilitators"]
    raw_id_fields = ["occupations", "occupation_groups"]
    readonly_fields = ["attendance_link", "created_by", "created_at", "updated_at"]
    exclude = ["attendance", "is_cancelled"]
    inlines = [AttendanceCountInline]
    actions = ["cancel"]

    @admin.display(description=pgettext_lazy("workshop", "attendance"))
    def attendance_link(self, workshop):
        if not workshop.pk:
            return "—"
        url = reverse("counselling:workshop-attendance", kwargs={"pk": workshop.pk})
        figure = workshop.attendance if workshop.attendance is not None else _("not recorded")
        return format_html('{} · <a href="{}">{}</a>', figure, url, _("record or correct it"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Cancel the selected workshops"), permissions=["change"])
    def cancel(self, request, queryset):
        cancelled = 0
        for workshop in queryset:
            try:
                services.cancel_workshop(workshop=workshop)
                cancelled += 1
            except services.WorkshopError as error:
                self.message_user(request, f"{workshop.title}: {error.message}", level="error")
        if cancelled:
            message = ngettext("%(count)d workshop cancelled.", "%(count)d workshops cancelled.", cancelled)
            self.message_user(request, message % {"count": cancelled})
