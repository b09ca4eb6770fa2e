"""The enterprise's door: the pages an enterprise's contact reaches without an account, and the staff's.

`open_link` is the address of an access link: it opens the door and sends the reader on to `door:home`,
so the token leaves the address bar and the history. `start` is where a reader without a session lands
("open the link your liaison cadre gave you"). Pages behind the door are wrapped in
`door.sessions.door_required`.

The staff's side (`links`, `enterprise_links`, `issue`, `revoke`): staff and administrators of the
enterprise's region (permission `door.issue_access`, then the fence: another region's enterprise is a 404).
A link is shown once, in the answer to `issue`: the page with the link, its copy button and QR code is
also the printed letter handed over on a visit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.access import get_visible_or_404
from core.forms import add_service_errors, form_error_text, refusal_text
from core.http import client_address
from core.listing import paginate
from enterprises.models import Enterprise
from notifications.channels import absolute_url
from problems.feedback.handover import qr_svg

from . import links as door_links
from . import selectors, services
from .access import ISSUE_PERMISSION
from .forms import IssueForm, LinksFilterForm, RevokeForm
from .models import EnterpriseAccess, EventKind
from .sessions import door_access, door_page, door_required, enter, leave

# Refusals of a link, by their HTTP status: a link nobody issued is missing; an ended one is gone for good.
REFUSAL_STATUS = {"invalid": 404, "expired": 410, "revoked": 410, "suspended": 410, "throttled": 429}


def _seen(request):
    return {"address": client_address(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")}


@require_safe
@door_required
def home(request):
    context = {**selectors.home_context(request.door_enterprise), "access": request.door_access}
    return render(request, "door/home.html", context)


@require_safe
@door_page
def start(request):
    if door_access(request) is not None:
        return redirect("door:home")
    return render(request, "door/start.html", {"official": request.user.is_authenticated})


@require_safe
@door_page
def open_link(request, token):
    if request.user.is_authenticated:
        # An official's session and an enterprise's are never one: the official signs out first.
        return render(request, "door/start.html", {"official": True})
    if request.method == "HEAD":
        return HttpResponse()  # a link preview's probe opens nothing
    opening = services.open_link(token=token, **_seen(request))
    if opening.access is None:
        context = {"message": services.REFUSALS[opening.refusal], "refusal": opening.refusal}
        return render(request, "door/refused.html", context, status=REFUSAL_STATUS[opening.refusal])
    enter(request, opening.access)
    return redirect("door:home")


@require_POST
@door_page
def sign_out(request):
    access = door_access(request)
    if access is not None:
        services.record(EventKind.SIGNED_OUT, access=access, **_seen(request))
    leave(request)
    messages.success(request, _("You have signed out. Open your link again to come back."))
    return redirect("door:start")


# The staff's side


@require_safe
@permission_required(ISSUE_PERMISSION, raise_exception=True)
def links(request):
    """The live links of the reader's region, newest first."""
    form = LinksFilterForm(request.GET)
    accesses = (
        EnterpriseAccess.objects.visible_to(request.user)
        .live()
        .select_related("enterprise", "issued_by")
        .order_by("-issued_at", "-pk")
    )
    page = paginate(request, form.filter(accesses))
    return render(request, "door/links.html", {"filter": {"form": form}, "page": page})


# The ended links an enterprise's page lists, most recent first.
ENDED_SHOWN = 10


def _links_of(enterprise):
    """The enterprise's live links, and its last ended or expired ones."""
    now = timezone.now()
    accesses = EnterpriseAccess.objects.filter(enterprise=enterprise).select_related("issued_by", "revoked_by")
    live = accesses.live(now=now)
    return {
        "live_links": list(live.order_by("-issued_at")),
        "ended_links": list(accesses.exclude(pk__in=live.values("pk")).order_by("-issued_at")[:ENDED_SHOWN]),
    }


def _enterprise_page(request, enterprise, *, issue_form=None, status=200):
    context = {
        "enterprise": enterprise,
        "issue_form": issue_form
        or IssueForm(initial={"contact_name": enterprise.contact_name, "contact_mobile": enterprise.contact_mobile}),
        **_links_of(enterprise),
    }
    return render(request, "door/enterprise_links.html", context, status=status)


@require_safe
@permission_required(ISSUE_PERMISSION, raise_exception=True)
def enterprise_links(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    return _enterprise_page(request, enterprise)


@require_POST
@never_cache
@permission_required(ISSUE_PERMISSION, raise_exception=True)
def issue(request, pk):
    """Issue a link and show it, this once: the answer is the letter to print or the link to copy."""
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            access, token = services.issue_access(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            link = absolute_url(door_links.link_path(token), request)
            context = {
                "access": access,
                "enterprise": enterprise,
                "link": link,
                "qr_svg": qr_svg(link, label=_("QR code of the enterprise's access link")),
            }
            return render(request, "door/issued.html", context)
    return _enterprise_page(request, enterprise, issue_form=form)


@require_POST
@permission_required(ISSUE_PERMISSION, raise_exception=True)
def revoke(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    form = RevokeForm(request.POST, enterprise=enterprise)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
    else:
        try:
            services.revoke_access(actor=request.user, access=form.cleaned_data["access"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("Link revoked: it no longer opens the enterprise's pages."))
    return redirect("door:enterprise_links", pk=enterprise.pk)
