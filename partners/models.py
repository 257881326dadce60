"""The centre's partners: institutions and their agreements, working groups, shared projects, the network.

A Cité is run by several institutions together: they sign agreements with it, second counsellors,
and work in cross-institution working groups. Sister centres are `cite.Centre`; this app adds the
mentoring links between them and the network's events.
"""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

import cite.storage
from cite.models import Area, Centre

# An agreement whose end date comes within this many days is flagged for renewal.
ENDING_SOON_DAYS = 60


@deconstructible(path="partners.models.PrivateStorage")
class PrivateStorage(cite.storage.PrivateStorage):
    """The kernel's private storage under the name this app's migrations record."""


private_storage = PrivateStorage()


def _random_name(folder, extension):
    """Uploaded files are renamed: the sender's file name never reaches the disk or a URL."""
    return f"partners/{folder}/{uuid.uuid4().hex}.{extension}"


def logo_path(instance, filename):
    return _random_name("logos", Path(filename).suffix.lstrip(".").lower() or "png")


def agreement_document_path(instance, filename):
    return _random_name("agreements", "pdf")


def group_document_path(instance, filename):
    return _random_name("groups", Path(filename).suffix.lstrip(".").lower() or "bin")


def local_today():
    return timezone.localdate()


def sort_key(field):
    """Order names as people read them: case and accents ignored (Élodie between Dominique and Fatou)."""
    return Lower(models.Func(F(field), function="unaccent"))


class DateRange(models.Func):
    function = "DATERANGE"
    output_field = DateRangeField()


# ---------------------------------------------------------------------------------------------------
# Institutions


class Institution(models.Model):
    """A partner organisation: seconds counsellors, signs agreements, sits in working groups."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Public employment service")
        GUIDANCE = "guidance", _("Education and guidance")
        CHAMBER = "chamber", _("Chamber of commerce or trades")
        TRAINING = "training", _("Training body")
        ASSOCIATION = "association", _("Association")
        LOCAL_AUTHORITY = "local-authority", _("Local authority")
        EMPLOYER = "employer", _("Employer")
        OTHER = "other", pgettext_lazy("kind of institution", "Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to=logo_path,
        blank=True,
        help_text=_("PNG, JPEG, GIF or WebP. It is resized to at most 400 pixels and saved again as PNG."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("What they do, in a few lines."))
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("areas they staff"),
        related_name="institutions",
        blank=True,
        help_text=_("The areas of advice where their counsellors hold desks."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick for a former partner instead of deleting it.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="partners_institution_name_unique",
                violation_error_message=_("An institution with this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:institution-detail", kwargs={"pk": self.pk})


class Contact(models.Model):
    """Someone to reach at a partner institution."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("For example: head of the agency."))
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=32,
        blank=True,
        help_text=_("Any usual format; it is checked and saved in international form."),
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from partners.validators import normalise_phone

        if self.phone:
            self.phone = normalise_phone(self.phone)


class AgreementQuerySet(models.QuerySet):
    def ending_soon(self, today=None):
        """Signed agreements whose end date falls within the next ENDING_SOON_DAYS days."""
        today = today or local_today()
        return self.filter(
            stage=Agreement.Stage.SIGNED,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS),
        )

    def past_their_end(self, today=None):
        """Signed agreements whose end date has passed: `expire_agreements` moves them on."""
        return self.filter(stage=Agreement.Stage.SIGNED, end_date__lt=today or local_today())


