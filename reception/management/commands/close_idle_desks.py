"""Close the desks whose counsellor has gone without leaving them (for cron, every few minutes)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from reception.services import close_idle_desks


class Command(BaseCommand):
    help = (
        "End the duties of counsellors not seen for RECEPTION_DESK_IDLE_MINUTES; tickets called to those desks go "
        "back to their queue. Pages that show desks do the same on their next request; cron makes it prompt."
    )

    def handle(self, *args, **options):
        closed = close_idle_desks()
        if options["verbosity"]:
            self.stdout.write(
                f"{closed} desk(s) closed after {settings.RECEPTION_DESK_IDLE_MINUTES} minutes without activity."
            )
