"""Harvesting sister centres: each run of the harvester, and what went wrong record by record.

The sister centres are the network's `cite.Centre` rows; the last successful run of a centre gives
the `from` date of the next, incremental, harvest.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cite.models import Centre


class SisterCentre(Centre):
    """The centres of the network seen from the library: where their records are harvested from."""

    class Meta:
        proxy = True
        verbose_name = _("sister centre to harvest")
        verbose_name_plural = _("sister centres to harvest")
        permissions = [("harvest_centre", _("Can harvest a sister centre's records"))]


class HarvestRun(models.Model):
    """One harvest of one sister centre's OAI-PMH provider."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    centre = models.ForeignKey(Centre, models.CASCADE, related_name="harvest_runs", verbose_name=_("centre"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    base_url = models.URLField(_("OAI-PMH base URL"), max_length=500)
    set_spec = models.CharField(_("set"), max_length=200, blank=True)
    harvested_from = models.CharField(
        _("harvested from"), max_length=20, blank=True, help_text=_("The from argument sent; empty for a full harvest.")
    )
    next_from = models.DateTimeField(
        _("next harvest from"),
        null=True,
        blank=True,
        help_text=_("The provider's response date: where the next incremental harvest starts."),
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("harvest")
        verbose_name_plural = _("harvests")
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"
        constraints = [
            models.UniqueConstraint(
                fields=["centre"],
                condition=models.Q(status="running"),
                name="resources_one_running_harvest_per_centre",
                violation_error_message=_("A harvest of this centre is already running."),
            ),
        ]

    def __str__(self):
        return f"{self.centre} · {self.started_at:%Y-%m-%d %H:%M}"


class HarvestRecordError(models.Model):
    """A record the harvester could not take in; the run went on with the others."""

    run = models.ForeignKey(HarvestRun, models.CASCADE, related_name="errors", verbose_name=_("harvest"))
    identifier = models.CharField(_("OAI identifier"), max_length=500, blank=True)
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("harvest error")
        verbose_name_plural = _("harvest errors")
        ordering = ["id"]

    def __str__(self):
        return f"{self.identifier}: {self.message}"
