"""What the admin of every app shares: records with history are never deleted by hand.

A record that others rely on (a submitted visit, a held forum, a case, an event of a timeline, a login
record) is deactivated, withdrawn or voided through the portal, never deleted: its admin answers
`has_delete_permission` with False, which also removes Django's bulk "delete selected" action. A record that
may be deleted only in some states (a draft) uses `DeletableWhile` below.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied


class DeletableWhile:
    """A ModelAdmin or inline mixin: a record is deleted only while `may_delete(obj)` says so, one at a time.

    On a ModelAdmin, `obj` is the record: its delete page answers 403 when it may not be deleted, and the
    changelist offers no bulk "delete selected" (which would ask about the whole selection at once, not each
    record). On an inline, `obj` is the parent record, and its rows may be deleted only while the parent
    allows it.
    """

    def may_delete(self, obj):
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self.may_delete(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class RevertsOnlyWhatMayChange:
    """A SimpleHistoryAdmin mixin: an earlier version is restored only onto a record its admin may still change.

    simple_history's version page saves a POST on the view permission alone, and asks about the *historical*
    version (a submitted visit's version of when it was a draft may be changed): without this, a submitted or
    voided visit could be turned back into a draft, or un-voided, from its history page.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
