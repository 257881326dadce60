"""Roll closed days up into the statistics' rollup tables (for cron, each night after close_queue_days)."""

from django.core.management.base import BaseCommand, CommandError

from cite.dates import BadDate, parse_date
from stats.services import roll_up_closed_days


class Command(BaseCommand):
    help = (
        "Count closed days not rolled up yet, and the last days again, into the statistics' rollup tables. "
        "For cron, nightly, after close_queue_days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--again", type=int, default=7, help="Roll up the last N days again (default 7).")
        parser.add_argument(
            "--since",
            help="Roll up every day from this date (YYYY-MM-DD) again: after correcting past days or upgrading to "
            "new definitions (docs/statistics-definitions.md).",
        )

    def handle(self, *args, again, since, **options):
        if since:
            try:
                since = parse_date(since)
            except BadDate as error:
                raise CommandError(f"--since must be a date such as 2025-01-01: {error.message}") from None
        if again < 0:
            raise CommandError("--again must be 0 or more.")
        rolled = roll_up_closed_days(again=again, since=since)
        if options["verbosity"]:
            self.stdout.write(f"{rolled} day(s) rolled up.")
