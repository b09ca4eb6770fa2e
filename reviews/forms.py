"""Forms of the review pages. They parse; reviews.services makes the checks that matter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Practice, Review
from .services import MAX_PRACTICES


class StartReviewForm(forms.Form):
    """Which review to start: one of the (kind, period) pairs the region may write now."""

    period = forms.ChoiceField(label=_("Period"))

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = {f"{cadence.pk}:{period.label}": (cadence, period) for cadence, period in pairs}
        self.fields["period"].choices = [(key, f"{cadence.name} {period.label}") for key, (cadence, period) in self.pairs.items()]

    def clean(self):
        cleaned = super().clean()
        if "period" in cleaned:
            cleaned["cadence"], period = self.pairs[cleaned.pop("period")]
            cleaned["period_label"] = period.label
        return cleaned


class ReviewForm(forms.ModelForm):
    """The text sections. A draft may leave them empty; submitting requires every one."""

    class Meta:
        model = Review
        fields = ["lessons", "measures", "plan"]
        widgets = {field: forms.Textarea(attrs={"rows": 5}) for field in fields}
        help_texts = {
            "lessons": _("What worked less well, and what the region learnt from it."),
            "measures": _("The rules and working mechanisms the region set up or improved (制度)."),
            "plan": _("What the region will do in the next period."),
        }


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["title", "topic", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


PracticeFormSet = forms.inlineformset_factory(
    Review,
    Practice,
    form=PracticeForm,
    extra=1,
    can_delete=True,
    max_num=MAX_PRACTICES,
    validate_max=True,
    # Django builds up to absolute_max forms from a posted count (1,030 by default): a forged practices-TOTAL_FORMS
    # of 99,999 took 12 s and a 2 MB page. Beyond MAX_PRACTICES the formset is refused without building them.
    absolute_max=MAX_PRACTICES,
)


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What should be revised"), widget=forms.Textarea(attrs={"rows": 3}))
