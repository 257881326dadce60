"""What every part of the centre shares: staff accounts, the areas of advice, the centres of the network.

Visitors never have an account: everything about them hangs off an anonymous ticket.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A staff account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password: the invitation sets it
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of the centre's staff, who logs in with an email address."""

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, help_text=_("The only name visitors ever see.")
    )
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("administration access"), default=False, help_text=_("May log in to the administration site.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick instead of deleting the account of someone who left.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["last_name", "first_name", "email"]
        permissions = [("view_statistics", _("Can see the centre's statistics and export them"))]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="cite_user_email_case_insensitive_unique",
                violation_error_message=_("A staff member already has this email address."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class AreaQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Area(models.Model):
    """An area of advice (pôle): its own queue and ticket letter. Shared by every part of the centre."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Stable code shared across the network (for example choose-path); never change it."),
    )
    name_fr = models.CharField(_("name in French"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    letter = models.CharField(
        _("ticket letter"),
        max_length=1,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]$", _("One capital letter, A to Z."))],
        help_text=_("Tickets of this area read like B-042."),
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1d4f73",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour such as #1d4f73."))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["order", "letter"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name in the current language."""
        return self.name_en if get_language() == "en" else self.name_fr


class Centre(models.Model):
    """A Cité of the network: publishes records over OAI-PMH, compares figures, meets, mentors."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, for example FR."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    oai_base_url = models.URLField(
        _("OAI-PMH base URL"), blank=True, help_text=_("Where the library harvests this centre's shared records.")
    )
    oai_set = models.CharField(
        _("OAI-PMH set"), max_length=200, blank=True, help_text=_("Harvest only this set (leave empty for all).")
    )
    label_date = models.DateField(_("date of label"), null=True, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("centre of the network")
        verbose_name_plural = _("centres of the network")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__regex=r"^[A-Z]{2}$"),
                name="cite_centre_country_iso",
                violation_error_message=_("The country is its ISO 3166 code: two letters, for example FR."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.country = self.country.upper()
        super().save(*args, **kwargs)

    def clean(self):
        # Before the constraints are checked: "fr" typed in a form is the country FR, not an error.
        self.country = self.country.strip().upper()
