"""Harvest the records the network's centres share (OAI-PMH), incrementally: meant for cron.

Each centre in turn; one centre's failure, whatever it is, never stops the others. A line per centre,
and an exit status of 1 when any could not be harvested completely.
"""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from tqdm import tqdm

from cite.models import Centre
from resources.harvest import HarvestError, harvest_centre

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Harvest every active sister centre that has an OAI-PMH base URL (or only those named)."

    def add_arguments(self, parser):
        parser.add_argument("centres", nargs="*", metavar="CENTRE", help="Name or id of a centre (default: all).")
        parser.add_argument("--full", action="store_true", help="Harvest everything again, not only what changed.")

    def handle(self, *args, centres, full, **options):
        queryset = Centre.objects.filter(is_active=True).exclude(oai_base_url="")
        if centres:
            condition = Q()
            for value in centres:
                condition |= Q(name=value) | (Q(pk=int(value)) if value.isascii() and value.isdigit() else Q())
            queryset = Centre.objects.filter(condition)
            if not queryset.exists():
                raise CommandError(f"No centre named {', '.join(centres)}.")
        failures = 0
        for centre in queryset.order_by("name"):
            with tqdm(desc=centre.name[:30], unit="record", disable=options["verbosity"] == 0) as bar:

                def on_progress(done, total, bar=bar):
                    bar.total = total
                    bar.update(done - bar.n)

                try:
                    run = harvest_centre(centre=centre, full=full, on_progress=on_progress)
                except HarvestError as error:
                    self.stderr.write(f"{centre}: {error.message}")
                    failures += 1
                    continue
                except Exception as error:  # the database went away while closing the run…
                    logger.exception("Harvest of %s failed", centre)
                    self.stderr.write(f"{centre}: {type(error).__name__}: {error}")
                    failures += 1
                    continue
            summary = (
                f"{centre}: {run.get_status_display()}, {run.created} created, {run.updated} updated, "
                f"{run.deleted} deleted, {run.failed} failed"
            )
            if run.message:
                summary += f" ({run.message})"
            if run.status == run.Status.FAILED:
                failures += 1
                self.stderr.write(summary)
            elif options["verbosity"]:
                self.stdout.write(summary)
        if failures:
            raise CommandError(f"{failures} centre(s) could not be harvested completely.")
