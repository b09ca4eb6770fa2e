"""GET filters of the plan pages: the due list of a region, and the cadre whose plan or calendar staff read."""

import django_filters
from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.filters import RegionScopedFilterSet
from accounts.models import User
from accounts.roles import Role
from core.traffic import Light
from core.widgets import AutocompleteSelect
from enterprises.filters import CadreFilter
from enterprises.forms import CadreField
from enterprises.models import LiaisonAssignment, LiaisonLevel

CADRE_AUTOCOMPLETE_URL = format_lazy("{}?role={}", reverse_lazy("accounts:official_autocomplete"), Role.CADRE.value)


def cadres_visible_to(actor):
    return User.objects.visible_to(actor).with_role(Role.CADRE).select_related("region")


class DueVisitFilter(RegionScopedFilterSet):
    """Filters the region's assignments; `state` picks which of the plan's states the view pages through."""

    level = django_filters.ChoiceFilter(label=_("Liaison level"), choices=LiaisonLevel.choices, empty_label=_("Any level"))
    cadre = CadreFilter(
        label=_("Liaison cadre"),
        field_name="official",
        queryset=User.objects.none(),
        empty_label=_("All cadres"),
        widget=AutocompleteSelect(url=CADRE_AUTOCOMPLETE_URL),
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=Light.choices, empty_label=_("All"), method="by_state")

    class Meta:
        model = LiaisonAssignment
        fields = ["region", "level", "cadre", "state"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.filters["cadre"].queryset = cadres_visible_to(actor)

    def by_state(self, queryset, name, value):
        # The state follows from `next_due_on`, today and the level's rule: the view asks the plan
        # (visits.plan.cadence.Plan) for that state's rows, and still counts every state.
        return queryset

    @property
    def chosen_state(self):
        return self.form.cleaned_data.get("state") if self.is_valid() else ""


class CadreForm(forms.Form):
    """The cadre whose plan or calendar a member of staff reads (one of their region's officials)."""

    cadre = CadreField(label=_("Liaison cadre"), required=False, empty_label=_("Myself"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = User.objects.visible_to(actor).select_related("region")
