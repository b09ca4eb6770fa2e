"""Capturing the security log in tests: every line as written, and parsed back as JSON."""

import json
import logging
from contextlib import contextmanager

from core.security_log import LOGGER_NAME, JsonLineFormatter


class CapturedLines(logging.Handler):
    """The lines the security log writes, through its own formatter."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.setFormatter(JsonLineFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))

    @property
    def entries(self):
        """Every line parsed as JSON: a line that is not one object fails here."""
        entries = [json.loads(line) for line in self.lines]
        assert all(isinstance(entry, dict) for entry in entries)
        return entries

    def named(self, event):
        return [entry for entry in self.entries if entry["event"] == event]

    def one(self, event):
        """The single line of `event`: none or two fail."""
        found = self.named(event)
        assert len(found) == 1, f"{len(found)} lines of {event}: {self.lines}"
        return found[0]

    def text(self):
        return "\n".join(self.lines)


@contextmanager
def captured_security_log():
    handler = CapturedLines()
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
