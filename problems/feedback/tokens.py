"""The enterprise's feedback link: signed, expiring, good for one problem and one round, no login.

When a problem is solved or explained, its enterprise's contact gets a link carrying a token made
here. The page behind it (a view marked @login_not_required) reads the token, shows only
`feedback_summary(problem)` and takes one verdict:

    problem, feedback_round = read_feedback_token(token)           # GET: show the page or the error
    submit_feedback(token=token, verdict=..., comment=...)         # POST: record the verdict

The token is signed with the project's SECRET_KEY and a salt of its own, so a token of another
feature cannot be replayed here; it carries only the problem's id and the round (readable, not
secret: the signature is what protects it). A verdict can be given once per round: the next round
(after the problem was reopened and solved again) needs a new link, and an old link says so.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import FEEDBACK_STATES, Problem, Verdict
from ..services import record_link_verdict

# Unchanged since the module was problems/feedback.py: links already sent stay good.
SALT = "problems.feedback"
# How long a link stays good. Long enough for an enterprise to answer, short enough that an old
# message found later is useless.
FEEDBACK_LINK_MAX_AGE = timedelta(days=30)


def make_feedback_token(problem):
    """The token for the problem's current feedback round. Call it once the problem is solved or explained."""
    if problem.status not in FEEDBACK_STATES:
        raise ValueError("Only a solved or explained problem asks for feedback.")
    return signing.dumps({"p": problem.pk, "r": problem.feedback_round}, salt=SALT, compress=False)


def _refuse(message, code):
    raise ValidationError(message, code=code)


def read_feedback_token(token, *, max_age=FEEDBACK_LINK_MAX_AGE):
    """(problem, round) of a token that may still be answered; otherwise a ValidationError whose code
    says why: "expired", "invalid" (tampered, or no such problem), "superseded" (a newer round), "used"
    (already answered) or "closed" (the problem no longer awaits this feedback)."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        _refuse(_("This feedback link has expired."), "expired")
    except signing.BadSignature:
        _refuse(_("This feedback link is not valid."), "invalid")
    try:
        problem_id, feedback_round = int(payload["p"]), int(payload["r"])
    except (KeyError, TypeError, ValueError):
        _refuse(_("This feedback link is not valid."), "invalid")
    problem = Problem.objects.select_related("category").filter(pk=problem_id).first()
    if problem is None or feedback_round < 1 or feedback_round > problem.feedback_round:
        _refuse(_("This feedback link is not valid."), "invalid")
    if feedback_round < problem.feedback_round:
        _refuse(_("This feedback link is for an earlier round of the problem; use the most recent link."), "superseded")
    if Verdict.objects.filter(problem=problem, round=feedback_round).exists():
        _refuse(_("Thank you: your verdict on this problem has already been recorded."), "used")
    if problem.status not in FEEDBACK_STATES:
        _refuse(_("This problem no longer awaits your feedback."), "closed")
    return problem, feedback_round


@transaction.atomic
def submit_feedback(*, token, verdict, comment="", max_age=FEEDBACK_LINK_MAX_AGE):
    """Check the token and record the enterprise's verdict; 'not satisfied' reopens the problem."""
    problem, feedback_round = read_feedback_token(token, max_age=max_age)
    # record_link_verdict locks the row and checks again, so two submissions racing cannot both count.
    return record_link_verdict(problem=problem, feedback_round=feedback_round, verdict=verdict, comment=comment)


@dataclass(frozen=True)
class FeedbackSummary:
    """Everything the feedback page may show: this problem's status and result, nothing else (no
    officials, no departments, no other problem)."""

    category: str
    description: str
    status: str
    outcome: str
    result: str
    explanation: str
    explained_on: date | None
    explained_how: str
    feedback_round: int


def feedback_summary(problem):
    return FeedbackSummary(
        category=str(problem.category),
        description=problem.description,
        status=problem.get_status_display(),
        outcome=problem.get_outcome_display(),
        result=problem.result,
        explanation=problem.explanation,
        explained_on=problem.explanation_given_on,
        explained_how=problem.get_explanation_given_how_display(),
        feedback_round=problem.feedback_round,
    )
