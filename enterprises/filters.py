import django_filters
from django.db.models import Exists, OuterRef
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.filters import RegionScopedFilterSet
from accounts.models import User
from accounts.roles import Role
from core.widgets import AutocompleteSelect

from .forms import OfficialChoiceField
from .models import Enterprise, Industry, LiaisonAssignment, LiaisonLevel, Size, Status, Tag


class CadreFilter(django_filters.ModelChoiceFilter):
    field_class = OfficialChoiceField


class EnterpriseFilter(RegionScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="search")
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), empty_label=_("All industries")
    )
    size = django_filters.ChoiceFilter(label=_("Size"), choices=Size.choices, empty_label=_("All sizes"))
    tags = django_filters.ModelMultipleChoiceFilter(label=_("Tags"), queryset=Tag.objects.filter(is_active=True), conjoined=True)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("All"))
    level = django_filters.ChoiceFilter(
        label=_("Liaison level"), choices=LiaisonLevel.choices, method="with_liaison_at", empty_label=_("Any level")
    )
    has_liaison = django_filters.ChoiceFilter(
        label=_("Liaison status"),
        choices=[("yes", _("Has a liaison")), ("no", _("Has no liaison"))],
        method="by_liaison",
        empty_label=_("All"),
    )
    cadre = CadreFilter(
        label=_("Liaison cadre"),
        queryset=User.objects.none(),
        method="liaised_by",
        empty_label=_("All cadres"),
        widget=AutocompleteSelect(url=reverse_lazy("accounts:official_autocomplete")),
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("name", "name"),
            ("credit_code", "credit_code"),
            ("region", "region"),
            ("employees", "employees"),
            ("annual_revenue", "annual_revenue"),
            ("updated_at", "updated_at"),
        ],
        field_labels={
            "name": _("Name"),
            "credit_code": _("Credit code"),
            "region": _("Region"),
            "employees": _("Employees"),
            "annual_revenue": _("Annual revenue"),
            "updated_at": _("Last change"),
        },
        empty_label=_("Default order"),
    )

    class Meta:
        model = Enterprise
        fields = ["q", "region", "industry", "size", "tags", "status", "level", "has_liaison", "cadre", "sort"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.filters["cadre"].queryset = User.objects.visible_to(actor).with_role(Role.CADRE).select_related("region")

    @staticmethod
    def _current_liaisons():
        return LiaisonAssignment.objects.current().filter(enterprise=OuterRef("pk"))

    def search(self, queryset, name, value):
        return queryset.search(value)

    def with_liaison_at(self, queryset, name, level):
        return queryset.filter(Exists(self._current_liaisons().filter(level=level)))

    def by_liaison(self, queryset, name, value):
        has = Exists(self._current_liaisons())
        return queryset.filter(has) if value == "yes" else queryset.exclude(has)

    def liaised_by(self, queryset, name, official):
        return queryset.filter(Exists(self._current_liaisons().filter(official=official)))
