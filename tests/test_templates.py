"""Templates are code: no inline style, no state compared in a template, no line past the hard limit.

djLint formats and lints every template in the test command (`.djlintrc`: 120 columns); these tests keep
what djLint cannot: Django's tags cannot span lines, so a line holding one long tag or sentence may run
past 120, but never past HARD_LIMIT (some templates once had lines of 1,000 characters).
"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HARD_LIMIT = 200
ALL = sorted(TEMPLATES.rglob("*.html"))


def _lines(pattern):
    found = []
    for path in ALL:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(pattern, line):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:100]}")
    return found


def test_there_are_templates_to_check():
    assert len(ALL) > 50


def test_no_line_is_longer_than_the_hard_limit():
    long_lines = [
        f"{path.relative_to(TEMPLATES)}:{number} ({len(line)})"
        for path in ALL
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > HARD_LIMIT
    ]
    assert long_lines == []


def test_no_inline_style():
    assert _lines(r"\sstyle=") == [], "use a class (Bootstrap's or static/css/liaison.css)"


@pytest.mark.parametrize("field", ["status", "state", "outcome", "kind"])
def test_no_template_compares_a_records_state(field):
    """Which colour, which button, which sentence a state gets is decided in Python (status_colour, the
    lifecycle's `actions`, a named predicate), not by comparing strings here."""
    assert _lines(rf"\.{field}\s*(==|!=)") == []