class Agreement(models.Model):
    """An agreement (convention) between the centre and an institution: draft → signed → expired."""

    class Kind(models.TextChoices):
        FRAMEWORK = "framework", _("Framework agreement")
        SECONDMENT = "secondment", _("Secondment agreement")
        PARTNERSHIP = "partnership", _("Partnership agreement")
        FUNDING = "funding", _("Funding agreement")
        OTHER = "other", pgettext_lazy("kind of agreement", "Other")

    class Stage(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("agreement stage", "Draft")
        SIGNED = "signed", pgettext_lazy("agreement stage", "Signed")
        EXPIRED = "expired", pgettext_lazy("agreement stage", "Expired")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("institution")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PARTNERSHIP)
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    signature_date = models.DateField(_("signature date"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.DRAFT, editable=False)
    document = models.FileField(
        _("signed document"),
        upload_to=agreement_document_path,
        storage=private_storage,
        blank=True,
        help_text=_("The signed copy, as a PDF."),
    )
    committed_hours = models.DecimalField(
        _("committed counsellor hours per week"),
        max_digits=5,
        decimal_places=1,
        default=0,
        help_text=_("Hours of counselling per week the institution commits to staff."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-end_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="partners_agreement_ends_after_start",
                violation_error_message=_("An agreement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(committed_hours__gte=0),
                name="partners_agreement_hours_not_negative",
                violation_error_message=_("Committed hours cannot be negative."),
            ),
            # Signed and expired agreements have been signed: a date and the signed copy.
            models.CheckConstraint(
                condition=Q(stage="draft") | (Q(signature_date__isnull=False) & ~Q(document="")),
                name="partners_agreement_signed_has_date_and_document",
                violation_error_message=_("A signed agreement has a signature date and its signed copy."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.institution.get_absolute_url()}#agreement-{self.pk}"

    def is_ending_soon(self, today=None):
        today = today or local_today()
        return self.stage == self.Stage.SIGNED and today <= self.end_date <= today + datetime.timedelta(
            days=ENDING_SOON_DAYS
        )

    def days_left(self, today=None):
        return (self.end_date - (today or local_today())).days


class Secondment(models.Model):
    """A counsellor (a staff account) seconded to the centre by an institution, for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="secondments",
        verbose_name=_("counsellor"),
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="secondments", verbose_name=_("institution")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Leave empty while it lasts."))

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["user__last_name", "user__first_name", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partners_secondment_ends_after_start",
                violation_error_message=_("A secondment cannot end before it starts."),
            ),
            # One institution at a time: the periods of one person's secondments never overlap
            # (an empty date is an open end).
            ExclusionConstraint(
                name="partners_secondment_no_overlap",
                expressions=[
                    ("user", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date", RangeBoundary(True, True)), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("This person is already seconded by an institution during these dates."),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.institution}"

    def is_current(self, today=None):
        today = today or local_today()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or today <= self.end_date
        )


# ---------------------------------------------------------------------------------------------------
# Working groups


class WorkingGroupQuerySet(models.QuerySet):
    def of_member(self, user):
        """Groups `user` leads, belongs to, or owns an action of (they need its minutes to do it)."""
        member = Q(pk__in=WorkingGroup.members.through.objects.filter(user=user).values("workinggroup_id"))
        owner = Q(pk__in=Action.objects.filter(owner=user).values("group_id"))
        return self.filter(Q(lead=user) | member | owner)


class WorkingGroup(models.Model):
    """People from several institutions working together around a shared project."""

    class Status(models.TextChoices):
        STARTING = "starting", _("Being set up")
        ACTIVE = "active", pgettext_lazy("working group status", "Active")
        CLOSED = "closed", pgettext_lazy("working group status", "Closed")

    name = models.CharField(_("name"), max_length=200, unique=True)
    objective = models.TextField(_("objective"), help_text=_("What the group sets out to achieve."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_working_groups",
        verbose_name=_("lead"),
    )
    institutions = models.ManyToManyField(
        Institution, verbose_name=_("member institutions"), related_name="working_groups", blank=True
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="working_groups", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]
        permissions = [("view_all_working_groups", _("Can see every working group, not only their own"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:group-detail", kwargs={"pk": self.pk})


class GroupDocument(models.Model):
    """A document the group shares: an uploaded file, or a link to where it lives."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="documents", verbose_name=_("working group")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=group_document_path,
        storage=private_storage,
        blank=True,
        help_text=_("PDF, OpenDocument or Microsoft Office file."),
    )
    link = models.URLField(_("link"), blank=True, help_text=_("Or the address of the document on a shared drive."))
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("shared document")
        verbose_name_plural = _("shared documents")
        ordering = ["-added_at"]
        constraints = [
            models.CheckConstraint(
                condition=(~Q(file="") & Q(link="")) | (Q(file="") & ~Q(link="")),
                name="partners_groupdocument_file_or_link",
                violation_error_message=_("Give either a file or a link."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def extension(self):
        return Path(self.file.name).suffix.lstrip(".").upper() if self.file else ""


class Meeting(models.Model):
    """A meeting of a working group: agenda before, attendance, minutes and decisions after."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("working group")
    )
    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, help_text=_("A room, an address, or a video link."))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("One decision per line."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="partners_meeting_ends_after_start",
                violation_error_message=_("A meeting ends after it starts."),
            ),
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        return f"{self.group} — {start:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("partners:meeting-detail", kwargs={"pk": self.pk})

    def decision_list(self):
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]

    def attendance_by_status(self):
        """[(label, [attendance, …]), …] in the order present, excused, guests; empty groups left out."""
        people = list(self.attendances.all())
        groups = [(label, [a for a in people if a.status == value]) for value, label in Attendance.Status.choices]
        return [(label, items) for label, items in groups if items]


class Attendance(models.Model):
    """Who came to a meeting: a staff member, a partner contact, or a guest named by hand."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        GUEST = "guest", _("Guest")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("partner contact"),
    )
    guest_name = models.CharField(_("guest"), max_length=200, blank=True, help_text=_("Someone not listed here."))
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices, default=Status.PRESENT)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["status", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(contact__isnull=True) & Q(guest_name=""))
                | (Q(user__isnull=True) & Q(contact__isnull=False) & Q(guest_name=""))
                | (Q(user__isnull=True) & Q(contact__isnull=True) & ~Q(guest_name="")),
                name="partners_attendance_one_person",
                violation_error_message=_(
                    "Choose a staff member, a partner contact or type a guest's name: one of them."
                ),
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="partners_attendance_user_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                condition=Q(contact__isnull=False),
                name="partners_attendance_contact_once",
            ),
        ]

    def __str__(self):
        return str(self.person)

    @property
    def person(self):
        return self.user or self.contact or self.guest_name


class ActionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=Action.PENDING)

    def overdue(self, today=None):
        """Pending actions whose due date has passed (the centre's local date)."""
        return self.pending().filter(due_date__lt=today or local_today())

    def with_overdue(self, today=None):
        return self.annotate(
            overdue=models.Case(
                models.When(Q(status__in=Action.PENDING) & Q(due_date__lt=today or local_today()), then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        )

    def in_work_order(self, today=None):
        """What to do first: pending before finished, overdue at the top, then by due date."""
        return (
            self.with_overdue(today)
            .annotate(done=models.ExpressionWrapper(~Q(status__in=Action.PENDING), output_field=models.BooleanField()))
            .order_by("done", "-overdue", F("due_date").asc(nulls_last=True), "pk")
        )


class Action(models.Model):
    """Something a working group decided someone will do, by a date."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("action status", "To do")
        IN_PROGRESS = "in-progress", pgettext_lazy("action status", "In progress")
        DONE = "done", pgettext_lazy("action status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("action status", "Cancelled")

    PENDING = [Status.OPEN, Status.IN_PROGRESS]

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="actions", verbose_name=_("working group")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("decided at"),
    )
    description = models.CharField(_("description"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = [F("due_date").asc(nulls_last=True), "pk"]
        permissions = [("follow_own_actions", _("Can see their own actions and update their status"))]

    def __str__(self):
        return self.description

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.meeting_id and self.group_id and self.meeting.group_id != self.group_id:
            raise ValidationError({"meeting": _("This meeting belongs to another working group.")})

    def is_overdue(self, today=None):
        return self.status in self.PENDING and self.due_date is not None and self.due_date < (today or local_today())


# ---------------------------------------------------------------------------------------------------
# Shared projects and their objectives


class Project(models.Model):
    """A project the partners share, carried by working groups and measured by objectives."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    working_groups = models.ManyToManyField(
        WorkingGroup, verbose_name=_("carried by"), related_name="projects", blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shared project")
        verbose_name_plural = _("shared projects")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Objective(models.Model):
    """A measurable objective of a project: a target, and how far along we are."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("project"))
    title = models.CharField(_("objective"), max_length=200)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=1)
    progress = models.DecimalField(_("progress"), max_digits=10, decimal_places=1, default=0)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("What is counted: workshops, partners, %…"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["project", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gt=0),
                name="partners_objective_target_positive",
                violation_error_message=_("The target is a number above zero."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0),
                name="partners_objective_progress_not_negative",
                violation_error_message=_("Progress cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self):
        """Progress towards the target, 0 to 100 (a target may be exceeded; the bar stops at 100)."""
        return min(100, int(self.progress * 100 / self.target)) if self.target else 0


# ---------------------------------------------------------------------------------------------------
# The network of Cités


class MentoringLink(models.Model):
    """An experienced centre mentoring a new one while it gets its label."""

    mentor = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="mentoring_given", verbose_name=_("mentor centre")
    )
    mentee = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="mentoring_received", verbose_name=_("mentored centre")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("mentoring link")
        verbose_name_plural = _("mentoring links")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="partners_mentoring_not_self",
                violation_error_message=_("A centre cannot mentor itself."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partners_mentoring_ends_after_start",
                violation_error_message=_("Mentoring cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["mentor", "mentee", "start_date"],
                name="partners_mentoring_unique",
                violation_error_message=_("This mentoring link is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"

    def is_current(self, today=None):
        today = today or local_today()
        return self.start_date <= today and (self.end_date is None or today <= self.end_date)


class NetworkEvent(models.Model):
    """A gathering of the network, such as the annual Winter School, and who from here takes part."""

    class Kind(models.TextChoices):
        WINTER_SCHOOL = "winter-school", _("Winter School")
        SEMINAR = "seminar", _("Seminar")
        GENERAL_ASSEMBLY = "assembly", _("General assembly")
        VISIT = "visit", _("Study visit")
        OTHER = "other", pgettext_lazy("kind of event", "Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SEMINAR)
    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200)
    host = models.ForeignKey(
        Centre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host centre"),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taking part from our centre"),
        related_name="network_events",
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("network event")
        verbose_name_plural = _("network events")
        ordering = ["-starts_on"]
        permissions = [("view_network", _("Can see the network page"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="partners_networkevent_ends_after_start",
                violation_error_message=_("The last day cannot come before the first."),
            ),
        ]

    def __str__(self):
        return self.name


# ---------------------------------------------------------------------------------------------------
# Calendar subscriptions


class CalendarToken(models.Model):
    """The secret in a staff member's calendar feed URL (calendar apps cannot log in).

    Only a SHA-256 digest is stored: the URL is shown once, when it is made; making a new one or
    revoking it cuts off every calendar app that used the old one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("staff member"),
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self):
        return str(self.user)
