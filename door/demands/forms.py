"""The enterprise's forms behind its door: a new demand, the information asked for, its verdict."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AttachmentsField
from problems.models import Category, VerdictChoice


class DemandForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose…"),
        error_messages={"required": _("Choose what the demand is about.")},
    )
    description = forms.CharField(
        label=_("Your demand"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_("What is the difficulty, since when, and what would help."),
        error_messages={"required": _("Describe your demand.")},
    )
    files = AttachmentsField(label=_("Photos or documents (at most 3)"))


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("The information asked for"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": _("Write the information asked for.")},
    )
    files = AttachmentsField(label=_("Photos or documents (at most 3)"))


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Are you satisfied with how your demand was dealt with?"),
        choices=VerdictChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose satisfied, basically satisfied or not satisfied.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
