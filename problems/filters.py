import django_filters
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import RegionScopedFilterSet
from accounts.forms import DepartmentChoiceField
from accounts.models import Department
from core.listing import contains_text
from core.widgets import AutocompleteSelect, DateInput
from enterprises.models import Enterprise

from .models import Category, Disposition, Problem, ProblemStatus, Source


class DepartmentChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = DepartmentChoiceField


class ProblemFilter(RegionScopedFilterSet):
    """The problem list's filters. `region` is the enterprise's region; `department` the one holding the
    problem now."""

    q = django_filters.CharFilter(label=_("Description or enterprise"), method="search")
    department = DepartmentChoiceFilter(
        label=_("Handling department"),
        field_name="handling_department",
        queryset=Department.objects.none(),
        empty_label=_("All departments"),
        widget=AutocompleteSelect(url=reverse_lazy("accounts:department_autocomplete")),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProblemStatus.choices, empty_label=_("All"))
    disposition = django_filters.ChoiceFilter(label=_("Disposition"), choices=Disposition.choices, empty_label=_("All"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("All categories")
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices, empty_label=_("All"))
    overdue = django_filters.ChoiceFilter(
        label=_("Deadline"), choices=[("yes", _("Overdue"))], method="by_overdue", empty_label=_("All")
    )
    since = django_filters.DateFilter(label=_("Raised from"), field_name="raised_on", lookup_expr="gte", widget=DateInput())
    until = django_filters.DateFilter(label=_("Raised until"), field_name="raised_on", lookup_expr="lte", widget=DateInput())
    mine = django_filters.ChoiceFilter(
        label=_("Holder"), choices=[("1", _("Held by me"))], method="held_by_me", empty_label=_("Anyone")
    )

    class Meta:
        model = Problem
        fields = [
            "q",
            "region",
            "department",
            "status",
            "disposition",
            "category",
            "source",
            "overdue",
            "since",
            "until",
            "mine",
        ]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.filters["department"].queryset = Department.objects.visible_to(actor).select_related("region__parent")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The problems of the list described so, united with those of enterprises so named: each side found through
        # its own index (trigram indexes from three characters), rather than an OR tested on every problem of the
        # region against every key of the named enterprises (14,000 of them made that a second at a county).
        scope = queryset.order_by().values("pk")
        described = scope.filter(contains_text("description", value))
        of_named = scope.filter(enterprise__in=Enterprise.objects.filter(contains_text("name", value)).values("pk"))
        return queryset.filter(pk__in=described.union(of_named))

    def by_overdue(self, queryset, name, value):
        return queryset.overdue(today=timezone.localdate()) if value == "yes" else queryset

    def held_by_me(self, queryset, name, value):
        return queryset.held_by(self.actor) if value == "1" else queryset
