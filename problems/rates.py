"""Satisfaction rates, kept apart so that they tell the truth.

- Verdicts on solutions and verdicts on explanations are counted separately: an honest "explained,
  not compliant" that the enterprise found only basically satisfying is not a failed solution.
- A problem closed without a verdict counts in neither rate: it is not a success, nor a failure; it is
  shown as its own number, next to the rates.
- Every verdict counts, one per round: a "not satisfied" that reopened a problem later solved to the
  enterprise's satisfaction stays in the figures.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from .models import ACCEPTING_VERDICTS, Outcome, ProblemStatus, Verdict, VerdictChoice


@dataclass
class OutcomeFigures:
    verdicts: dict = field(default_factory=lambda: dict.fromkeys(VerdictChoice.values, 0))
    closed_without_verdict: int = 0

    @property
    def total_verdicts(self):
        return sum(self.verdicts.values())

    @property
    def satisfied(self):
        """Satisfied and basically satisfied."""
        return sum(self.verdicts[verdict] for verdict in ACCEPTING_VERDICTS)

    @property
    def rate(self):
        """Share of verdicts that were satisfied or basically satisfied; None without any verdict."""
        return self.satisfied / self.total_verdicts if self.total_verdicts else None


@dataclass
class SatisfactionRates:
    solved: OutcomeFigures
    explained: OutcomeFigures


def satisfaction_rates(problems):
    """The figures of `problems` (a queryset, already narrowed with `visible_to(user)` and any filter),
    in two queries."""
    figures = {Outcome.SOLVED: OutcomeFigures(), Outcome.EXPLAINED: OutcomeFigures()}
    verdicts = (
        Verdict.objects.filter(problem__in=problems.values("pk"))
        .values("outcome", "verdict")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in verdicts:
        figures[row["outcome"]].verdicts[row["verdict"]] += row["count"]
    unanswered = (
        problems.filter(status=ProblemStatus.CLOSED, final_verdict="").values("outcome").annotate(count=Count("pk")).order_by()
    )
    for row in unanswered:
        figures[row["outcome"]].closed_without_verdict += row["count"]
    return SatisfactionRates(solved=figures[Outcome.SOLVED], explained=figures[Outcome.EXPLAINED])
