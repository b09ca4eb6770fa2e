"""Who may act on a model case. What a user may *see* is `Case.objects.visible_to(user)` (`sees` for one
case); these say what they may *do*, and cases.lifecycle asks them before every move.

Every predicate takes the user first and starts from the fence: nobody acts on a case outside their region.

- the nominator, or united-front staff who may change cases (`may_edit`): change the nomination and its
  photos, resubmit it once returned, and record the enterprise's consent (`may_record_consent`);
- a reviewer (`may_review`): united-front staff of the case's region or a region above it, never the
  official who nominated it;
- a publisher (`may_publish`): united-front staff who publish, record publicity and withdraw.

The home page and the reviewers' notices ask the same rule from the other side: `reviewers_of(case)`,
`reviewable_by(user)`.
"""

from django.db.models import Q

from accounts.access import ancestor_codes, scope_prefix
from accounts.models import User
from accounts.roles import Role

from .models import Case

NOMINATE_PERMISSION = "cases.add_case"
CHANGE_PERMISSION = "cases.change_case"
REVIEW_PERMISSION = "cases.review_cases"
PUBLISH_PERMISSION = "cases.publish_cases"


def sees(user, case):
    """The case is inside the user's region (the fence, answered from the case's own region code)."""
    if user is None:
        return False
    prefix = scope_prefix(user)
    return prefix is not None and case.region_id.startswith(prefix)


def nominated(user, case):
    """The official who nominated the case."""
    return user is not None and user.pk is not None and case.nominated_by_id == user.pk


def may_edit(user, case):
    """The nominator, or staff who may change cases, of the case's region or above."""
    return sees(user, case) and (nominated(user, case) or user.has_perm(CHANGE_PERMISSION))


def may_record_consent(user, case):
    """Whoever may change the nomination records the enterprise's consent to publication."""
    return may_edit(user, case)


def may_review(user, case):
    """Staff of the case's region or a region above it (the fence), never the nominator."""
    return sees(user, case) and user.has_perm(REVIEW_PERMISSION) and not nominated(user, case)


def may_publish(user, case):
    """Staff who publish model cases, of the case's region or above: publish, publicity, withdraw."""
    return sees(user, case) and user.has_perm(PUBLISH_PERMISSION)


def reviewers_of(case):
    """Active united-front staff who may review the case: of its region or a region above it."""
    return (
        User.objects.active()
        .with_role(Role.STAFF)
        .filter(region_id__in=[case.region_id, *ancestor_codes(case.region_id)])
        .exclude(pk=case.nominated_by_id)
        .order_by("pk")
        .distinct()
    )


def reviewable_by(user):
    """Cases awaiting the user's review: nominated in their region (the fence), not by themselves."""
    if not user.has_perm(REVIEW_PERMISSION):
        return Case.objects.none()
    return Case.objects.visible_to(user).awaiting_review().filter(~Q(nominated_by=user))
