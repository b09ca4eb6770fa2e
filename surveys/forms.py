from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from problems.models import Category

from .models import SCALE_MAX, SCALE_MIN, Kind, Question, Questionnaire

SCALE_CHOICES = [(str(value), str(value)) for value in range(SCALE_MIN, SCALE_MAX + 1)]


def scale_choices(question):
    """1 to 5, each named for a screen reader with its question ("发展信心: 4"), so the five 4s differ."""
    return [
        (value, format_html('<span class="visually-hidden">{}: </span>{}', question.text, value))
        for value, _label in SCALE_CHOICES
    ]


class AnswerForm(forms.Form):
    """One field per question the enterprise is asked: a 1-5 choice or an optional comment."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == Kind.SCALE:
                self.fields[self.name_of(question)] = forms.TypedChoiceField(
                    label=question.text,
                    choices=scale_choices(question),
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose a score from 1 to 5.")},
                )
            else:
                self.fields[self.name_of(question)] = forms.CharField(
                    label=question.text, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
                )

    @staticmethod
    def name_of(question):
        return f"q{question.pk}"

    def scores(self):
        return {q.pk: self.cleaned_data[self.name_of(q)] for q in self.questions if q.kind == Kind.SCALE}

    def comments(self):
        return {q.pk: self.cleaned_data[self.name_of(q)] for q in self.questions if q.kind == Kind.COMMENT}


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "months"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind", "order"]


class CommentProblemForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("The enterprise the problem concerns"), queryset=None)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
