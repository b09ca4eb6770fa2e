"""Form widgets shared by every app."""

from django import forms


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
            except (ValueError, TypeError):
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
