"""Records of the pooled document library, described in Dublin Core, and their attached files.

A record published to the network (visibility network or public) that is deleted stays as a
tombstone, so that harvesters learn of the deletion (OAI-PMH `deletedRecord` is `persistent`).
"""

import datetime
import re
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resources.languages import LANGUAGE_CHOICES, search_config
from resources.uploads import private_storage, validate_upload

# Broad searches count and facet a sample: the live records whose id is a multiple of this.
SAMPLE_BUCKETS = 16
SAMPLE_BUCKET = Mod("id", Value(SAMPLE_BUCKETS), output_field=models.BigIntegerField())
IN_SAMPLE = models.Q(Exact(SAMPLE_BUCKET, 0)) & models.Q(deleted_at__isnull=True)

W3CDTF = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")


def validate_w3cdtf(value):
    """W3C-DTF, as Dublin Core recommends for dc:date: a year, a month or a day that the calendar has."""
    if not W3CDTF.match(value or ""):
        raise ValidationError(_("Enter a year (2024), a month (2024-05) or a day (2024-05-17)."), code="invalid")
    if len(value) == 10:
        # Not cite.dates.parse_date: a publication date may precede the years the pages count with.
        try:
            datetime.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        except ValueError:
            # The pattern lets 2024-02-30 through; the calendar does not.
            raise ValidationError(
                _("%(value)s is not a day of the calendar."), code="invalid_day", params={"value": value}
            ) from None


class RecordQuerySet(models.QuerySet):
    def own(self):
        """Records catalogued by this centre (not harvested from a sister centre)."""
        return self.filter(source_centre__isnull=True)

    def public(self):
        return self.filter(visibility=Record.Visibility.PUBLIC)

    def for_oai(self):
        """What the OAI-PMH provider lists: our published records, and tombstones of those once published."""
        return self.filter(source_centre__isnull=True).filter(
            models.Q(visibility__in=Record.PUBLISHED) | models.Q(was_published=True)
        )


