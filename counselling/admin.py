"""The back office's reference data of counselling (topics, counsellors' areas) and a view of sessions."""

from django.contrib import admin

from counselling.models import CounsellorProfile, Referral, Session, Topic
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
