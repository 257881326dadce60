"""Empty private session notes past their retention period (for cron, each night)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from counselling.services import purge_old_notes


class Command(BaseCommand):
    help = "Empty the private notes of sessions older than COUNSELLING_NOTE_RETENTION_DAYS. For cron, nightly."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override the retention period, in days.")

    def handle(self, *args, **options):
        days = options["days"] if options["days"] is not None else settings.COUNSELLING_NOTE_RETENTION_DAYS
        emptied = purge_old_notes(older_than_days=days)
        if options["verbosity"]:
            self.stdout.write(f"{emptied} note(s) older than {days} days emptied.")
