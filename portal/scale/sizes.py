"""How big a generated data set is: the presets and the options that change them."""

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Sizes:
    enterprises: int
    officials: int
    visits: int
    problems: int
    forums: int
    cases: int
    years: int = 5
    # Region-code prefixes the enterprises are spread over (empty: every county of the province).
    regions: tuple = ()

    def scaled(self, factor):
        """Every count times `factor` (years and regions unchanged), with a floor that keeps each domain alive."""
        floors = {"enterprises": 20, "officials": 0, "visits": 20, "problems": 10, "forums": 4, "cases": 2}
        counts = {name: max(floor, round(getattr(self, name) * factor)) for name, floor in floors.items()}
        return replace(self, **counts)

    def with_options(self, **options):
        known = {field.name for field in fields(self)}
        return replace(self, **{name: value for name, value in options.items() if name in known and value is not None})

    def describe(self):
        where = ", ".join(self.regions) if self.regions else "every county"
        return (
            f"{self.enterprises:,} enterprises ({where}), {self.officials:,} officials, {self.visits:,} visits, "
            f"{self.problems:,} problems, {self.forums:,} forums, {self.cases:,} cases over {self.years} years"
        )


PRESETS = {
    # For CI and tests: the counties of 济南 and 青岛, a few seconds on SQLite.
    "small": Sizes(
        enterprises=300, officials=150, visits=3_000, problems=900, forums=60, cases=20, years=2, regions=("3701", "3702")
    ),
    # The data set of issue 13: a province after five years of the campaign.
    "province": Sizes(
        enterprises=100_300, officials=4_830, visits=1_023_000, problems=311_000, forums=20_000, cases=600, years=5
    ),
}
