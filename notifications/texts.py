"""A notification's words, stored untranslated and put into the reader's language when read.

A notification is written once (by a reminder task, after a move) and read later, by officials whose
pages may be in another language than the portal's, and sent by e-mail in the recipient's language.
So its title and body are stored as messages: the English msgid (with its context and plural when it
has them) and its parameters, each parameter a plain value (a name, a number, a date) or a message of
its own (a status label, a line of a list). `render` translates them in the active language.

Callers write what they would write for a page, with the lazy functions makemessages knows:

    Text(gettext_lazy("Problem referred to you: %(problem)s"), problem=label)
    Text(ngettext_lazy("and %(count)d more problem", "and %(count)d more problems", "count"), count=3)
    Text(pgettext_lazy("forum", "Planned"))
    Lines(first_line, second_line)          # one message per line, joined by line breaks
    Names(category.name, en=category.name_en)   # data kept in two languages
    Text("%(enterprise)s · %(category)s", enterprise=..., category=...)   # no msgid: a pattern kept as it is

and pass the `Text` as `title` or `body` to notifications.services.notify. A plain string is stored as
it is: words an official typed (a justification, a comment) are not translated.
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils import translation
from django.utils.functional import Promise

# The lazy functions whose call a stored message can repeat, by the name of the eager function they defer.
_EAGER = {
    "gettext": translation.gettext,
    "pgettext": translation.pgettext,
    "ngettext": translation.ngettext,
    "npgettext": translation.npgettext,
}


class Text:
    """A message and its parameters, translated when it is turned into a string."""

    def __init__(self, message, /, **params):
        self.message = describe(message)
        self.params = {name: as_json(value) for name, value in params.items()}

    def as_json(self):
        return {**self.message, "params": self.params} if self.params else dict(self.message)

    def __str__(self):
        return render(self.as_json())

    def __repr__(self):
        return f"Text({self.as_json()!r})"


class Lines:
    """Messages shown one a line (a reminder's list), each translated on its own."""

    def __init__(self, *lines):
        self.lines = [as_json(line) for line in lines]

    def as_json(self):
        return {"lines": self.lines}

    def __str__(self):
        return render(self.as_json())


class Names:
    """A name kept by the data in several languages (a category's 名称 and its English name): the one of the
    reader's language, else the default. `Names("营商环境", en="Business environment")`."""

    def __init__(self, default, /, **by_language):
        self.names = {"": default, **{code.replace("_", "-"): name for code, name in by_language.items() if name}}

    def as_json(self):
        return {"names": self.names}

    def __str__(self):
        return render(self.as_json())


def describe(message):
    """The stored form of a message given as a lazy translation (gettext_lazy, pgettext_lazy,
    ngettext_lazy, npgettext_lazy) or as a plain string (kept as it is)."""
    if isinstance(message, Promise):
        func, args, kwargs = _lazy_call(message)
        name = getattr(func, "__name__", "")
        if name not in _EAGER:
            raise TypeError(f"a notification cannot store a lazy {name or func!r}; use gettext_lazy and its kin")
        if name == "gettext":
            return {"msgid": args[0]}
        if name == "pgettext":
            return {"context": args[0], "msgid": args[1]}
        # ngettext_lazy/npgettext_lazy: the count is a parameter named by `number`, or a number given now.
        names = ("context", "singular", "plural", "number") if name == "npgettext" else ("singular", "plural", "number")
        values = dict(zip(names, args, strict=False))
        values.update(kwargs)
        described = {"msgid": values["singular"], "plural": values["plural"], "number": values.get("number")}
        if "context" in values:
            described["context"] = values["context"]
        return described
    if isinstance(message, str):
        return {"text": message}
    raise TypeError(f"a notification's message is a lazy translation or a string, not {type(message).__name__}")


def _lazy_call(promise):
    """(function, args, kwargs) of a lazy translation: what pickling it would store."""
    reduced = promise.__reduce__()
    _unpickle, state = reduced[0], reduced[1]
    if len(state) == 4 and isinstance(state[3], dict):  # lazy_number's own: (func, resultclass, number, kwargs)
        func, _resultclass, number, kwargs = state
        return func, (), {**kwargs, "number": number}
    func, args, kwargs = state[0], state[1], state[2]
    return func, tuple(args), dict(kwargs)


def as_json(value):
    """A parameter or a message in the form stored in the notification's JSON."""
    if isinstance(value, (Text, Lines, Names)):
        return value.as_json()
    if isinstance(value, Promise):
        return describe(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)  # a region, an enterprise: its name, which is not translated


def render(stored):
    """The stored message in the active language."""
    if stored is None or isinstance(stored, (bool, int, float)):
        return "" if stored is None else str(stored)
    if isinstance(stored, str):
        return stored
    if "lines" in stored:
        return "\n".join(render(line) for line in stored["lines"])
    if "names" in stored:
        return _name_in_language(stored["names"])
    params = {name: _param(value) for name, value in (stored.get("params") or {}).items()}
    if "text" in stored:
        translated = stored["text"]  # not a msgid: words kept as they are, filled in with their parameters
    else:
        translated = _translate(stored, params)
    if not params:
        return translated
    for sentence in (translated, _untranslated(stored, params)):
        try:
            return sentence % params
        except (KeyError, TypeError, ValueError):
            # A catalogue whose translation lost a placeholder: the English sentence, whole, rather than an error.
            continue
    return translated


def _param(value):
    if isinstance(value, dict):
        return render(value)
    return value


def _count(stored, params):
    number = stored.get("number")
    if isinstance(number, str):
        number = params.get(number, 0)
    try:
        return int(number or 0)
    except (TypeError, ValueError):
        return 0


def _translate(stored, params):
    context = stored.get("context")
    if "plural" in stored:
        count = _count(stored, params)
        if context:
            return translation.npgettext(context, stored["msgid"], stored["plural"], count)
        return translation.ngettext(stored["msgid"], stored["plural"], count)
    if context:
        return translation.pgettext(context, stored["msgid"])
    return translation.gettext(stored["msgid"])


def _name_in_language(names):
    language = translation.get_language() or ""
    for code, name in names.items():
        if code and name and language.startswith(code):
            return name
    return names.get("", "")


def _untranslated(stored, params):
    if "text" in stored:
        return stored["text"]
    if "plural" in stored:
        return stored["msgid"] if _count(stored, params) == 1 else stored["plural"]
    return stored["msgid"]
