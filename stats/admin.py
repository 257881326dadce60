"""The report's commentary in the admin: found by year, read and corrected by the back office."""

from django.contrib import admin

from stats.models import ReportComment


@admin.register(ReportComment)
class ReportCommentAdmin(admin.ModelAdmin):
    list_display = ["year", "section", "area", "institution", "updated_at", "updated_by"]
    list_filter = ["year", "section"]
    readonly_fields = ["updated_at", "updated_by"]
    list_select_related = ["area", "institution", "updated_by"]