class LiveRecordManager(models.Manager.from_queryset(RecordQuerySet)):
    """Records that are not deleted: what every page and form works with."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Record(models.Model):
    """One item of the library: an occupation sheet, a guide, a video, a website…"""

    class Kind(models.TextChoices):
        OCCUPATION_SHEET = "occupation-sheet", _("occupation sheet")
        GUIDE = "guide", _("guide")
        VIDEO = "video", _("video")
        WEBSITE = "website", _("website")
        METHOD = "method", _("method or toolkit")
        TRAINING_DIRECTORY = "training-directory", _("training directory")
        EVENT_MATERIAL = "event-material", _("event material")
        STUDY = "study", _("study or report")
        OTHER = "other", _("other")

    class Audience(models.TextChoices):
        YOUNG_PEOPLE = "young-people", _("young people")
        JOB_SEEKERS = "job-seekers", _("job seekers")
        EMPLOYEES = "employees", _("employees")
        EMPLOYERS = "employers", _("employers")
        COUNSELLORS = "counsellors", _("counsellors")

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("internal (this centre's staff)")
        NETWORK = "network", _("network (staff of the network's centres)")
        PUBLIC = "public", _("public (also visitors)")

    PUBLISHED = (Visibility.NETWORK, Visibility.PUBLIC)

    uuid = models.UUIDField(_("permanent identifier"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    creator = models.CharField(_("creator"), max_length=300, blank=True, help_text=_("Author or producer."))
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    date = models.CharField(
        _("date"),
        max_length=10,
        blank=True,
        validators=[validate_w3cdtf],
        help_text=_("Publication date: a year, a month (2024-05) or a day (2024-05-17)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GUIDE)
    format = models.CharField(
        _("format"), max_length=100, blank=True, help_text=_("Media type (application/pdf) or physical format.")
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="fr")
    identifier = models.CharField(
        _("identifier"), max_length=300, blank=True, help_text=_("ISBN, DOI, call number in the library…")
    )
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("The work this one derives from."))
    rights = models.CharField(
        _("rights and licence"), max_length=300, blank=True, help_text=_("For example CC BY 4.0, or © the publisher.")
    )
    areas = models.ManyToManyField(
        "cite.Area",
        blank=True,
        related_name="records",
        verbose_name=_("themes"),
        help_text=_("The centre's areas this record helps with."),
    )
    keywords = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("keywords"),
        blank=True,
        default=list,
        help_text=_("Free keywords, separated by commas."),
    )
    coverage = models.CharField(
        _("coverage"), max_length=200, blank=True, help_text=_("Country or region the record is about.")
    )
    audiences = ArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name=_("audiences"),
        blank=True,
        default=list,
    )
    occupations = models.ManyToManyField(
        "resources.Occupation", blank=True, related_name="records", verbose_name=_("occupations (ESCO)")
    )
    isco_groups = models.ManyToManyField(
        "resources.IscoGroup", blank=True, related_name="records", verbose_name=_("occupation groups (ISCO-08)")
    )
    url = models.URLField(_("external address"), max_length=1000, blank=True)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to="resources/thumbnails/%Y/", storage=private_storage, blank=True, editable=False
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )

    # Provenance of records harvested from a sister centre (read-only here).
    source_centre = models.ForeignKey(
        "cite.Centre",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="harvested_records",
        verbose_name=_("source centre"),
        help_text=_("Empty for this centre's own records."),
    )
    origin_identifier = models.CharField(_("original OAI identifier"), max_length=500, blank=True, editable=False)
    origin_datestamp = models.DateTimeField(_("original datestamp"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    datestamp = models.DateTimeField(
        _("last change"), default=timezone.now, editable=False, help_text=_("The OAI-PMH datestamp.")
    )
    was_published = models.BooleanField(
        _("published once"), default=False, editable=False, help_text=_("Shared with the network at least once.")
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    handed_out = models.PositiveIntegerField(
        _("times handed out"), default=0, editable=False, help_text=_("How often counsellors handed it to a visitor.")
    )

    # Kept up to date by resources.services.refresh_search_index.
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)
    # The title and keywords alone, weighted as in search_vector: a broad search ranks the records whose
    # title or keywords hold the words first, without reading every match (resources.selectors).
    title_vector = SearchVectorField(_("title and keywords vector"), null=True, editable=False)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    isco_codes = ArrayField(
        models.CharField(max_length=4),
        verbose_name=_("ISCO-08 codes"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Every ISCO-08 group the record is classified under, at every level."),
    )

    objects = LiveRecordManager()
    all_objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ["-created_at", "-id"]
        base_manager_name = "all_objects"
        default_manager_name = "objects"
        permissions = [
            ("import_record", _("Can import records from CSV")),
            ("export_record", _("Can export records as CSV")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_centre", "origin_identifier"],
                condition=models.Q(source_centre__isnull=False),
                name="resources_record_origin_unique",
                violation_error_message=_("A record with this identifier was already harvested from this centre."),
            ),
            models.CheckConstraint(
                condition=models.Q(source_centre__isnull=True) | ~models.Q(origin_identifier=""),
                name="resources_record_harvested_has_origin",
                violation_error_message=_("A harvested record keeps its identifier at the centre it comes from."),
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=["internal", "network", "public"]),
                name="resources_record_visibility_valid",
                violation_error_message=_("Choose who may see the record: this centre, the network or the public."),
            ),
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True) | models.Q(was_published=True),
                name="resources_record_tombstone_was_published",
                violation_error_message=_(
                    "Only a record once shared with the network is kept, deleted, for the sister centres."
                ),
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="resources_record_search"),
            GinIndex(fields=["title_vector"], name="resources_record_title_search"),
            # A fixed sixteenth of the live records (by id), which a broad search counts and facets and
            # multiplies by SAMPLE_BUCKETS (resources.selectors.search_catalogue): their search index, and
            # their visibility for the whole catalogue browsed without words.
            GinIndex(fields=["search_vector"], name="resources_record_search_sample", condition=IN_SAMPLE),
            models.Index(fields=["visibility"], name="resources_record_sample", condition=IN_SAMPLE),
            # Newest first, the catalogue's order without words.
            models.Index(
                fields=["-created_at", "-id"],
                name="resources_record_newest",
                condition=models.Q(deleted_at__isnull=True),
            ),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="resources_record_search_trgm"),
            GinIndex(fields=["isco_codes"], name="resources_record_isco"),
            GinIndex(fields=["audiences"], name="resources_record_audiences"),
            # The OAI-PMH lists, in their order and only over what they publish (`for_oai`): a harvest's
            # first page counts them from this index alone.
            models.Index(
                fields=["datestamp", "id"],
                name="resources_record_oai",
                condition=models.Q(source_centre__isnull=True)
                & (models.Q(visibility__in=["network", "public"]) | models.Q(was_published=True)),
            ),
            models.Index(fields=["kind"], name="resources_record_kind"),
            models.Index(fields=["language"], name="resources_record_language"),
            models.Index(fields=["visibility"], name="resources_record_visibility"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:record-detail", kwargs={"uuid": self.uuid})

    def get_public_url(self):
        return reverse("resources:public-record", kwargs={"uuid": self.uuid})

    @property
    def is_harvested(self):
        return self.source_centre_id is not None

    @property
    def is_published(self):
        return self.visibility in self.PUBLISHED

    @property
    def is_public(self):
        return self.visibility == self.Visibility.PUBLIC

    @property
    def search_config(self):
        return search_config(self.language)

    def get_audiences_display(self):
        labels = dict(self.Audience.choices)
        return [labels.get(value, value) for value in self.audiences]


def upload_to(instance, filename):
    return f"resources/files/{timezone.now():%Y/%m}/{instance.uuid}/{filename}"


class RecordFile(models.Model):
    """A file attached to a record; its type was checked from its content, never from its name."""

    record = models.ForeignKey(Record, models.CASCADE, related_name="files", verbose_name=_("record"))
    uuid = models.UUIDField(_("permanent identifier"), default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(
        _("file"), upload_to=upload_to, storage=private_storage, max_length=300, validators=[validate_upload]
    )
    name = models.CharField(_("file name"), max_length=255, editable=False)
    content_type = models.CharField(_("media type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:record-file", kwargs={"uuid": self.uuid})
