"""The enterprise's feedback page: public (no login), reached through the signed link only.

It shows nothing but `tokens.feedback_summary(problem)` (the problem's category, description,
status and its result or explanation) and takes one verdict. A link that cannot be answered (expired,
tampered with, superseded by a newer round, already answered, or for a problem no longer awaiting
feedback) gets a short message and nothing else: 410 Gone, or 200 when the verdict is already in.
"""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from ..models import VerdictChoice
from .tokens import feedback_summary, read_feedback_token, submit_feedback

COMMENT_MAX_LENGTH = 1000


class FeedbackForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Are you satisfied with how your problem was dealt with?"),
        choices=VerdictChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose satisfied, basically satisfied or not satisfied.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _refused(request, error):
    code = getattr(error, "code", None) or "invalid"
    # A link already answered is no failure: the verdict is in. Every other refusal is 410 Gone.
    answered = code == "used"
    context = {"message": error.messages[0], "code": code, "answered": answered}
    return render(request, "problems/feedback/closed.html", context, status=200 if answered else 410)


@login_not_required
@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request, token):
    try:
        problem, _round = read_feedback_token(token)
    except ValidationError as error:
        return _refused(request, error)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_feedback(token=token, verdict=form.cleaned_data["verdict"], comment=form.cleaned_data["comment"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, error)
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return render(request, "problems/feedback/done.html", {"verdict": VerdictChoice(form.cleaned_data["verdict"]).label})
    return render(request, "problems/feedback/form.html", {"form": form, "summary": feedback_summary(problem)})
