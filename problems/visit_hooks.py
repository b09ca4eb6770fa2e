"""What the problem list makes of a visit (visits.services asks through core.registry.contributions,
so the visits layer below never imports this one).

- `visit_submitted(actor=, visit=, lines=)`: each line of a visit's "problems raised" becomes a problem
  raised on the visit (problems.services.raise_problem: source "visit", the visit linked, raised on the
  visit's date), in the submission's transaction; a line the problem list refuses undoes the submission,
  with the reason under the field. visits.services calls it once per visit.
- `registered_from(visit)`: the problems raised on a visit, for the visit's page.

A line's category: a line that begins with a category's name and a colon ("用地：…", "Land: …") is
filed under it; any other under "other" (其他), which the liaison office corrects at triage.
"""

import re

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from visits.services import Registered

from . import services
from .models import Category, Problem, Source

DEFAULT_CATEGORY = "other"
# "用地：…" or "Land: …": a category's name, key or English name before the first colon.
_CATEGORY_PREFIX = re.compile(r"^\s*([^:：]{1,40}?)\s*[:：]\s*(.*)$", re.DOTALL)


def _label(problem):
    first_line = problem.description.strip().splitlines()[0] if problem.description.strip() else ""
    return f"#{problem.pk} {first_line[:40]}"


def _categories():
    """Every active category by each name a cadre may type (lower case), and the default one."""
    by_name = {}
    for category in Category.objects.filter(is_active=True).order_by("-order", "-key"):
        for name in (category.name, category.name_en, category.key):
            if name:
                by_name[name.strip().lower()] = category
    default = by_name.get(DEFAULT_CATEGORY) or next(iter(by_name.values()), None)
    return by_name, default


def category_of(line, categories, default):
    """(category, description) of one problem line."""
    match = _CATEGORY_PREFIX.match(line)
    if match and match.group(1).strip().lower() in categories:
        return categories[match.group(1).strip().lower()], match.group(2).strip()
    return default, line.strip()


def visit_submitted(*, actor, visit, lines):
    """Raise a problem of each line on the submitted `visit`; returns them as Registered (label, page)."""
    categories, default = _categories()
    if default is None:
        raise ValidationError({"problems_raised": _("The problem list has no category in use: ask an administrator to add one.")})
    registered = []
    for number, line in enumerate(lines, start=1):
        category, description = category_of(line, categories, default)
        if not description:
            raise ValidationError(
                {
                    "problems_raised": _("Problem %(number)d names the category “%(category)s” but not the problem.")
                    % {"number": number, "category": category}
                }
            )
        try:
            problem = services.raise_problem(
                actor=actor,
                enterprise=visit.enterprise,
                category=category,
                description=description,
                source=Source.VISIT,
                visit=visit,
                raised_on=visit.visited_on,
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    "problems_raised": [
                        _("Problem %(number)d cannot be registered: %(reason)s") % {"number": number, "reason": message}
                        for message in error.messages
                    ]
                }
            ) from error
        registered.append(Registered(label=_label(problem), url=reverse("problems:detail", args=[problem.pk])))
    return registered


def registered_from(visit):
    """The problems raised on `visit` (from its lines or from its page), oldest first."""
    problems = Problem.objects.filter(visit=visit).only("pk", "description", "status").order_by("pk")
    return [
        Registered(label=_label(problem), url=reverse("problems:detail", args=[problem.pk]), note=problem.get_status_display())
        for problem in problems
    ]
