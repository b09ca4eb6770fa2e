"""Forms of the approval page. They parse; assessment.services decides (a reason is required to reopen,
and to force a close while regions have not finished)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation of anomalies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what the region above should know about unusual figures."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ClosePeriodForm(forms.Form):
    force = forms.BooleanField(label=_("Close even though some regions have not finished their approval"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when closing before every region has finished."),
    )


FORMS = {"confirm": ConfirmForm, "accept": forms.Form, "reopen": ReasonForm}
