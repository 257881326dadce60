"""The sessions list, everyone's for managers, newest first: an index it reads backwards, built
without locking the table (CREATE INDEX CONCURRENTLY: a year of sessions stays writable meanwhile)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("counselling", "0004_constraint_messages_in_words")]

    operations = [
        AddIndexConcurrently(
            model_name="session",
            index=models.Index(fields=["started_at", "id"], name="counselling_session_newest_idx"),
        ),
    ]
