"""Forms of the forum pages. Each action form's cleaned data are the keyword arguments of its function
in forums.services; the services make the checks that matter, the forms only parse and narrow choices."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from enterprises.models import Enterprise
from liaison.widgets import AutocompleteSelect
from problems.forms import EnterpriseChoiceField
from problems.models import Category

from . import services


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        return region.full_name


class ForumPlanForm(forms.Form):
    region = RegionChoiceField(label=_("Host region"), queryset=Region.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    venue = forms.CharField(label=_("Venue"), max_length=200)
    theme = forms.CharField(label=_("Theme"), max_length=200)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(actor).select_related("parent").order_by("code")
        if actor.region_id and not self.is_bound:
            self.initial.setdefault("region", actor.region_id)


class ForumActionForm(forms.Form):
    action = None
    label = ""

    def __init__(self, *args, forum, **kwargs):
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.forum = forum


ATTENDANCE_SEPARATORS = re.compile(r"\s*[,，、\t]\s*")


class RecordHeldForm(ForumActionForm):
    action = "held"
    label = _("Record as held")
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))
    attendance = forms.CharField(
        label=_("Attendance"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per attendee: credit code or enterprise name, entrepreneur name, title."),
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
    action = "cancel"
    label = _("Cancel the forum")
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class OpinionForm(ForumActionForm):
    action = "opinion"
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


# action in the URL -> (form, service function)
ACTIONS = {
    RecordHeldForm.action: (RecordHeldForm, services.record_held),
    CancelForm.action: (CancelForm, services.cancel),
    OpinionForm.action: (OpinionForm, services.add_opinion),
}


class OpinionToProblemForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
