from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import AttachmentsField
from core.widgets import AutocompleteSelectMultiple, DateInput
from enterprises.forms import OfficialChoiceField

from .models import Policy, PolicyDelivery, Visit
from .services import MAX_PROBLEM_LINES, check_void_reason, enterprises_to_visit, problem_lines


class OfficialsChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = OfficialChoiceField.label_from_instance


class VisitForm(forms.ModelForm):
    """The visit form, quick on a phone: the cadre's own enterprises and today's date come first."""

    companions = OfficialsChoiceField(
        label=_("Accompanying officials"),
        queryset=User.objects.none(),
        required=False,
        widget=AutocompleteSelectMultiple(url=reverse_lazy("accounts:official_autocomplete")),
    )
    policies_explained = forms.ModelMultipleChoiceField(
        label=_("Policies explained"), queryset=Policy.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    attachments = AttachmentsField(label=_("Photos and minutes"))

    class Meta:
        model = Visit
        fields = [
            "enterprise",
            "visited_on",
            "mode",
            "companions",
            "people_met",
            "purpose",
            "situation",
            "needs",
            "policies_explained",
            "problems_raised",
            "follow_up_on",
        ]
        widgets = {
            "visited_on": DateInput(),
            "follow_up_on": DateInput(),
            "mode": forms.RadioSelect,
            "situation": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.Textarea(attrs={"rows": 3}),
            "problems_raised": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises_to_visit(cadre).order_by("name")
        self.fields["enterprise"].empty_label = _("Choose one of your enterprises")
        self.fields["companions"].queryset = User.objects.visible_to(cadre).active().select_related("region")
        today = timezone.localdate()
        self.fields["policies_explained"].queryset = Policy.objects.applicable_to(cadre).valid_on(today)
        self.initial.setdefault("visited_on", today)
        self.fields["problems_raised"].help_text = gettext(
            "One problem a line, at most %(max)d. When the visit is submitted each line becomes a problem of the "
            "problem list, linked to this visit; a draft creates none. Begin a line with its category and a colon "
            "(“Land: …”) to file it there; the liaison office can correct it."
        ) % {"max": MAX_PROBLEM_LINES}

    def clean_problems_raised(self):
        text = self.cleaned_data["problems_raised"]
        try:
            problem_lines(text)  # every line that cannot be a problem is named now, for a draft too
        except ValidationError as error:
            raise ValidationError(error.message_dict["problems_raised"]) from error
        return text


class DeliveryForm(forms.ModelForm):
    class Meta:
        model = PolicyDelivery
        fields = ["policy", "support_type", "amount", "note"]

    def __init__(self, *args, cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = Policy.objects.applicable_to(cadre)


# The policies one visit delivers: a handful. The bound also keeps a forged form count (deliveries-TOTAL_FORMS)
# from building and answering thousands of rows: 99,999 took 33 s and a 4.7 MB page.
MAX_DELIVERIES = 20

DeliveryFormSet = forms.inlineformset_factory(
    Visit,
    PolicyDelivery,
    form=DeliveryForm,
    fields=["policy", "support_type", "amount", "note"],
    extra=1,
    can_delete=True,
    max_num=MAX_DELIVERIES,
    validate_max=True,
    absolute_max=MAX_DELIVERIES,
)


class VoidForm(forms.Form):
    """Why a submitted visit is voided: required, in a few words at least (visits.services.check_void_reason)."""

    reason = forms.CharField(
        label=_("Reason for voiding"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the visit is voided.")},
    )

    def clean_reason(self):
        try:
            return check_void_reason(self.cleaned_data["reason"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["reason"]) from error
