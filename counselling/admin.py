"""The back office's reference data of counselling (topics, counsellors' areas), a view of sessions,
and the workshops (their attendance is recorded on the workshop's page, which keeps its rules)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from counselling import services
from counselling.models import AttendanceCount, CounsellorProfile, Referral, Session, Topic, Workshop
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
class SessionAdmin(admin.ModelAdmin):
    list_display = ["ticket", "started_at", "area", "counsellor", "institution", "outcome"]
    list_filter = ["area", "outcome", "institution"]
    date_hierarchy = "started_at"
    list_select_related = ["ticket", "area", "counsellor", "institution"]
    raw_id_fields = ["ticket", "occupations", "occupation_groups", "documents"]
    filter_horizontal = ["topics"]
    inlines = [ReferralInline]


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
class WorkshopAdmin(admin.ModelAdmin):
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
