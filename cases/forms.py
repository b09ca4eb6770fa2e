"""Forms of the model-case pages. Cleaned data are the keyword arguments of the functions in
cases.services, which make the checks that matter; the forms parse and narrow every choice list to the
enterprise's own records."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.attachments import KINDS
from core.forms import MultipleFileField, MultipleFileInput
from core.widgets import DateInput
from forums.models import Forum
from problems.models import Problem
from visits.models import Visit

from . import services
from .models import Quality, Subject

# The photo kinds that core.attachments accepts: images only.
PHOTO_ACCEPT = ",".join(f".{extension}" for extension, (kind, _start) in KINDS.items() if kind.startswith("image/"))


class PhotosField(MultipleFileField):
    """Photos only (JPG, PNG, WebP), each checked by its content as well as its name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault("help_text", _("JPG, PNG or WebP images, up to 10 MB each."))
        super().__init__(required=False, widget=MultipleFileInput(attrs={"accept": PHOTO_ACCEPT, "multiple": True}), **kwargs)

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        try:
            services.check_photos(files)
        except ValidationError as error:
            raise ValidationError(error.message_dict["photos"]) from error
        return files


class VisitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, visit):
        return f"{visit.visited_on:%Y-%m-%d} · {visit.cadre.display_name} · {visit.purpose or visit.get_mode_display()}"


class ForumChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, forum):
        return str(forum)


class ProblemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, problem):
        description = problem.description.strip().splitlines()[0][:60] if problem.description.strip() else ""
        return f"{problem.raised_on:%Y-%m-%d} · {description}"


class CaseForm(forms.Form):
    """Nominate a case, or change a nomination. The evidence lists are the enterprise's own records."""

    subject = forms.ChoiceField(
        label=_("The case is about"), choices=Subject.choices, initial=Subject.BOTH, widget=forms.RadioSelect
    )
    entrepreneur_name = forms.CharField(label=_("Entrepreneur's name"), max_length=50, required=False)
    entrepreneur_title = forms.CharField(
        label=_("Entrepreneur's title"), max_length=100, required=False, help_text=_("For example 董事长、总经理.")
    )
    title = forms.CharField(label=_("Headline"), max_length=120)
    qualities = forms.MultipleChoiceField(
        label=_("Qualities it exemplifies"), choices=Quality.choices, widget=forms.CheckboxSelectMultiple
    )
    story = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 8}))
    achievements = forms.CharField(label=_("Achievements"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    nomination_note = forms.CharField(
        label=_("Why nominate (internal)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the reviewers only; never published."),
    )
    evidence_visits = VisitChoiceField(
        label=_("Visits"), queryset=Visit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence_forums = ForumChoiceField(
        label=_("Forums attended"), queryset=Forum.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence_problems = ProblemChoiceField(
        label=_("Problems solved"), queryset=Problem.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    photos = PhotosField()

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.fields["evidence_visits"].queryset = (
            services.evidence_visits(enterprise).select_related("cadre").order_by("-visited_on", "-id")
        )
        self.fields["evidence_forums"].queryset = services.evidence_forums(enterprise).order_by("-starts_at")
        self.fields["evidence_problems"].queryset = services.solved_problems(enterprise).order_by("-raised_on", "-id")

    @classmethod
    def initial_for(cls, case):
        return {
            "subject": case.subject,
            "entrepreneur_name": case.entrepreneur_name,
            "entrepreneur_title": case.entrepreneur_title,
            "title": case.title,
            "qualities": [quality.value for quality in case.qualities],
            "story": case.story,
            "achievements": case.achievements,
            "nomination_note": case.nomination_note,
            "evidence_visits": list(case.evidence_visits.values_list("pk", flat=True)),
            "evidence_forums": list(case.evidence_forums.values_list("pk", flat=True)),
            "evidence_problems": list(case.evidence_problems.values_list("pk", flat=True)),
        }


class ConsentFields(forms.Form):
    """The enterprise's consent to publication: when, who, and how (internal, never published)."""

    consent_on = forms.DateField(label=_("Consent given on"), widget=DateInput(), required=False)
    consent_by = forms.CharField(
        label=_("Consent given by"), max_length=100, required=False, help_text=_("Name and post at the enterprise.")
    )
    consent_note = forms.CharField(
        label=_("Consent notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How consent was given (a signed form, a letter); internal."),
    )


class NominationForm(CaseForm, ConsentFields):
    """A new nomination: the case's fields, and the enterprise's consent if it has already given it."""

    consent_given = forms.BooleanField(label=_("The enterprise has consented to publication"), required=False)
    field_order = [*CaseForm.base_fields, "consent_given", "consent_on", "consent_by", "consent_note"]


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What should be changed"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note to the reviewers"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsentForm(ConsentFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_on"].required = True
        self.fields["consent_by"].required = True
        self.fields["consent_on"].initial = timezone.localdate()


class EmptyForm(forms.Form):
    pass


class PublicityForm(forms.Form):
    outlet = forms.CharField(label=_("Outlet"), max_length=100, help_text=_("For example 大众日报 or 齐鲁网."))
    published_on = forms.DateField(label=_("Date"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=200)
    link = forms.URLField(label=_("Link"), max_length=200, required=False, assume_scheme="https")


class PhotoForm(forms.Form):
    photos = PhotosField()
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
