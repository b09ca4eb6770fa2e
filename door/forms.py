"""The staff's forms of the door: issuing a link, revoking one, filtering the list of live links."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import mobile_validator
from core.listing import contains_text

from .models import Channel, EnterpriseAccess
from .services import REASON_LENGTH

# The list's "expiring soon": links that end within this many days.
EXPIRING_DAYS = 30


class IssueForm(forms.Form):
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=50,
        help_text=_("The person at the enterprise who receives the link. A new link for the same person replaces theirs."),
        error_messages={"required": _("Enter the name of the person the link is for.")},
    )
    contact_mobile = forms.CharField(
        label=_("Contact mobile (optional)"),
        max_length=11,
        required=False,
        validators=[mobile_validator],
        help_text=_("Where an SMS service is set up, this number may also sign in with a one-time code."),
    )


class RevokeForm(forms.Form):
    access = forms.ModelChoiceField(
        label=_("Link"),
        queryset=EnterpriseAccess.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose the link to revoke."), "invalid_choice": _("This link has already ended.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_LENGTH,
        error_messages={"required": _("Say why the link is revoked.")},
    )

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the enterprise's own links: an id of another enterprise's is as unknown as one nobody issued.
        self.fields["access"].queryset = EnterpriseAccess.objects.filter(enterprise=enterprise).unrevoked()


class LinksFilterForm(forms.Form):
    enterprise = forms.CharField(label=_("Enterprise"), required=False, max_length=100)
    channel = forms.ChoiceField(label=_("Issued as"), choices=[("", _("All")), *Channel.choices], required=False)
    expiring = forms.BooleanField(label=_("Expiring within 30 days"), required=False)

    def filter(self, accesses):
        if not self.is_valid():
            return accesses.none()
        text = self.cleaned_data["enterprise"].strip()
        if text:
            accesses = accesses.filter(contains_text("enterprise__name", text))
        if self.cleaned_data["channel"]:
            accesses = accesses.filter(channel=self.cleaned_data["channel"])
        if self.cleaned_data["expiring"]:
            accesses = accesses.filter(expires_at__lte=timezone.now() + timedelta(days=EXPIRING_DAYS))
        return accesses


class MobileForm(forms.Form):
    mobile = forms.CharField(
        label=_("Registered mobile number"),
        max_length=11,
        validators=[mobile_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
        error_messages={"required": _("Enter the mobile number registered for your enterprise.")},
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code received by SMS"),
        regex=r"^\s*\d{6}\s*$",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}),
        error_messages={"required": _("Enter the six-digit code."), "invalid": _("Enter the six-digit code.")},
    )


class ChooseEnterpriseForm(forms.Form):
    enterprise = forms.TypedChoiceField(
        label=_("Enterprise"), coerce=int, widget=forms.RadioSelect, error_messages={"required": _("Choose an enterprise.")}
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(enterprise.pk, enterprise.name) for enterprise in enterprises]
