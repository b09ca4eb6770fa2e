"""Who may act on the enterprise's door. What an official may *see* is `EnterpriseAccess.objects.visible_to(user)`
(the enterprise's region and below); this says what they may *do*.

Staff and administrators (permission `door.issue_access`) of a region that contains the enterprise issue,
re-issue and revoke its access links. A liaison cadre hands a printed letter over on a visit but does not
issue one: a link opens the enterprise's pages to whoever holds it, so it is given by the office that
answers for the enterprise's register.
"""

from accounts.access import scope_prefix

ISSUE_PERMISSION = "door.issue_access"


def may_issue_access(user, enterprise):
    """Staff or administrators whose region contains the enterprise."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    prefix = scope_prefix(user)
    return prefix is not None and enterprise.region_id.startswith(prefix) and user.has_perm(ISSUE_PERMISSION)
