"""The shared template components render what they promise, escaped, with "—" for nothing."""

from types import SimpleNamespace

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from core.traffic import Light


def render(source, **context):
    return Template("{% load components %}" + source).render(Context(context))


def test_field_row_escapes_its_value_and_shows_a_dash_for_nothing():
    html = render("{% field_row 'Venue' venue testid='venue' %}", venue="<b>会议室</b>")
    assert '<dt class="col-sm-4">Venue</dt>' in html and "&lt;b&gt;会议室&lt;/b&gt;" in html and 'data-testid="venue"' in html
    assert "—" in render("{% field_row 'Venue' '' %}")
    assert ">0<" in render("{% field_row 'Employees' count %}", count=0).replace("\n", "").replace(" ", "")


def test_field_block_keeps_its_markup_and_lays_out_compactly():
    html = render(
        "{% field 'Contact' layout='compact' value_class='font-monospace' %}<a href='tel:1'>{{ name }}</a>{% endfield %}",
        name="<i>张</i>",
    )
    assert '<dt class="col-5">Contact</dt>' in html and 'class="col-7 font-monospace"' in html
    assert "<a href='tel:1'>&lt;i&gt;张&lt;/i&gt;</a>" in html
    assert "—" in render("{% field 'Empty' %}  {% endfield %}")


def test_field_refuses_an_unknown_option():
    with pytest.raises(TemplateSyntaxError):
        render("{% field 'Label' colour='red' %}x{% endfield %}")


def test_status_badge_takes_its_colour_from_the_record():
    record = SimpleNamespace(status="held", get_status_display=lambda: "已召开", status_colour="success")
    html = render("{% status_badge record 'forum-status' %}", record=record)
    assert 'class="badge text-bg-success"' in html and 'data-status="held"' in html and "已召开" in html


def test_light_badge_colours_each_light_and_shows_nothing_without_one():
    assert "text-bg-danger" in render("{% light_badge light %}", light=Light.OVERDUE)
    assert "text-bg-warning" in render("{% light_badge 'due_soon' 'soon' %}")
    assert render("{% light_badge light %}", light="").strip() == ""


class FilterForm(forms.Form):
    q = forms.CharField(label="Search <name>", required=False, help_text="Part of a name")
    status = forms.ChoiceField(label="Status", choices=[("", "All"), ("open", "Open")], required=False)
    since = forms.DateField(label="From", required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)


def test_filter_field_lays_out_a_field_as_bootstrap_does():
    form = FilterForm({"q": "<x>", "status": "open"})
    form.is_valid()
    q = render("{% filter_field field %}", field=form["q"])
    assert q.startswith('<div id="div_id_q" class="mb-3"><label for="id_q" class="form-label">Search &lt;name&gt;</label>')
    assert 'class="form-control"' in q and 'value="&lt;x&gt;"' in q
    assert 'aria-describedby="id_q_helptext"' in q and '<div id="id_q_helptext" class="form-text">Part of a name</div>' in q
    status = render("{% filter_field field %}", field=form["status"])
    assert '<select name="status" class="form-select"' in status and '<option value="open" selected>' in status
    assert render("{% filter_field field %}", field=form["hidden"]).startswith('<input type="hidden"')


def test_filter_field_shows_errors_beside_the_control():
    with translation.override("en"):
        form = FilterForm({"since": "not a date"})
        form.is_valid()
        html = render("{% filter_field field %}", field=form["since"])
    assert 'class="form-control is-invalid"' in html and 'aria-describedby="id_since_errors"' in html
    assert '<div id="id_since_errors" class="invalid-feedback d-block"><strong>Enter a valid date.</strong></div>' in html


def test_a_required_multiple_file_field_refuses_no_file():
    from django.core.exceptions import ValidationError

    from core.forms import MultipleFileField

    with pytest.raises(ValidationError):
        MultipleFileField(required=True).clean([])
    assert MultipleFileField(required=False).clean([]) == []
