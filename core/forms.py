"""Form pieces every domain shares: several files in one field, and a service's refusal shown on a form."""

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files in one field; cleans to a list (empty when none was chosen)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def add_service_errors(form, error):
    """Show a service's ValidationError on `form`: each message under the field it names when the form has
    that field, on the form as a whole otherwise. The page re-renders with nothing saved."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error)


def refusal_text(error):
    """A service's ValidationError as one sentence for a message at the top of the page (a move refused
    from a button that has no form of its own)."""
    return " ".join(error.messages)


def form_error_text(form):
    """Every error of an invalid `form` as one sentence, for a page that reports it in a message."""
    return " ".join(message for field_messages in form.errors.values() for message in field_messages)
