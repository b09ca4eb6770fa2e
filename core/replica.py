"""Whether the code running now may read from the read replica (`DATABASE_REPLICA_URL`).

Reads go to the primary unless the code running has opted in, and a write ends the opt-in: once the
request or task has written anything, its later reads go to the primary too, so it always reads what it
wrote. Two things opt in:

- a request to a list, export or dashboard (`REPLICA_READ_VIEWS`), by a user who has not written in the
  last `REPLICA_PIN_SECONDS` (the middleware in `liaison/db_router.py`, which also holds the router);
- a block of code wrapped in `reading_from_replica()`, for a Celery task that reads much and writes
  little, such as a background export. Wrap only the reading part: the task's own status writes belong
  outside the block (a write inside it sends the rest of the block to the primary).

The state is a context variable, so each request, thread and task has its own. It lives here, in the
bottom layer, so that any app's task may use `reading_from_replica()`; the router and the middleware
are wiring and live in `liaison/`. Without a replica configured the state is kept but nothing reads it.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

REPLICA = "replica"  # the alias DATABASE_REPLICA_URL configures


@dataclass
class ReadState:
    """What the running request or block may do: `allowed` to read from the replica until it `wrote`."""

    allowed: bool = False
    wrote: bool = False

    @property
    def may_read_replica(self):
        return self.allowed and not self.wrote


_current = ContextVar("replica_read_state", default=None)


def current_state():
    """The state of the running request or block, or None outside both (a Celery task, a command)."""
    return _current.get()


@contextmanager
def read_state(*, allowed):
    """Run a block with a state of its own (the middleware opens one per request); yields the state."""
    state = ReadState(allowed=allowed)
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


@contextmanager
def reading_from_replica():
    """Let the reads of this block go to the replica, until the block writes (then to the primary).

    Reads inside `transaction.atomic` still go to the primary. Without a replica, a no-op.
    """
    with read_state(allowed=True) as state:
        yield state
