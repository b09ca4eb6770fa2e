from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import AttachmentsField
from core.widgets import AutocompleteSelectMultiple, DateInput
from enterprises.forms import OfficialChoiceField

from .models import Policy, PolicyDelivery, Visit
from .services import enterprises_to_visit


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


class DeliveryForm(forms.ModelForm):
    class Meta:
        model = PolicyDelivery
        fields = ["policy", "support_type", "amount", "note"]

    def __init__(self, *args, cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = Policy.objects.applicable_to(cadre)


DeliveryFormSet = forms.inlineformset_factory(
    Visit, PolicyDelivery, form=DeliveryForm, fields=["policy", "support_type", "amount", "note"], extra=1, can_delete=True
)
