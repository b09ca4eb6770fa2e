"""The enterprise's demands (诉求), as its door shows them: the one queryset that fences them.

`demands_for(enterprise)` is every problem the enterprise raised itself through its door (source
"enterprise"), starting from the enterprise the door's session opened, never from an id the request
carries: a demand of another enterprise is outside it, so its page is a 404. What a demand's page shows of
its handling is problems.enterprise_view's timeline, written for the enterprise.
"""

from problems.models import Problem, Source

# The demands list shows the newest first, at most this many (an enterprise raises a handful a year).
DEMANDS_SHOWN = 50


def demands_for(enterprise):
    """The enterprise's own demands, newest first, with what their pages show beside them."""
    return (
        Problem.objects.filter(enterprise=enterprise, source=Source.ENTERPRISE)
        .select_related("category")
        .order_by("-raised_on", "-id")
    )
