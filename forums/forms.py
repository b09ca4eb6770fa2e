"""Forms of the forum pages. Each action form's cleaned data are the keyword arguments of its function
in forums.services; the services make the checks that matter, the forms only parse and narrow choices.
Which actions a forum's page offers is forums.lifecycle's business, not the forms'."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import SEARCHABLE
from accounts.models import Department, Region, User
from core.attachments import ACCEPT
from core.forms import MultipleFileField, MultipleFileInput
from core.widgets import AutocompleteSelect, AutocompleteSelectMultiple, FastSelectMultiple
from enterprises.models import Enterprise
from problems.forms import EnterpriseChoiceField
from problems.models import Category
from visits.forms import OfficialsChoiceField

from . import services
from .lifecycle import Action


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        return region.full_name


class EnterprisesChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = EnterpriseChoiceField.label_from_instance


class DepartmentsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, department):
        return f"{department.region.name} {department.name}"


def officials_field(label, *, required=False):
    return OfficialsChoiceField(
        label=label,
        queryset=User.objects.none(),
        required=required,
        widget=AutocompleteSelectMultiple(url=reverse_lazy("accounts:official_autocomplete")),
    )


class ForumPlanForm(forms.Form):
    region = RegionChoiceField(label=_("Host region"), queryset=Region.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    venue = forms.CharField(label=_("Venue"), max_length=200)
    theme = forms.CharField(label=_("Theme"), max_length=200)
    organisers = DepartmentsChoiceField(
        label=_("Organising departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=FastSelectMultiple(attrs=SEARCHABLE),
        help_text=_("Departments of the host region or of a region above it."),
    )
    invited_enterprises = EnterprisesChoiceField(
        label=_("Invited enterprises"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=AutocompleteSelectMultiple(url=reverse_lazy("enterprises:autocomplete")),
    )
    invited_officials = officials_field(_("Invited officials"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(actor).select_related("parent").order_by("code")
        self.fields["organisers"].queryset = services.departments_in_reach(actor).select_related("region")
        self.fields["invited_enterprises"].queryset = Enterprise.objects.visible_to(actor)
        self.fields["invited_officials"].queryset = services.officials_in_reach(actor)
        if actor.region_id and not self.is_bound:
            self.initial.setdefault("region", actor.region_id)


class ForumActionForm(forms.Form):
    action = None  # a forums.lifecycle.Action: the form's prefix and its URL
    label = ""

    def __init__(self, *args, forum, **kwargs):
        kwargs.setdefault("prefix", str(self.action))
        super().__init__(*args, **kwargs)
        self.forum = forum


ATTENDANCE_SEPARATORS = re.compile(r"\s*[,，、\t]\s*")


class RecordHeldForm(ForumActionForm):
    action = Action.RECORD_HELD
    label = _("Record as held")
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))
    attendance = forms.CharField(
        label=_("Attendance"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per attendee: credit code or enterprise name, entrepreneur name, title."),
    )
    attending_officials = officials_field(_("Attending officials"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attending_officials"].queryset = services.officials_in_reach(self.forum.region)
        if not self.is_bound:
            self.initial["attending_officials"] = list(self.forum.invited_officials.values_list("pk", flat=True))
            self.initial["attendance"] = "\n".join(
                f"{enterprise.credit_code}, " for enterprise in self.forum.invited_enterprises.order_by("name")
            )

    def clean_attendance(self):
        lines = [line.strip() for line in self.cleaned_data["attendance"].splitlines() if line.strip()]
        parsed, errors = [], []
        for number, line in enumerate(lines, start=1):
            parts = ATTENDANCE_SEPARATORS.split(line, maxsplit=2)
            if len(parts) < 2 or not parts[0] or not parts[1]:
                errors.append(_("Line %(number)d: give the enterprise and the entrepreneur's name.") % {"number": number})
                continue
            key = parts[0]
            matches = list(Enterprise.objects.in_region(self.forum.region).filter(Q(credit_code=key.upper()) | Q(name=key))[:2])
            if len(matches) != 1:
                errors.append(
                    _("Line %(number)d: no single enterprise of %(region)s matches “%(key)s”.")
                    % {"number": number, "region": self.forum.region.name, "key": key}
                )
                continue
            parsed.append((matches[0], parts[1], parts[2] if len(parts) > 2 else ""))
        if errors:
            raise ValidationError(errors)
        return parsed


class CancelForm(ForumActionForm):
    action = Action.CANCEL
    label = _("Cancel the forum")
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class OpinionForm(ForumActionForm):
    action = Action.OPINION
    label = _("Add an opinion")
    enterprise = EnterpriseChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        widget=AutocompleteSelect(url=reverse_lazy("enterprises:autocomplete")),
    )
    text = forms.CharField(label=_("Opinion or suggestion"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.in_region(self.forum.region)


class MinutesForm(ForumActionForm):
    action = Action.MINUTES
    label = _("Correct the minutes")
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("minutes", self.forum.minutes)


class AttachmentsForm(ForumActionForm):
    action = Action.ATTACH
    label = _("Add attachments")
    attachments = MultipleFileField(
        label=_("Photos, sign-in sheets, signed minutes"),
        help_text=_("Photos (JPG, PNG, WebP) or PDF, up to 10 MB each."),
        widget=MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}),
    )


# action in the URL (forums.lifecycle.Action) -> (form, service function); the page offers those the lifecycle allows
ACTIONS = {
    RecordHeldForm.action: (RecordHeldForm, services.record_held),
    CancelForm.action: (CancelForm, services.cancel),
    OpinionForm.action: (OpinionForm, services.add_opinion),
    MinutesForm.action: (MinutesForm, services.update_minutes),
    AttachmentsForm.action: (AttachmentsForm, services.add_attachments),
}


class OpinionToProblemForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
