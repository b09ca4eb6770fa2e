"""The one shape of every stateful record (problems, cases, forums, reviews, visit drafts).

Each app that owns such a record declares, in its own lifecycle module:

- one table, `{(state, action): Move(to, who)}`: which action is allowed in which state, the state it
  leads to, and who may take it (`who` names a predicate of the app's `access.py`);
- a `Lifecycle` built from that table and those predicates, which answers `available_actions(user,
  record)` for views and templates (the buttons a page offers) and `check(record, action, actor)` for the
  moves;
- the moves themselves: keyword-only functions, `actor` first, atomic, that `lock()` the row, `check()`
  the move, change the record and `record()` an event on its timeline.

A refused move is a `ValidationError` with a code a test can assert: `invalid_move` when the state does
not allow the action, `not_allowed` when the actor may not take it. Its message is a whole translated
sentence the page shows where the user acted.
"""

from collections import namedtuple

from django.core.exceptions import ValidationError

Move = namedtuple("Move", ["to", "who"])

INVALID_MOVE = "invalid_move"
NOT_ALLOWED = "not_allowed"


class Lifecycle:
    """A record's table of moves and the predicates naming who may take them.

    `predicates` maps each `who` of the table to a function `(user, record) -> bool`. `invalid_move`
    is a function `(record, action) -> message` for a move the state does not allow; `refusal` a function
    `(user, record, who) -> message` for an actor the table does not name. `offered`, when given, is a
    function `(user, record, action) -> bool` that leaves out of `available_actions` an action the
    table allows but the record's details do not (say, of two kinds of return only the one that applies).
    """

    def __init__(self, *, table, predicates, invalid_move, refusal, state="status", offered=None):
        missing = {move.who for move in table.values()} - set(predicates)
        if missing:
            raise ValueError(f"No predicate for {sorted(missing)}")
        self.table = table
        self.predicates = predicates
        self.state = state
        self._invalid_move = invalid_move
        self._refusal = refusal
        self._offered = offered

    def state_of(self, record):
        return getattr(record, self.state)

    def move(self, record, action):
        """The table's move for `action` from the record's state, or None."""
        return self.table.get((self.state_of(record), action))

    def may(self, user, record, who):
        return bool(self.predicates[who](user, record))

    def allows(self, user, record, action):
        move = self.move(record, action)
        return move is not None and self.may(user, record, move.who)

    def available_actions(self, user, record):
        """The actions `user` may take on `record` now, in the table's order."""
        state = self.state_of(record)
        actions = []
        for (from_state, action), move in self.table.items():
            if from_state != state or action in actions or not self.may(user, record, move.who):
                continue
            if self._offered is not None and not self._offered(user, record, action):
                continue
            actions.append(action)
        return actions

    def offers(self, user, record):
        """`available_actions` as a mapping for templates: `{% if actions.publish %}` shows the publish button."""
        return {str(action): True for action in self.available_actions(user, record)}

    def refusal_for_state(self, record, action):
        """The sentence that refuses `action` from the record's state (for a caller that reports it under
        a field of its own form)."""
        return self._invalid_move(record, action)

    def check(self, record, action, actor):
        """The state `action` leads to; a coded ValidationError when the table does not allow it from the
        record's state (`invalid_move`) or does not name `actor` (`not_allowed`). `actor=None` is the
        system (a scheduled task), which the table's predicates are not asked about."""
        move = self.move(record, action)
        if move is None:
            raise ValidationError(self._invalid_move(record, action), code=INVALID_MOVE)
        if actor is not None and not self.may(actor, record, move.who):
            raise ValidationError(self._refusal(actor, record, move.who), code=NOT_ALLOWED)
        return move.to

    def actions(self):
        """Every action of the table, in its order, once."""
        return list(dict.fromkeys(action for (_, action) in self.table))

    def states(self):
        return list(dict.fromkeys(state for (state, _) in self.table))


def lock(record, *related):
    """The record's row read again and locked until the transaction ends, so two officials acting at once
    cannot both move it from the same state. Only the record's own table is locked (PostgreSQL refuses
    FOR UPDATE on the nullable side of an outer join); `related` are fetched with it."""
    manager = type(record)._default_manager
    return manager.select_for_update(of=("self",)).select_related(*related).get(pk=record.pk)


def record(record, kind, actor, *, events="events", **fields):
    """Write one event on the record's timeline (its `events` relation): the step, who took it and, when
    the event model keeps it, the state the step left the record in."""
    manager = getattr(record, events)
    if "status" not in fields and any(field.name == "status" for field in manager.model._meta.get_fields()):
        fields["status"] = record.status
    return manager.create(kind=kind, actor=actor, **fields)


def required_text(text, message, *, field=None):
    """`text` stripped; a ValidationError with `message` (under `field` when given) when it is empty."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message} if field else message, code="required")
    return text
