"""The traffic light (红黄绿灯) shared by visits, problem deadlines and forum periods.

Red: overdue. Yellow: due soon. Green: on track. Each domain decides which light a record shows (visits
by the cadence, problems by working days to the deadline, forums by the period's state); how a light
looks is decided here, once, so a template never compares state strings to pick a colour.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Light(TextChoices):
    # Most urgent first: the order of every plan and every filter.
    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    ON_TRACK = "on_track", _("On track")

    @property
    def colour(self):
        """Bootstrap's contextual colour of the light: danger, warning or success."""
        return {"overdue": "danger", "due_soon": "warning", "on_track": "success"}[self.value]

    @property
    def urgency(self):
        """0 for red, 1 for yellow, 2 for green: sort by it to show the most urgent first."""
        return {"overdue": 0, "due_soon": 1, "on_track": 2}[self.value]
