"""Form pieces every domain shares: the search text of a query string, several files in one field, and a
service's refusal shown on a form."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .attachments import ACCEPT, MAX_FILES, check_attachment

# The longest text a search box or an autocomplete searches for: longer is not a name anyone typed.
SEARCH_MAX_LENGTH = 200


class SearchForm(forms.Form):
    """The text `q` a search box or an autocomplete sends in the query string: trimmed, without a NUL
    character (CharField's ProhibitNullCharactersValidator refuses it), at most SEARCH_MAX_LENGTH long."""

    q = forms.CharField(required=False, max_length=SEARCH_MAX_LENGTH)


def search_text(params):
    """The search text of the query string `params`: "" when none, None when malformed (a search nobody
    could have typed, which finds nothing)."""
    form = SearchForm(params)
    return form.cleaned_data["q"] if form.is_valid() else None


# The days a list may be filtered by. A day outside them is a slip or a forged address, and the end of a day
# range is the start of the next day, which 9999-12-31 does not have: a server error instead of the list.
FIRST_FILTER_DAY, LAST_FILTER_DAY = date(1900, 1, 1), date(2999, 12, 31)


class FilterDateField(forms.DateField):
    """A day of a list's filter, from FIRST_FILTER_DAY to LAST_FILTER_DAY."""

    default_validators = [MinValueValidator(FIRST_FILTER_DAY), MaxValueValidator(LAST_FILTER_DAY)]


def valid_choice(field, value):
    """What the form field `field` makes of `value` (a choice prefilled from the query string, the value a form
    shows), or None when it is no valid choice: never an error, whatever the value (a NUL, 10,000 digits)."""
    try:
        return field.clean(value)
    except ValidationError:
        return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files in one field; cleans to a list (empty when none was chosen)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class AttachmentsField(MultipleFileField):
    """Photos and PDF documents, at most MAX_FILES at a time, each checked by its content as well as its
    name: every bad file is named on the form, before anything is saved."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Documents"))
        kwargs.setdefault("help_text", _("Photos (JPG, PNG, WebP) or PDF, up to 10 MB each."))
        kwargs.setdefault("required", False)
        super().__init__(widget=MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}), **kwargs)

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %(count)d files at a time.") % {"count": MAX_FILES})
        errors = []
        for uploaded in files:
            try:
                check_attachment(uploaded)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


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
