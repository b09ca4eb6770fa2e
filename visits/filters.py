import django_filters
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.filters import RegionScopedFilterSet
from accounts.models import User
from core.widgets import AutocompleteSelect, DateInput
from enterprises.filters import CadreFilter
from enterprises.models import Enterprise

from .models import Visit, VisitMode, VisitStatus


class EnterpriseChoiceFilter(django_filters.ModelChoiceFilter):
    pass


class VisitFilter(RegionScopedFilterSet):
    cadre = CadreFilter(
        label=_("Cadre"),
        queryset=User.objects.none(),
        method="by_cadre",
        empty_label=_("All cadres"),
        widget=AutocompleteSelect(url=reverse_lazy("accounts:official_autocomplete")),
    )
    enterprise = EnterpriseChoiceFilter(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        empty_label=_("All enterprises"),
        widget=AutocompleteSelect(url=reverse_lazy("enterprises:autocomplete")),
    )
    since = django_filters.DateFilter(label=_("From"), field_name="visited_on", lookup_expr="gte", widget=DateInput())
    until = django_filters.DateFilter(label=_("To"), field_name="visited_on", lookup_expr="lte", widget=DateInput())
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=VisitMode.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VisitStatus.choices, empty_label=_("All"))
    problems = django_filters.ChoiceFilter(
        label=_("Problems raised"),
        choices=[("yes", _("With problems")), ("no", _("Without problems"))],
        method="with_problems",
        empty_label=_("All"),
    )

    class Meta:
        model = Visit
        fields = ["region", "cadre", "enterprise", "since", "until", "mode", "status", "problems"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.filters["cadre"].queryset = User.objects.visible_to(actor).select_related("region")
        self.filters["enterprise"].queryset = Enterprise.objects.visible_to(actor)

    def by_cadre(self, queryset, name, official):
        return queryset.by_cadre(official)

    def with_problems(self, queryset, name, value):
        return queryset.exclude(problems_raised="") if value == "yes" else queryset.filter(problems_raised="")
