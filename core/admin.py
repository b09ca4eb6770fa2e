"""What the admin of every app shares: records with history are never deleted by hand.

A record that others rely on (a submitted visit, a held forum, a case, an event of a timeline, a login
record) is deactivated, withdrawn or voided through the portal, never deleted: its admin answers
`has_delete_permission` with False, which also removes Django's bulk "delete selected" action. A record that
may be deleted only in some states (a draft) uses `DeletableWhile` below.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


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


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of every model with an audit trail: its history is read, never written back.

    simple_history's version page would save an earlier version over the record on a POST (and on the view
    permission alone), bypassing the services that keep a record's states and events: a submitted visit turned
    back into a draft, a closed assessment period reopened, an official's roles restored without a trace in the
    security log. Here the version page only shows; a POST to it answers 403, and the "revert" button is hidden
    (`SIMPLE_HISTORY_REVERT_DISABLED`). An earlier value is put back as any change is: through the portal or the
    record's own admin page, recorded as a new version.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
