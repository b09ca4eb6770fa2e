"""Load a year's official holiday schedule into the working-day calendar: `manage.py load_holidays 2027.csv`.

The file is a CSV (date,is_working_day,name, or 日期,是否上班,名称) or a JSON list of such days; see
problems.holidays. Every problem in the file is reported with its row, and nothing is written then.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from problems import holidays


class Command(BaseCommand):
    help = "Load a year's official holiday schedule (CSV or JSON: date, is_working_day, name) into the calendar."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the schedule file, .csv or .json")
        parser.add_argument("--year", type=int, help="refuse the file unless every day is of this year")

    def handle(self, *args, file, year=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as opened:
            data = opened.read(holidays.MAX_FILE_BYTES + 1)
        try:
            days = holidays.read_schedule(data, filename=path.name, year=year)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        added, changed, unchanged = holidays.load_schedule(days)
        self.stdout.write(f"{days[0].date.year}: {len(days)} days read; {added} added, {changed} changed, {unchanged} unchanged.")
