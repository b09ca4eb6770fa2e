"""Who may see which scorecards.

Staff, reviewers and administrators (`assessment.follow_assessment`) see the cadres of their region and of
the regions below it: a cadre outside is a 404, as a missing one. A liaison cadre may see their own
scorecard and nobody else's (404). Any other official is refused (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from enterprises.models import LiaisonAssignment
from forums.models import Forum

from ..access import may_follow  # noqa: F401 (the views ask it through this module)


def may_see_own_scorecard(user):
    return user.is_liaison_cadre


def scorecard_officials(user):
    """The officials whose scorecards `user` may open; PermissionDenied for a role that may open none.

    Only liaison cadres have a scorecard: officials with the role, or with a liaison assignment (a cadre
    who has since changed role keeps the record of their liaison).
    """
    if may_follow(user):
        officials = User.objects.visible_to(user)
    elif may_see_own_scorecard(user):
        officials = User.objects.filter(pk=user.pk)
    else:
        raise PermissionDenied
    cadres = Q(groups__name=Role.CADRE) | Q(pk__in=LiaisonAssignment.objects.values("official_id"))
    return officials.filter(cadres, region__isnull=False).distinct()


def with_links(forums, user):
    """The forums as a list, each marked `linked` when `user` may open it: a cadre attends forums of the
    regions above too, which the reader may see listed on the scorecard but not open."""
    forums = list(forums)
    visible = set(Forum.objects.visible_to(user).filter(pk__in=[forum.pk for forum in forums]).values_list("pk", flat=True))
    for forum in forums:
        forum.linked = forum.pk in visible
    return forums
