"""The audit trail's filters: a region (the reader's or one below), who made the change, the kind of record and
the days. Every value is a GET parameter, so a filtered trail can be bookmarked, shared and exported."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import RegionChoiceField, regions_for_choice
from accounts.models import Region, User
from core.forms import FilterDateField
from core.widgets import AutocompleteSelect, DateInput

from .selectors import Criteria, record_kinds, visible_region


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, official):
        return official.display_name


class AuditFilterForm(forms.Form):
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All regions"))
    person = OfficialChoiceField(
        label=_("Changed by"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Anyone"),
        widget=AutocompleteSelect(url=reverse_lazy("accounts:official_autocomplete")),
    )
    kind = forms.ChoiceField(label=_("Record type"), required=False)
    since = FilterDateField(label=_("Changed from"), required=False, widget=DateInput())
    until = FilterDateField(label=_("Changed until"), required=False, widget=DateInput())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_choice(actor)
        self.fields["person"].queryset = User.objects.visible_to(actor)
        self.fields["kind"].choices = [("", _("All records")), *record_kinds()]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise ValidationError(_("The first day comes after the last."), code="date_order")
        return cleaned


def read_filters(user, params):
    """The filter form bound to `params`, and the criteria it gives, or None when a filter is not valid (the form
    then says which). A region outside the reader's own is a 404, as a missing one: nothing is read for it."""
    if params.get("region"):
        visible_region(user, params["region"])
    form = AuditFilterForm(params, actor=user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, Criteria(
        region=data["region"], person=data["person"], kind=data["kind"], since=data["since"], until=data["until"]
    )
