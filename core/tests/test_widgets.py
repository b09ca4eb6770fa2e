"""The fast select writes the same HTML as Django's own select, options, groups and attributes included."""

import re

import pytest
from django import forms

from core.widgets import FastSelect, FastSelectMultiple

CHOICES = [("", "All"), ("a", "A & <b>"), (1, "one"), ("Group", [("x", "X"), ("y", "Y")])]


def _squeezed(html):
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize(
    ("fast", "django_widget", "value"),
    [(FastSelect, forms.Select, "a"), (FastSelect, forms.Select, None), (FastSelectMultiple, forms.SelectMultiple, ["a", "x"])],
)
def test_fast_select_writes_what_django_writes(fast, django_widget, value):
    attrs = {"class": "form-select", "data-searchable": "true"}
    ours = fast(attrs=attrs, choices=CHOICES).render("field", value, attrs={"id": "id_field"})
    theirs = django_widget(attrs=attrs, choices=CHOICES).render("field", value, attrs={"id": "id_field"})
    assert _squeezed(ours) == _squeezed(theirs)
    assert "A &amp; &lt;b&gt;" in ours  # labels escaped


def test_fast_select_marks_the_chosen_options():
    html = FastSelectMultiple(choices=CHOICES).render("field", ["x", "1"])
    assert '<option value="x" selected>' in html and '<option value="1" selected>' in html
    assert '<option value="y">' in html and " multiple" in html
