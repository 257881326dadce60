"""Institutions: the partner organisations that run the centre together, and whom to reach there."""

from pathlib import Path

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cite.models import Area
from partners.models.common import random_name


def logo_path(instance, filename):
    return random_name("logos", Path(filename).suffix.lstrip(".").lower() or "png")


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
    address = models.TextField(_("address"), blank=True, help_text=_("Where to find them: street, postcode, town."))
    phone = models.CharField(
        _("phone"),
        max_length=32,
        blank=True,
        help_text=_("Any usual format; it is checked and saved in international form."),
    )
    email = models.EmailField(_("email address"), blank=True, help_text=_("The institution's general address."))
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

    def clean(self):
        from partners.validators import normalise_phone

        if self.phone:
            self.phone = normalise_phone(self.phone)


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
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick when they leave or change jobs, instead of deleting them.")
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
