"""Move signed agreements whose end date has passed to *expired*. Meant for cron, once a day."""

from django.core.management.base import BaseCommand

from partners.models import Agreement, local_today
from partners.services import expire_agreements


class Command(BaseCommand):
    help = "Expire the signed agreements whose end date has passed, and list those ending within 60 days."

    def handle(self, *args, **options):
        today = local_today()
        expired = expire_agreements(today=today)
        if options["verbosity"]:
            self.stdout.write(f"{expired} agreement(s) expired.")
            for agreement in Agreement.objects.ending_soon(today).select_related("institution").order_by("end_date"):
                self.stdout.write(f"Ending on {agreement.end_date:%Y-%m-%d}: {agreement.institution} — {agreement}")
