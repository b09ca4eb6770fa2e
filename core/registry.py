"""How an app contributes to a page that gathers the others, without that page importing the app.

Every app may have modules of the same names (see ARCHITECTURE.md):

- `timeline.py` with `enterprise_events(enterprise)`: the events it adds to an enterprise's timeline;
- `todo.py` with `todo_items(user, *, today)`: the entries it adds to the home page's "needs my
  attention" (the first few), optionally `todo_total(user, *, today)`: a `TodoTotal`, how many there are
  in all and the page that lists them, and optionally `home_panels(user, *, today)`: cards it adds to
  the home page.

`contributions(module, name)` finds them in the order of INSTALLED_APPS: a page lower in the layers
(the enterprise's timeline) or at the top (the home page) asks for them by name, so no import points up.
"""

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class Panel:
    """A card an app adds to the home page: a template and its context, shown before the to-do list or
    after it."""

    template: str
    context: dict = field(default_factory=dict)
    after_todo: bool = False


@dataclass(frozen=True)
class TodoTotal:
    """How many to-do entries an app has for the user in all (its `todo_items` gives the first few), and
    the page that lists every one of them, by its name: the home page says how many it leaves out."""

    count: int
    url: str
    label: str


@cache
def contributions(module_name, name):
    """`name` from each installed app's `module_name` module that defines it, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        path = f"{config.name}.{module_name}"
        try:
            module = import_module(path)
        except ModuleNotFoundError as error:
            if error.name == path:
                continue
            raise
        if hasattr(module, name):
            found.append(getattr(module, name))
    return tuple(found)
