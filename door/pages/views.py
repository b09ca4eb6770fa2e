"""The enterprise's pages behind the door, besides its home page (door.views.home): the reply to a forum's
invitation, the policies that fit it and their documents.

Every record is fetched from a queryset of door.selectors that starts from `request.door_enterprise`: a
forum that did not invite the enterprise, or a policy that does not fit it, is a 404 as if it did not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import form_error_text, refusal_text
from core.listing import paginate
from forums.services import reply_to_invitation

from .. import selectors
from ..sessions import door_required
from .forms import ForumReplyForm

POLICIES_PAGE_SIZE = 20


def _home(anchor):
    return redirect(f"{reverse('door:home')}#{anchor}")


@require_POST
@door_required
def forum_reply(request, pk):
    forum = get_object_or_404(selectors.invited_forums(request.door_enterprise), pk=pk)
    form = ForumReplyForm(request.POST, prefix=f"forum-{forum.pk}")
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return _home(f"forum-{forum.pk}")
    try:
        reply_to_invitation(enterprise=request.door_enterprise, forum=forum, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Your reply is saved. You can change it until the forum begins."))
    return _home(f"forum-{forum.pk}")


@require_safe
@door_required
def policies(request):
    rows = selectors.policy_rows(selectors.policies_for(request.door_enterprise))
    page = paginate(request, rows, page_size=POLICIES_PAGE_SIZE)
    entries = selectors.policy_entries(page.object_list)
    return render(request, "door/policies.html", {"page": page, "policies": entries})


@require_safe
@door_required
def policy_document(request, pk):
    """A policy's PDF, for a policy that fits the enterprise only."""
    policy = get_object_or_404(
        selectors.policies_for(request.door_enterprise).only("pk", "title", "document_number", "document"), pk=pk
    )
    if not policy.document:
        raise Http404
    try:
        handle = policy.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = (policy.document_number or policy.title).replace("/", "-").replace("\\", "-")
    return FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=f"{name}.pdf")
