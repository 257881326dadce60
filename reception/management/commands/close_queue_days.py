"""Close the tickets earlier days left open (for cron, each night)."""

from django.core.management.base import BaseCommand

from reception.services import close_past_days


class Command(BaseCommand):
    help = "Cancel tickets of earlier days still waiting or at a desk, and end forgotten duties. For cron, nightly."

    def handle(self, *args, **options):
        closed = close_past_days()
        if options["verbosity"]:
            self.stdout.write(f"{closed} ticket(s) of earlier days closed.")
