"""Import ESCO occupations and ISCO-08 groups from the CSV files of ESCO's download."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from resources.esco import EscoImportError, import_esco


class Command(BaseCommand):
    help = (
        "Import ESCO's CSV download (ISCOGroups_<lang>.csv and occupations_<lang>.csv, any languages) "
        "from DIR. Idempotent: concepts are matched by their URI."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="Folder holding ESCO's CSV files.")

    def handle(self, *args, directory, **options):
        with tqdm(desc="ESCO", unit="row", disable=options["verbosity"] == 0) as bar:

            def on_progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            try:
                result = import_esco(directory=directory, on_progress=on_progress)
            except EscoImportError as error:
                raise CommandError(str(error.message)) from None
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {result.groups} ISCO-08 groups, {result.occupations} occupations and "
                    f"{result.labels} labels in {', '.join(result.languages)}."
                )
            )
            for uri, reason in result.skipped:
                self.stderr.write(f"skipped {uri}: {reason}")
