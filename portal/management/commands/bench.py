"""`manage.py bench [--repeat N] [--output FILE]`: the key pages as every kind of official, beside Django's admin.

Run it after `manage.py generate_scale_data` against the database `DATABASE_URL` names. It prints the table,
writes it to the file, and exits non-zero naming every page that answered other than 200/302 or made more
queries than its bound (bench/pages.py).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.run import BenchError, run, table


def _repeat(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Benchmark the key pages as every kind of official, beside Django's admin changelists (after generate_scale_data)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=_repeat, default=5, help="Requests per page (default 5).")
        parser.add_argument("--output", default="var/bench.txt", help="Where to write the table (default var/bench.txt).")

    def handle(self, *args, **options):
        try:
            header, results, skipped = run(
                repeat=options["repeat"], progress=lambda r: self.stderr.write(f"  {r.user} / {r.page}")
            )
        except BenchError as error:
            raise CommandError(str(error)) from error
        text = table(header, results, skipped)
        self.stdout.write(text)
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        failures = [r.failure for r in results if r.failure]
        if failures:
            raise CommandError("Pages over their bound or not answering 200/302:\n" + "\n".join(failures))
        self.stdout.write(f"Every page answered and stayed under its query bound; the table is in {output}.")
