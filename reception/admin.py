"""The back office's reference data of reception (profile lists, desks) and a read-only view of tickets."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cite.admin import DateHierarchyWithinYears
from reception.models import (
    AgeBand,
    Desk,
    Feedback,
    Gender,
    HeardFrom,
    ResidenceZone,
    ReturnCode,
    Situation,
    Ticket,
    TicketEvent,
)


class ProfileItemAdmin(admin.ModelAdmin):
    list_display = ["label_fr", "label_en", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["label_fr", "label_en", "code"]

    def get_readonly_fields(self, request, obj=None):
        # A code is what the network's figures are keyed by: fixed once the item exists.
        return ["code"] if obj else []


for model in (AgeBand, Situation, Gender, ResidenceZone, HeardFrom):
    admin.site.register(model, ProfileItemAdmin)


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "area_list", "order", "is_active"]
    list_editable = ["order", "is_active"]
    filter_horizontal = ["areas"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("areas")

    @admin.display(description=_("areas served"))
    def area_list(self, desk):
        return ", ".join(area.letter for area in desk.areas.all())


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    fields = ["at", "kind", "from_status", "to_status", "desk", "from_area", "to_area", "by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(DateHierarchyWithinYears, admin.ModelAdmin):
    """Tickets change only through the queue services, so that every change leaves its event."""

    list_display = ["code", "day", "area", "status", "arrived_at", "desk", "walk_in"]
    list_filter = ["day", "status", "area", "walk_in"]
    search_fields = ["code"]
    date_hierarchy = "day"
    list_select_related = ["area", "desk"]
    inlines = [TicketEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Ticket._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReturnCode)
class ReturnCodeAdmin(admin.ModelAdmin):
    """Erasing a code (on the visitor's request) is deleting it: the visits stay, unlinked."""

    list_display = ["code", "created_at"]
    search_fields = ["code"]
    readonly_fields = ["code", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(DateHierarchyWithinYears, admin.ModelAdmin):
    """Visitors' anonymous answers, read only: they are the visitors' words, not the staff's."""

    list_display = ["day", "area", "found", "rating", "comment"]
    list_filter = ["area", "found", "rating"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
