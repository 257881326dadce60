"""The back office's tools for staff accounts: create, give roles, invite, deactivate; and the bounded
date hierarchy every admin list with one uses."""

import datetime

from auditlog import get_logentry_model
from auditlog.admin import LogEntryAdmin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cite import dates
from cite.models import Area, Centre, User
from cite.roles import ROLE_LABELS
from cite.services import invite_staff_member

# An address typed without its scheme is taken as https:// (Django 6's default, chosen now: Django 5.2
# warns for every model URLField whose form field does not say).
HTTPS_BY_DEFAULT = {models.URLField: {"assume_scheme": "https"}}


class StaffCreationForm(forms.ModelForm):
    """A new account has no password: its owner chooses one from the invitation email."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "groups", "is_staff"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = StaffCreationForm
    add_fieldsets = [
        (None, {"fields": ["email", "first_name", "last_name"]}),
        (_("Roles"), {"fields": ["groups", "is_staff"]}),
    ]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Name"), {"fields": ["first_name", "last_name"]}),
        (_("Roles"), {"fields": ["is_active", "groups", "is_staff", "is_superuser", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    list_display = ["email", "first_name", "last_name", "role_list", "is_active", "is_staff", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["last_name", "first_name", "email"]
    filter_horizontal = ["groups", "user_permissions"]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["send_invitation"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def role_list(self, user):
        return ", ".join(str(ROLE_LABELS.get(group.name, group.name)) for group in user.groups.all())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if not change:
            transaction.on_commit(lambda: invite_staff_member(user=obj, request=request))
            messages.info(
                request, _("An invitation to choose a password was sent to %(email)s.") % {"email": obj.email}
            )

    @admin.action(description=_("Send an invitation to choose a password"))
    def send_invitation(self, request, queryset):
        users = list(queryset.filter(is_active=True))
        for user in users:
            invite_staff_member(user=user, request=request)
        self.message_user(
            request,
            ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", len(users)) % {"count": len(users)},
        )


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["letter", "name_fr", "name_en", "code", "colour", "order", "is_active"]
    list_display_links = ["letter", "name_fr"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_fr", "name_en", "code"]


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_BY_DEFAULT
    list_display = ["name", "country", "city", "label_date", "oai_base_url", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["name", "city", "contact_name"]


class _ChangeListWithinYears(ChangeList):
    def get_filters(self, request):
        # Django 5.2 lets ?<field>__year=9999 overflow into a 500 (its ticket #37357): a year outside
        # cite's years is an incorrect lookup instead, which the admin answers with its "?e=1" page.
        for year in request.GET.getlist(f"{self.date_hierarchy}__year") if self.date_hierarchy else []:
            try:
                dates.check(datetime.date(int(year), 1, 1))
            except (ValueError, OverflowError) as error:
                raise IncorrectLookupParameters(error) from error
        return super().get_filters(request)


class DateHierarchyWithinYears:
    """For a ModelAdmin with a date_hierarchy: its years stay within those of cite.dates."""

    def get_changelist(self, request, **kwargs):
        return _ChangeListWithinYears


admin.site.unregister(get_logentry_model())


@admin.register(get_logentry_model())
class AuditLogEntryAdmin(DateHierarchyWithinYears, LogEntryAdmin):
    pass
