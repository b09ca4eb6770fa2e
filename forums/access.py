"""Who may act on a forum. What a user may *see* is `Forum.objects.visible_to(user)`; these say what they
may *do*, and forums.lifecycle asks them before every move.

Named predicates, each taking the user first (and the forum, for forums.lifecycle's table):

- `plans_forums`: officials with the permission to plan forums (`forums.add_forum`): united-front staff
  and administrators. Where they may plan (their region and the regions below it) is `reaches`.
- `sees`: the forum's host region is the user's region or a region below it, the region fence's rule
  answered without a query.
- `organises`: staff who may record forums (`forums.change_forum`) and see the forum, so those of the
  host region or of a region above it. They change the plan, record it held or cancel it, and keep its
  minutes, attachments and opinions.
- `raises_problems`: an organiser who may also raise problems (`problems.add_problem`): puts an opinion
  of the forum on the problem list.
"""

from accounts.access import scope_prefix

PLAN_PERMISSION = "forums.add_forum"
RECORD_PERMISSION = "forums.change_forum"
RAISE_PERMISSION = "problems.add_problem"


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def reaches(user, region_code):
    """The region of `region_code` is the user's own or below it (the region fence, without a query)."""
    if not _active(user):
        return False
    prefix = scope_prefix(user)
    return prefix is not None and region_code.startswith(prefix)


def plans_forums(user, forum=None):
    """Officials who plan forums (for their region and the regions below it)."""
    return _active(user) and user.has_perm(PLAN_PERMISSION)


def records_forums(user):
    """Officials who record forums: change a plan, record it held or cancelled, keep its minutes."""
    return _active(user) and user.has_perm(RECORD_PERMISSION)


def sees(user, forum):
    """The forum's host region is the user's region or one below it."""
    return reaches(user, forum.region_id)


def organises(user, forum):
    """Staff who record forums, of the host region or of a region above it."""
    return records_forums(user) and sees(user, forum)


def raises_problems(user, forum):
    """An organiser of the forum who may also put problems on the list."""
    return organises(user, forum) and user.has_perm(RAISE_PERMISSION)
