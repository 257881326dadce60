"""The back office's tools for partners: institutions, agreements, working groups, projects, the network.

Stage changes of agreements go through partners.services, like everywhere else.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cite.admin import HTTPS_BY_DEFAULT, DateHierarchyWithinYears
from partners import services
from partners.forms import AgreementForm, ContactForm, GroupDocumentForm, InstitutionForm
from partners.models import (
    Action,
    Agreement,
    Attendance,
    Contact,
    Exchange,
    GroupDocument,
    Institution,
    Meeting,
    MentoringLink,
    NetworkEvent,
    Objective,
    Project,
    Secondment,
    WorkingGroup,
)
from partners.validators import format_phone


def _active_staff():
    return get_user_model().objects.filter(is_active=True)


class ActiveStaffMixin:
    """Only people still on the staff can be chosen as owner, lead, member or counsellor."""

    staff_fields = ("owner", "lead", "user")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.staff_fields:
            kwargs["queryset"] = _active_staff()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("members", "participants"):
            kwargs["queryset"] = _active_staff()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# --- Institutions -------------------------------------------------------------------------------------


class ContactInline(admin.TabularInline):
    model = Contact
    form = ContactForm
    extra = 0
    fields = ["name", "role", "email", "phone"]


class AgreementInlineFormSet(forms.BaseInlineFormSet):
    """Agreements changed on their institution's page are saved by the service, like on their own."""

    def save_new(self, form, commit=True):
        agreement = super().save_new(form, commit=False)
        return self._save(form, agreement) if commit else agreement

    def save_existing(self, form, obj, commit=True):
        agreement = super().save_existing(form, obj, commit=False)
        return self._save(form, agreement) if commit else agreement

    def _save(self, form, agreement):
        services.save_agreement(agreement=agreement)
        form.save_m2m()
        return agreement


class AgreementInline(admin.StackedInline):
    model = Agreement
    form = AgreementForm
    formset = AgreementInlineFormSet
    extra = 0
    fields = [
        ("title", "kind"),
        ("start_date", "end_date", "committed_hours"),
        ("stage", "signature_date"),
        "document",
        "notes",
    ]
    readonly_fields = ["stage"]
    show_change_link = True


