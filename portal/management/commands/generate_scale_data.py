"""`manage.py generate_scale_data`: a province's years of the campaign, for benchmarks and load tests.

    manage.py generate_scale_data --preset small            # CI and tests: a few seconds
    manage.py generate_scale_data --preset province         # issue 13's data set (PostgreSQL)
    manage.py generate_scale_data --preset province --scale 0.1 --seed 7
    manage.py generate_scale_data --enterprises 5000 --visits 50000 --regions 3701

It refuses a database holding records it did not make unless `--allow-existing` (and then it only adds
beside them, never deleting anything). Run again on its own finished data set, it adds nothing.
"""

import os
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.demo import DEFAULT_PASSWORD
from portal.scale import generate
from portal.scale.guard import foreign_data, generated_state
from portal.scale.loader import DEFAULT_BATCH
from portal.scale.sizes import PRESETS


def _positive(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


def _factor(value):
    number = float(value)
    if not 0 < number <= 100:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Generate a province-scale data set (enterprises, liaisons, visits, problems, forums, cases, reviews) in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="small", help="Sizes to start from (default: small).")
        parser.add_argument("--scale", type=_factor, default=1.0, help="Multiply every count of the preset (0 < factor <= 100).")
        for name in ("enterprises", "officials", "visits", "problems", "forums", "cases", "years"):
            parser.add_argument(f"--{name}", type=_positive, help=f"How many {name} (overrides the preset and --scale).")
        parser.add_argument("--regions", help="Region-code prefixes of the counties to fill, comma-separated (e.g. 3701,3702).")
        parser.add_argument("--seed", type=int, default=2026, help="The same seed and day give the same data set.")
        parser.add_argument("--today", type=date.fromisoformat, help="The day the data set ends (YYYY-MM-DD; default today).")
        parser.add_argument("--batch-size", type=_positive, default=DEFAULT_BATCH, help="Rows per committed batch.")
        parser.add_argument(
            "--allow-existing",
            action="store_true",
            help="Add the data set beside records the generator did not make (nothing is ever deleted).",
        )

    def handle(self, *args, **options):
        sizes = PRESETS[options["preset"]].scaled(options["scale"])
        sizes = sizes.with_options(
            **{name: options[name] for name in ("enterprises", "officials", "visits", "problems", "forums", "cases", "years")}
        )
        if options["regions"]:
            prefixes = tuple(part.strip() for part in options["regions"].split(",") if part.strip())
            if not all(prefix.isdigit() and 2 <= len(prefix) <= 6 for prefix in prefixes):
                raise CommandError(_("--regions takes region-code prefixes such as 3701,3702."))
            sizes = sizes.with_options(regions=prefixes)
        if sizes.years < 1:
            raise CommandError(_("--years must be at least 1."))
        if options["batch_size"] < 1:
            raise CommandError(_("--batch-size must be at least 1."))

        state = generated_state()
        if state == "complete":
            self.stdout.write(
                _("This database already holds a generated data set: nothing was added. Generate another one in a new database.")
            )
            return
        if state == "partial":
            raise CommandError(
                _(
                    "An earlier run of the generator stopped before it finished: its records are incomplete. "
                    "Nothing was added or deleted; drop this database, create it again and rerun the generator."
                )
            )
        if not options["allow_existing"]:
            foreign = foreign_data()
            if foreign:
                raise CommandError(
                    _(
                        "This database holds %(kinds)s that the generator did not make, so it looks like real data. "
                        "Nothing was added. Use an empty database (after migrate), or pass --allow-existing to add the "
                        "generated records beside them; nothing is ever deleted."
                    )
                    % {"kinds": ", ".join(foreign)}
                )

        today = options["today"] or timezone.localdate()
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        self.stdout.write(f"Generating {sizes.describe()}, seed {options['seed']}, up to {today.isoformat()}:")
        started = time.monotonic()
        with translation.override("zh-hans"):
            ctx, loader = generate(
                sizes=sizes,
                seed=options["seed"],
                today=today,
                password=password,
                out=self.stdout.write,
                batch_size=options["batch_size"],
            )
        total = sum(loader.written.values())
        self.stdout.write(self.style.SUCCESS(f"Done: {total:,} rows in {time.monotonic() - started:.1f} s."))
        county = max(ctx.counties, key=lambda code: ctx.county_enterprises.get(code, 0))
        city = county[:4] + "00"
        province = ctx.scope[0]
        logins = [
            ("province staff", ctx.staff[province][0]),
            ("city staff", ctx.staff[city][0]),
            ("county staff", ctx.staff[county][0]),
            ("reviewer", ctx.reviewers[province][0]),
            ("administrator", ctx.admin_id),
        ]
        if ctx.cadres.get(county):
            logins.append(("county cadre", ctx.cadres[county][0]))
        handlers = [official for department in ctx.handler_departments.get(county, []) for official in ctx.handlers[department]]
        if handlers:
            logins.append(("county handler", handlers[0]))
        from accounts.models import User

        names = dict(User.objects.filter(pk__in=[pk for _label, pk in logins]).values_list("pk", "username"))
        self.stdout.write(f"Logins (password {password}):")
        for label, pk in logins:
            self.stdout.write(f"  {names[pk]:<32} {label}")
