"""Shared projects of the partners, carried by working groups and measured by objectives."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models.groups import WorkingGroup


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
