"""Form widgets shared by every app."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class AutocompleteMixin:
    """Renders only the chosen options; the browser fetches the others from `url` as the user types.

    Tens of thousands of enterprises cannot be a plain <select>: the field's queryset (already fenced
    to the user's region) still validates what is posted, but is never listed in full.
    """

    def __init__(self, url, attrs=None):
        super().__init__(attrs={**(attrs or {}), "data-autocomplete-url": url})

    def optgroups(self, name, value, attrs=None):
        chosen = [item for item in value if item not in ("", None)]
        field_choices = self.choices
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", field_choices.field.empty_label or "", not chosen, 0))
        if chosen:
            try:
                records = field_choices.queryset.filter(pk__in=chosen)
                for index, record in enumerate(records, start=len(options)):
                    label = field_choices.field.label_from_instance(record)
                    options.append(self.create_option(name, record.pk, label, True, index))
            except (ValueError, TypeError, OverflowError):  # OverflowError: a key beyond SQLite's integers
                pass  # a malformed value is reported by the field's validation, not here
        return [(None, options, 0)]


class AutocompleteSelect(AutocompleteMixin, forms.Select):
    pass


class AutocompleteSelectMultiple(AutocompleteMixin, forms.SelectMultiple):
    pass


class DateInput(forms.DateInput):
    """The browser's date picker. It needs ISO dates whatever the language, or it shows an empty field."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FastSelectMixin:
    """A <select> whose options are written in Python, not through one template include per option.

    Django renders every <option> with its own template: 0.2 ms each, so the province's two thousand
    departments cost 400 ms of a list page whose queries take 30. Same HTML, same attributes, same
    validation; only the writing is done here.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    ("" if option["value"] is None else option["value"], flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), mark_safe("".join(parts)))


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass
