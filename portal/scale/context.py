"""What every domain of the generator shares: the sizes, the day, random streams and the people made so far."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from accounts.demo import person_name

# Every generated official's username starts so; `guard` tells generated data from real data by it.
PREFIX = "scale_"


@dataclass
class Context:
    sizes: object
    seed: int
    today: date
    loader: object
    password_hash: str
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(settings.TIME_ZONE))

    # accounts
    regions: dict = field(default_factory=dict)  # code -> Region
    counties: list = field(default_factory=list)  # codes of the counties in scope
    scope: list = field(default_factory=list)  # codes of every region in scope (province, cities, counties)
    departments: dict = field(default_factory=dict)  # (region code, unit type key) -> department id
    handler_departments: dict = field(default_factory=dict)  # region code -> [department ids with handlers]
    handlers: dict = field(default_factory=dict)  # department id -> [official ids]
    staff: dict = field(default_factory=dict)  # region code -> [official ids]
    cadres: dict = field(default_factory=dict)  # region code -> [official ids]
    reviewers: dict = field(default_factory=dict)
    admin_id: int = 0
    official_region: dict = field(default_factory=dict)  # official id -> region code

    county_enterprises: dict = field(default_factory=dict)  # county code -> how many enterprises
    # enterprises: parallel lists indexed by position
    enterprise_ids: list = field(default_factory=list)
    enterprise_region: list = field(default_factory=list)
    enterprise_size: list = field(default_factory=list)
    enterprise_person: list = field(default_factory=list)
    enterprise_created: list = field(default_factory=list)
    by_county: dict = field(default_factory=dict)  # county code -> [enterprise positions]
    assignments: list = field(default_factory=list)  # (id, position, official id, level, started, ended)
    region_cache: dict = field(default_factory=dict)

    @property
    def start(self):
        """The first day of the generated years."""
        return date(self.today.year - self.sizes.years + 1, 1, 1)

    @property
    def now(self):
        """The latest moment a generated record may carry: the start of `today`, or the run's time when that is
        earlier. Records of `today` itself are stamped at midnight, so the same seed and day give the same rows."""
        return min(self.loader.now, datetime.combine(self.today, time(0, 0), tzinfo=self.tz))

    def rng(self, domain):
        return random.Random(f"{self.seed}:{domain}")

    def at(self, day, hour=9, minute=0):
        """An aware datetime on `day`, never after the run's now."""
        moment = datetime.combine(day, time(hour, minute), tzinfo=self.tz)
        return min(moment, self.now)

    def person(self, rng):
        return person_name(rng)  # the demo's name maker: 王建国, 李丽华, 张磊

    def staff_for(self, code):
        """Staff of the region, or of the nearest region above that has some."""
        for key in (code, code[:4] + "00", code[:2] + "0000"):
            if self.staff.get(key):
                return self.staff[key]
        return []

    def in_region(self, code):
        """Positions of the enterprises of a region and the regions below it."""
        if code in self.by_county:
            return self.by_county[code]
        if code not in self.region_cache:
            prefix = code[:2] if code.endswith("0000") else code[:4]
            self.region_cache[code] = [
                position for county, positions in self.by_county.items() if county.startswith(prefix) for position in positions
            ]
        return self.region_cache[code]

    def days(self, first, last, rng):
        """A day between `first` and `last` inclusive."""
        span = (last - first).days
        return first + timedelta(days=rng.randint(0, max(span, 0)))
