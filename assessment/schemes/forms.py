"""Forms of the scheme pages. They parse; assessment.services makes the checks that matter (weights that
add up to 100, targets above zero, each indicator once)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import RegionLevel

from ..indicators import CHOICES, INDICATORS
from ..models import Rule
from .selectors import open_periods

LEVEL_CHOICES = [(RegionLevel.CITY, _("Cities")), (RegionLevel.COUNTY, _("Counties"))]


class SchemeCreateForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=None, empty_label=None)
    assessed_level = forms.ChoiceField(label=_("Assesses"))
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = open_periods()
        choices = LEVEL_CHOICES if owner.level == RegionLevel.PROVINCE else LEVEL_CHOICES[1:]
        self.fields["assessed_level"].choices = choices


class SchemeNameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class SchemeItemForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=[("", "---------"), *CHOICES])
    weight = forms.DecimalField(
        label=_("Weight"), max_digits=5, decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01", "data-weight": ""})
    )
    target = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=2, widget=forms.NumberInput(attrs={"step": "any"})
    )
    rule = forms.ChoiceField(label=_("Scoring rule"), choices=Rule.choices, initial=Rule.LINEAR)


SchemeItemFormSet = forms.formset_factory(
    SchemeItemForm, extra=1, can_delete=True, max_num=len(INDICATORS), validate_max=True, absolute_max=len(INDICATORS) + 5
)


def items_of(formset):
    """The rows the user kept (not deleted, not left empty), as mappings for assessment.services."""
    return [
        {key: form.cleaned_data.get(key) for key in ("indicator", "weight", "target", "rule")}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def initial_items(scheme):
    return [
        {"indicator": item.indicator, "weight": item.weight, "target": item.target, "rule": item.rule}
        for item in scheme.items.all()
    ]


class SchemeCopyForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Copy to the period"), queryset=None, empty_label=None)
    name = forms.CharField(
        label=_("Name of the copy"), max_length=100, required=False, help_text=_("Leave empty to keep the name.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = open_periods()
