"""Rebuild the search index of every record: words joined by a slash ("plombier/plombière", as ESCO's
labels and many titles write them) were indexed as one token, found by neither word."""

from django.db import migrations


def reindex(apps, schema_editor):
    # The library's own indexing function, so the index is built exactly as new records get it.
    from resources.services import refresh_search_index

    Record = apps.get_model("resources", "Record")
    refresh_search_index(record_ids=Record.objects.filter(deleted_at__isnull=True).values_list("id", flat=True))


class Migration(migrations.Migration):
    dependencies = [("resources", "0005_oai_index_of_published_records")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True)]
