"""`manage.py loadtest [--users 20] [--duration 60] [--workers 4] [--url URL] [--think S] [--output FILE]`.

Run it after `manage.py generate_scale_data`, against the database `DATABASE_URL` names. Unless `--url` names
a running server (which must use that same database, or the check of the visits written finds none), it
starts gunicorn on a free loopback port against this process's database, with DEBUG off, and stops it
whatever happens. Simulated officials of every kind browse their pages and cadres log visits through the
visit form for the given time (bench/load.py says how). It prints the table, writes it to the file (with the
server's log beside it when it started one), and exits non-zero on any error or visit not found afterwards.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from bench.load import LoadError, Server, database_of_this_process, run, server_env, table


def _positive(kind):
    def parse(value):
        number = kind(value)
        if number <= 0:
            raise ValueError(value)
        return number

    parse.__name__ = kind.__name__  # argparse names the type in its message
    return parse


def _not_negative(value):
    number = float(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Load test: officials of every kind browse and cadres log visits against gunicorn on loopback for a fixed "
        "time; throughput, p50/p95/p99, errors and the visits written (after generate_scale_data)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=_positive(int), default=20, help="Simulated users (default 20; half are cadres).")
        parser.add_argument("--duration", type=_positive(float), default=60, help="Seconds of load (default 60).")
        parser.add_argument("--workers", type=_positive(int), default=4, help="gunicorn workers to start (default 4).")
        parser.add_argument("--url", default="", help="A running server to load instead of starting gunicorn.")
        parser.add_argument(
            "--think", type=_not_negative, default=0.0, help="Mean think time between requests in seconds (default 0)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the users' random choices (default 2026).")
        parser.add_argument("--output", default="var/load.txt", help="Where to write the table (default var/load.txt).")

    def handle(self, *args, **options):
        url = options["url"].rstrip("/")
        if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname):
            raise CommandError(f"--url must be an http:// or https:// address, not {url!r}.")
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        arguments = {
            "users": options["users"],
            "duration": options["duration"],
            "think": options["think"],
            "seed": options["seed"],
            "progress": lambda message: self.stderr.write(f"  {message}"),
        }
        log = output.with_name(f"{output.stem}-server.log")
        try:
            if url:
                report = run(base_url=url, server="a running server", **arguments)
            else:
                env = server_env(database=database_of_this_process())
                with Server(workers=options["workers"], env=env, log_path=log) as server:
                    self.stderr.write(f"  gunicorn with {options['workers']} workers at {server.url} (log: {log})")
                    report = run(
                        base_url=server.url,
                        server=f"gunicorn, {options['workers']} workers, started by loadtest",
                        server_cpu=server.cpu_seconds,
                        **arguments,
                    )
        except LoadError as error:
            raise CommandError(str(error)) from error
        text = table(report)
        self.stdout.write(text)
        output.write_text(text, encoding="utf-8")
        if report.failed:
            where = "" if url else f"; the server's log is {log}"
            raise CommandError(
                f"{report.error_count} error(s) and {len(report.lost)} visit(s) posted but not found; "
                f"the table is in {output}{where}."
            )
        self.stdout.write(f"No error and every visit posted is in the database; the table is in {output}.")
