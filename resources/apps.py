from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cite.navigation import Entry
from cite.roles import BACK_OFFICE, COUNSELLOR, MANAGER, RECEPTION

EVERY_ROLE = ["resources.view_record", "resources.view_occupation", "resources.view_iscogroup"]


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Resources")

    role_permissions = {
        RECEPTION: EVERY_ROLE,
        COUNSELLOR: [*EVERY_ROLE, "resources.export_record"],
        BACK_OFFICE: [
            *EVERY_ROLE,
            "resources.add_record",
            "resources.change_record",
            "resources.delete_record",
            "resources.import_record",
            "resources.export_record",
            "resources.view_recordfile",
            "resources.add_recordfile",
            "resources.change_recordfile",
            "resources.delete_recordfile",
            "resources.view_sistercentre",
            "resources.harvest_centre",
            "resources.view_harvestrun",
            "resources.view_harvestrecorderror",
        ],
        MANAGER: [*EVERY_ROLE, "resources.export_record", "resources.view_harvestrun"],
    }

    navigation = [
        Entry(
            _("Library"),
            "resources:catalogue",
            "resources.view_record",
            _("Search the pooled document library: occupation sheets, guides, videos, websites…"),
        ),
        Entry(
            _("Occupations"),
            "resources:occupations",
            "resources.view_occupation",
            _("Browse ESCO occupations by ISCO-08 group and find the records about each one."),
        ),
    ]

    demo_steps = [("library", "resources.demo.build")]

    def ready(self):
        from django.db.backends.signals import connection_created

        connection_created.connect(set_trigram_threshold, dispatch_uid="resources.set_trigram_threshold")


def set_trigram_threshold(sender, connection, **kwargs):
    """pg_trgm's default word similarity (0.6) misses a swapped pair of letters (plombeir); 0.5 does not
    drown results in noise. Set once per database connection, for the typo-tolerant searches."""
    from django.conf import settings

    threshold = float(settings.RESOURCES_TRIGRAM_THRESHOLD)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(threshold)])
