"""Build (or bring up to date) the demo centre, then print the demo logins."""

from django.core.management.base import BaseCommand
from django.db import connection
from tqdm import tqdm

from cite import demo


class Command(BaseCommand):
    help = "Build the demo centre: staff for every role and sample data of each capability. Idempotent."

    def handle(self, *args, **options):
        with tqdm(demo.steps(), desc="Demo centre", unit="step", disable=options["verbosity"] == 0) as steps:
            for label, step in steps:
                steps.set_postfix_str(label)
                step()
        # Fresh planner statistics for what was just written: without them PostgreSQL guesses from an
        # empty table and the queue's reads (the display's last calls) take a hundred times longer.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS("\nDemo centre ready. Log in at http://127.0.0.1:8000/ with:"))
            for email, roles in demo.logins():
                self.stdout.write(f"  {email:32}  {roles}")
            self.stdout.write(f"  password for every account: {demo.DEMO_PASSWORD}")
