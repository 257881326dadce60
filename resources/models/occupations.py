"""The occupation reference: ISCO-08 groups (four levels) and ESCO occupations, with their labels.

Labels are stored per language as ESCO publishes them; every label and alternative label also gets
a row in OccupationLabel, normalised (lower case, no accents) for typo-tolerant search.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def language_of(labels, language=None):
    """Which language `label_in_language` picks: `language`, else English, else any."""
    if not labels:
        return ""
    language = (language or get_language() or "en").split("-")[0]
    for candidate in (language, "en"):
        if labels.get(candidate):
            return candidate
    return next(iter(labels))


def label_in_language(labels, language=None):
    """The label in `language` (the current one by default), else English, else any."""
    return labels[language_of(labels, language)] if labels else ""


class Concept(models.Model):
    """What ISCO groups and ESCO occupations share: a stable URI and labels in several languages."""

    uri = models.URLField(
        _("concept URI"), max_length=255, unique=True, help_text=_("ESCO's stable identifier, shared by the network.")
    )
    labels = models.JSONField(_("preferred labels"), default=dict, blank=True, help_text=_("Language code → label."))
    alt_labels = models.JSONField(
        _("alternative labels"), default=dict, blank=True, help_text=_("Language code → list of labels.")
    )
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def label(self):
        return label_in_language(self.labels)

    @property
    def description(self):
        return label_in_language(self.descriptions)

    @property
    def description_language(self):
        """The language of `description` (English where ESCO has no translation): for lang attributes."""
        return language_of(self.descriptions)

    @property
    def alternative_labels(self):
        """Alternative labels in the current language (falling back to English)."""
        language = (get_language() or "en").split("-")[0]
        return self.alt_labels.get(language) or self.alt_labels.get("en") or []


class IscoGroup(Concept):
    """An ISCO-08 group: major (1 digit), sub-major (2), minor (3) or unit group (4)."""

    class Level(models.IntegerChoices):
        MAJOR = 1, _("major group")
        SUB_MAJOR = 2, _("sub-major group")
        MINOR = 3, _("minor group")
        UNIT = 4, _("unit group")

    code = models.CharField(
        _("ISCO-08 code"), max_length=4, unique=True, help_text=_("A string: codes keep their leading zeros (0110).")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent group")
    )

    class Meta:
        verbose_name = _("ISCO-08 group")
        verbose_name_plural = _("ISCO-08 groups")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{1,4}$"),
                name="resources_isco_code_digits",
                violation_error_message=_("An ISCO-08 code is one to four digits, such as 2431."),
            ),
            models.CheckConstraint(
                condition=models.Q(level=Length("code")),
                name="resources_isco_level_is_code_length",
                violation_error_message=_("A group's level is the number of digits of its code (2431: unit group)."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.label}"

    def get_absolute_url(self):
        return reverse("resources:occupation-group", kwargs={"code": self.code})


class Occupation(Concept):
    """An ESCO occupation, under one ISCO-08 unit group."""

    group = models.ForeignKey(
        IscoGroup,
        models.PROTECT,
        related_name="occupations",
        verbose_name=_("ISCO-08 unit group"),
        limit_choices_to={"level": IscoGroup.Level.UNIT},
    )

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["id"]

    def get_absolute_url(self):
        return reverse("resources:occupation-detail", kwargs={"pk": self.pk})


class OccupationLabel(models.Model):
    """One label of a group or an occupation, in one language, normalised for search."""

    class Kind(models.TextChoices):
        PREFERRED = "preferred", _("preferred label")
        ALTERNATIVE = "alternative", _("alternative label")
        HIDDEN = "hidden", _("hidden label (search only)")

    occupation = models.ForeignKey(
        Occupation, models.CASCADE, null=True, blank=True, related_name="label_rows", verbose_name=_("occupation")
    )
    group = models.ForeignKey(
        IscoGroup, models.CASCADE, null=True, blank=True, related_name="label_rows", verbose_name=_("ISCO-08 group")
    )
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("label"), max_length=500)
    normalized = models.CharField(
        _("normalised label"), max_length=500, help_text=_("Lower case, without accents: what search compares.")
    )

    class Meta:
        verbose_name = _("occupation label")
        verbose_name_plural = _("occupation labels")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occupation__isnull=False, group__isnull=True)
                | models.Q(occupation__isnull=True, group__isnull=False),
                name="resources_label_of_one_concept",
                violation_error_message=_("A label belongs to one occupation or to one ISCO-08 group."),
            ),
        ]
        indexes = [
            GinIndex(fields=["normalized"], opclasses=["gin_trgm_ops"], name="resources_label_trgm"),
        ]

    def __str__(self):
        return self.text
