"""Working groups: their shared documents, meetings (attendance, minutes, decisions) and actions."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models.common import local_today, private_storage, random_name
from partners.models.institutions import Contact, Institution


def group_document_path(instance, filename):
    return random_name("groups", Path(filename).suffix.lstrip(".").lower() or "bin")


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
    published_at = models.DateTimeField(
        _("minutes published"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Until then the minutes are a draft that only those who write them see."),
    )
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

    @property
    def is_published(self):
        return self.published_at is not None

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
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="partners_attendance_user_once",
                violation_error_message=_("This staff member is already on the meeting's attendance list."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                condition=Q(contact__isnull=False),
                name="partners_attendance_contact_once",
                violation_error_message=_("This contact is already on the meeting's attendance list."),
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
