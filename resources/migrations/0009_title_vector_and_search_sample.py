"""A title and keywords vector, the search index of a fixed sample of the records and the order
without words, so that a broad search ranks, counts and facets without reading every match
(resources.selectors.search_catalogue); every live record's vectors are rebuilt."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.math
import django.db.models.lookups
from django.db import migrations, models


def reindex(apps, schema_editor):
    # The library's own indexing function, so the vectors are built exactly as new records get them.
    from resources.services import refresh_search_index

    Record = apps.get_model("resources", "Record")
    refresh_search_index(record_ids=Record.objects.filter(deleted_at__isnull=True).values_list("id", flat=True))


IN_SAMPLE = models.Q(
    django.db.models.lookups.Exact(
        django.db.models.functions.math.Mod("id", models.Value(16), output_field=models.BigIntegerField()), 0
    ),
    ("deleted_at__isnull", True),
)


class Migration(migrations.Migration):
    dependencies = [("resources", "0008_constraint_messages_in_words")]

    operations = [
        migrations.AddField(
            model_name="record",
            name="title_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="title and keywords vector"
            ),
        ),
        migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="record",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title_vector"], name="resources_record_title_search"
            ),
        ),
        migrations.AddIndex(
            model_name="record",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=IN_SAMPLE, fields=["search_vector"], name="resources_record_search_sample"
            ),
        ),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(condition=IN_SAMPLE, fields=["visibility"], name="resources_record_sample"),
        ),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["-created_at", "-id"],
                name="resources_record_newest",
            ),
        ),
    ]
