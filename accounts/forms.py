from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.widgets import FastSelect

from .models import Department, Region, UnitType, User
from .roles import Role

SEARCHABLE = {"data-searchable": "true"}


class RegionChoiceField(forms.ModelChoiceField):
    """Regions labelled with their city (济南市 市中区), since county names repeat across cities."""

    widget = FastSelect(attrs=SEARCHABLE)

    def label_from_instance(self, region):
        return region.full_name


class DepartmentChoiceField(forms.ModelChoiceField):
    """Departments labelled with their region (select `region__parent` with them)."""

    def label_from_instance(self, department):
        return department.name_with_region


def regions_for_choice(actor):
    return Region.objects.visible_to(actor).select_related("parent")


class OfficialForm(forms.ModelForm):
    """Create or change an official. Region and department lists hold only what the actor may see."""

    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=True)

    class Meta:
        model = User
        fields = ["username", "full_name", "title", "mobile", "office_phone", "email", "region", "department"]
        field_classes = {"region": RegionChoiceField}
        widgets = {"department": FastSelect(attrs=SEARCHABLE)}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["region"].required = True
        self.fields["region"].queryset = regions_for_choice(actor)
        self.fields["department"].queryset = (
            Department.objects.visible_to(actor).active().select_related("region").order_by("region_id", "name")
        )
        if self.instance.pk:
            self.initial.setdefault("roles", [role.value for role in self.instance.roles])

    def clean(self):
        cleaned = super().clean()
        region, department = cleaned.get("region"), cleaned.get("department")
        if region and department and department.region_id != region.code:
            self.add_error("department", _("The department must belong to the official's region."))
        return cleaned


class NewOfficialForm(OfficialForm):
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(username=cleaned.get("username") or "", full_name=cleaned.get("full_name") or "")
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["region", "unit_type", "name", "is_active", "merged_into"]
        field_classes = {"region": RegionChoiceField}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_choice(actor)
        self.fields["unit_type"].queryset = UnitType.objects.filter(is_active=True)
        merge_targets = Department.objects.visible_to(actor).active().select_related("region")
        if self.instance.pk:
            merge_targets = merge_targets.exclude(pk=self.instance.pk)
        self.fields["merged_into"].queryset = merge_targets

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("merged_into") and cleaned.get("is_active"):
            self.add_error("is_active", _("A department merged into another is no longer active."))
        return cleaned


class StandardDepartmentsForm(forms.Form):
    # Named and identified apart from the list's region filter, which the same page shows.
    region = RegionChoiceField(label=_("Region to complete"), queryset=Region.objects.none())

    def __init__(self, *args, actor, **kwargs):
        kwargs.setdefault("auto_id", "id_standard_%s")
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_choice(actor)


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a username longer than any official's beside the field. Django sets the
    field's max_length on the input only; a longer name would be looked up and then recorded as a failed login,
    which django-axes keeps in 255 characters: a database error instead of the login page."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
