from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import RegionChoiceField
from accounts.models import Region, User
from accounts.roles import Role
from core.widgets import AutocompleteSelect, DateInput

from .credit_codes import normalise
from .models import Enterprise, Tag


def cadres_for_choice(actor):
    """Officials the actor may pick as a liaison: active cadres of the actor's region."""
    return User.objects.visible_to(actor).active().with_role(Role.CADRE).select_related("region")


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, official):
        return f"{official.display_name}（{official.region.name}）" if official.region_id else official.display_name


class CadreField(OfficialChoiceField):
    def __init__(self, **kwargs):
        url = format_lazy("{}?role={}", reverse_lazy("accounts:official_autocomplete"), Role.CADRE.value)
        super().__init__(queryset=User.objects.none(), widget=AutocompleteSelect(url=url), **kwargs)


class EnterpriseForm(forms.ModelForm):
    region = RegionChoiceField(label=_("County-level region"), queryset=Region.objects.none())

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "region",
            "address",
            "industry",
            "ownership",
            "size",
            "employees",
            "annual_revenue",
            "legal_representative",
            "contact_name",
            "contact_mobile",
            "tags",
            "status",
        ]
        widgets = {"tags": forms.CheckboxSelectMultiple}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(actor).counties().select_related("parent")
        self.fields["tags"].queryset = Tag.objects.filter(is_active=True)

    def clean_credit_code(self):
        return normalise(self.cleaned_data["credit_code"])


class AssignmentForm(forms.Form):
    official = CadreField(label=_("Liaison cadre"))
    started_on = forms.DateField(label=_("Since"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("started_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = cadres_for_choice(actor)


class BulkAssignmentForm(AssignmentForm):
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Enterprises"), queryset=Enterprise.objects.none(), widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["enterprises"].queryset = Enterprise.objects.visible_to(actor)
        self.fields["enterprises"].error_messages["required"] = _("Tick at least one enterprise.")


class EndAssignmentForm(forms.Form):
    ended_on = forms.DateField(label=_("Until"), widget=DateInput())
    reason = forms.CharField(label=_("Reason for ending"), max_length=200)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("ended_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ReplaceAssignmentForm(forms.Form):
    """End a liaison and start another cadre's in its place: one cadre, one day, one reason."""

    official = CadreField(label=_("New liaison cadre"))
    on = forms.DateField(label=_("Handed over on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)

    def __init__(self, *args, actor, assignment, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["official"].queryset = cadres_for_choice(actor)

    def clean_official(self):
        official = self.cleaned_data["official"]
        if official.pk == self.assignment.official_id:
            raise forms.ValidationError(
                _("%(name)s is already this liaison; choose another cadre."), params={"name": official.display_name}
            )
        return official


class RosterChoicesForm(forms.Form):
    """The liaison list's choices as its address gives them (enterprises.selectors.roster): each is checked for
    its shape here and against the reader's fence there. A malformed one (a NUL, no such day, not a number) is
    ignored, as a choice outside the fence is."""

    region = forms.CharField(required=False, max_length=12)
    department = forms.IntegerField(required=False, min_value=1)
    on = forms.DateField(required=False)