class SecondmentInline(ActiveStaffMixin, admin.TabularInline):
    model = Secondment
    extra = 0
    fields = ["user", "start_date", "end_date"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    form = InstitutionForm
    formfield_overrides = HTTPS_BY_DEFAULT
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active", "areas"]
    search_fields = ["name", "contacts__name"]
    inlines = [ContactInline, AgreementInline, SecondmentInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "areas":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    form = ContactForm
    list_display = ["name", "role", "institution", "email", "phone_display"]
    list_filter = ["institution__kind"]
    list_select_related = ["institution"]
    search_fields = ["name", "role", "email", "institution__name"]

    @admin.display(description=_("phone"), ordering="phone")
    def phone_display(self, contact):
        return format_phone(contact.phone)


# --- Agreements ---------------------------------------------------------------------------------------


@admin.register(Agreement)
class AgreementAdmin(DateHierarchyWithinYears, admin.ModelAdmin):
    form = AgreementForm
    list_display = ["title", "institution", "kind", "stage", "start_date", "end_date", "committed_hours"]
    list_filter = ["stage", "kind", "institution"]
    list_select_related = ["institution"]
    search_fields = ["title", "institution__name"]
    date_hierarchy = "end_date"
    readonly_fields = ["stage"]
    fields = [
        "institution",
        ("title", "kind"),
        ("start_date", "end_date", "committed_hours"),
        ("stage", "signature_date"),
        "document",
        "notes",
    ]
    actions = ["mark_signed", "mark_expired"]

    def save_model(self, request, obj, form, change):
        # The signed copy it replaces or clears goes once committed (partners.services).
        services.save_agreement(agreement=obj)

    def _move(self, request, queryset, change, done_message):
        moved = 0
        for agreement in queryset:
            try:
                change(agreement)
            except services.AgreementStageError as error:
                self.message_user(
                    request,
                    _("%(agreement)s: %(reason)s") % {"agreement": agreement, "reason": error.message},
                    messages.ERROR,
                )
            else:
                moved += 1
        if moved:
            self.message_user(request, done_message(moved), messages.SUCCESS)

    @admin.action(description=_("Mark as signed (with the signature date and the signed copy they carry)"))
    def mark_signed(self, request, queryset):
        self._move(
            request,
            queryset,
            lambda agreement: services.sign_agreement(agreement=agreement, signature_date=agreement.signature_date),
            lambda count: (
                ngettext("%(count)d agreement signed.", "%(count)d agreements signed.", count) % {"count": count}
            ),
        )

    @admin.action(description=_("Mark as expired (their end date has passed)"))
    def mark_expired(self, request, queryset):
        self._move(
            request,
            queryset,
            lambda agreement: services.expire_agreement(agreement=agreement),
            lambda count: (
                ngettext("%(count)d agreement expired.", "%(count)d agreements expired.", count) % {"count": count}
            ),
        )


@admin.register(Secondment)
class SecondmentAdmin(ActiveStaffMixin, admin.ModelAdmin):
    list_display = ["user", "institution", "start_date", "end_date"]
    list_filter = ["institution"]
    list_select_related = ["user", "institution"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "institution__name"]


# --- Working groups -----------------------------------------------------------------------------------


class GroupDocumentInline(admin.TabularInline):
    model = GroupDocument
    formfield_overrides = HTTPS_BY_DEFAULT
    form = GroupDocumentForm
    extra = 0
    fields = ["title", "file", "link"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ActiveStaffMixin, admin.ModelAdmin):
    list_display = ["name", "status", "lead", "member_count"]
    list_filter = ["status"]
    list_select_related = ["lead"]
    search_fields = ["name", "objective"]
    filter_horizontal = ["institutions", "members"]
    inlines = [GroupDocumentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, group):
        return group.member_count


class AttendanceFormSet(forms.BaseInlineFormSet):
    """A person is on a meeting's list once. The database says so (two conditional unique constraints),
    but neither a row's form (the meeting is not one of its fields) nor Django's formset checks a
    conditional constraint: without this, the same person twice was a server error naming it."""

    ONCE = {"user": "partners_attendance_user_once", "contact": "partners_attendance_contact_once"}

    def clean(self):
        super().clean()
        messages = {c.name: c.get_violation_error_message() for c in Attendance._meta.constraints}
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            for field, constraint in self.ONCE.items():
                person = data.get(field)
                if person is None:
                    continue
                if (field, person.pk) in seen:
                    form.add_error(field, messages[constraint])
                seen.add((field, person.pk))


class AttendanceInline(ActiveStaffMixin, admin.TabularInline):
    model = Attendance
    formset = AttendanceFormSet
    extra = 0
    fields = ["user", "contact", "guest_name", "status"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contact":
            kwargs["queryset"] = Contact.objects.select_related("institution").order_by("institution__name", "name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ActionInline(ActiveStaffMixin, admin.TabularInline):
    model = Action
    extra = 0
    fields = ["description", "owner", "due_date", "status"]


@admin.register(Meeting)
class MeetingAdmin(DateHierarchyWithinYears, admin.ModelAdmin):
    list_display = ["group", "starts_at", "place"]
    list_filter = ["group"]
    list_select_related = ["group"]
    date_hierarchy = "starts_at"
    search_fields = ["group__name", "agenda", "minutes", "decisions"]
    fields = ["group", ("starts_at", "ends_at"), "place", "agenda", "minutes", "decisions", "published_at"]
    readonly_fields = ["published_at"]
    inlines = [AttendanceInline, ActionInline]
    actions = ["publish"]

    @admin.action(description=_("Publish the minutes to the members"))
    def publish(self, request, queryset):
        for meeting in queryset.select_related("group"):
            try:
                services.publish_minutes(meeting=meeting, by=request.user)
            except services.MeetingError as error:
                self.message_user(request, f"{meeting}: {error.message}", messages.ERROR)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Action:
            return super().save_formset(request, form, formset, change)
        # An action decided at a meeting belongs to the meeting's working group.
        for action in formset.save(commit=False):
            action.group = form.instance.group
            action.save()
        for action in formset.deleted_objects:
            action.delete()
        formset.save_m2m()
        return None


@admin.register(Action)
class ActionAdmin(DateHierarchyWithinYears, ActiveStaffMixin, admin.ModelAdmin):
    list_display = ["description", "group", "owner", "due_date", "status"]
    list_filter = ["status", "group", "owner"]
    list_select_related = ["group", "owner"]
    search_fields = ["description"]
    date_hierarchy = "due_date"


# --- Projects -----------------------------------------------------------------------------------------


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["title", "target", "progress", "unit", "deadline"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    filter_horizontal = ["working_groups"]
    inlines = [ObjectiveInline]


# --- The network --------------------------------------------------------------------------------------


@admin.register(MentoringLink)
class MentoringLinkAdmin(admin.ModelAdmin):
    list_display = ["mentor", "mentee", "start_date", "end_date"]
    list_select_related = ["mentor", "mentee"]
    search_fields = ["mentor__name", "mentee__name"]


@admin.register(NetworkEvent)
class NetworkEventAdmin(DateHierarchyWithinYears, ActiveStaffMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_BY_DEFAULT
    list_display = ["name", "kind", "starts_on", "ends_on", "place", "host"]
    list_filter = ["kind"]
    list_select_related = ["host"]
    search_fields = ["name", "place"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["participants"]


# --- Exchanges ----------------------------------------------------------------------------------------


@admin.register(Exchange)
class ExchangeAdmin(DateHierarchyWithinYears, admin.ModelAdmin):
    """For reference: exchanges are logged from the partner's page, where the note is checked."""

    list_display = ["institution", "kind", "date", "recorded_by"]
    list_filter = ["kind", "institution"]
    list_select_related = ["institution", "recorded_by"]
    date_hierarchy = "date"
    search_fields = ["institution__name", "note", "follow_up"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
