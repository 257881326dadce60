"""PostgreSQL extensions that search relies on, the shared cache table, and the four staff roles."""

from django.contrib.auth.management import create_permissions
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def create_roles(apps, schema_editor):
    from cite.roles import create_roles

    # Permissions are normally created after migrate; create those known so far to attach them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    create_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cite", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
