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

import time

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import get_visible_or_404
from core.forms import add_service_errors, form_error_text, refusal_text
from core.http import client_address
from core.listing import paginate
from enterprises.models import Enterprise
from notifications.channels import absolute_url
from problems.feedback.handover import qr_svg

from . import codes, selectors, services
from . import links as door_links
from .access import ISSUE_PERMISSION
from .forms import ChooseEnterpriseForm, CodeForm, IssueForm, LinksFilterForm, MobileForm, RevokeForm
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


def _start_page(request, *, mobile_form=None, refusal="", status=200):
    context = {
        "official": request.user.is_authenticated,
        "sms": codes.sms_channel() is not None,
        "mobile_form": mobile_form or MobileForm(),
        "refusal": codes.REFUSALS.get(refusal, ""),
    }
    return render(request, "door/start.html", context, status=status)


@require_safe
@door_page
def start(request):
    if door_access(request) is not None:
        return redirect("door:home")
    return _start_page(request)


# Signing in with a code (where an SMS channel is configured): the number, then the code, then, for a number
# registered for several enterprises, which one. The session keeps the number between the steps.
CODE_MOBILE_KEY = "door_code_mobile"
VERIFIED_KEY = "door_code_verified"
# The choice of enterprise follows the code within this many seconds.
CHOOSE_WITHIN = 300


@require_POST
@door_page
def code_request(request):
    if codes.sms_channel() is None or request.user.is_authenticated:
        return redirect("door:start")
    form = MobileForm(request.POST)
    if not form.is_valid():
        return _start_page(request, mobile_form=form)
    answer = codes.request_code(mobile=form.cleaned_data["mobile"], **_seen(request))
    if answer == "throttled":
        return _start_page(request, mobile_form=form, refusal=answer, status=429)
    request.session[CODE_MOBILE_KEY] = form.cleaned_data["mobile"]
    if answer == "wait":
        messages.warning(request, codes.REFUSALS["wait"])
    else:
        messages.info(request, _("If this number is registered for an enterprise, a code was sent to it by SMS."))
    return redirect("door:code")


def _enter_with_code(request, enterprise, mobile):
    access = codes.sign_in_with_code(enterprise=enterprise, mobile=mobile, **_seen(request))
    enter(request, access)
    return redirect("door:home")


@require_http_methods(["GET", "HEAD", "POST"])
@door_page
def code(request):
    mobile = request.session.get(CODE_MOBILE_KEY)
    if codes.sms_channel() is None or mobile is None or request.user.is_authenticated:
        return redirect("door:start")
    form = CodeForm(request.POST or None)
    context = {"form": form, "mobile": services.mask_mobile(mobile)}
    if request.method == "POST" and form.is_valid():
        checked = codes.verify_code(mobile=mobile, code=form.cleaned_data["code"], **_seen(request))
        if checked.refusal:
            form.add_error("code", codes.REFUSALS[checked.refusal])
            return render(request, "door/code.html", context, status=429 if checked.refusal == "throttled" else 200)
        del request.session[CODE_MOBILE_KEY]
        if not checked.enterprises:  # unregistered between the code and now
            form.add_error("code", codes.REFUSALS["wrong"])
        elif len(checked.enterprises) == 1:
            return _enter_with_code(request, checked.enterprises[0], mobile)
        else:
            ids = [enterprise.pk for enterprise in checked.enterprises]
            request.session[VERIFIED_KEY] = {"mobile": mobile, "ids": ids, "at": int(time.time())}
            choose = ChooseEnterpriseForm(enterprises=checked.enterprises)
            return render(request, "door/choose.html", {"form": choose})
    return render(request, "door/code.html", context)


@require_POST
@door_page
def code_choose(request):
    """For a number registered for several enterprises: the one to open, within CHOOSE_WITHIN of the code."""
    verified = request.session.get(VERIFIED_KEY)
    if not verified or time.time() - verified["at"] > CHOOSE_WITHIN or request.user.is_authenticated:
        request.session.pop(VERIFIED_KEY, None)
        return redirect("door:start")
    enterprises = list(codes.registered_enterprises(verified["mobile"]).filter(pk__in=verified["ids"]))
    form = ChooseEnterpriseForm(request.POST, enterprises=enterprises)
    if not form.is_valid():
        return render(request, "door/choose.html", {"form": form})
    del request.session[VERIFIED_KEY]
    enterprise = next(enterprise for enterprise in enterprises if enterprise.pk == form.cleaned_data["enterprise"])
    return _enter_with_code(request, enterprise, verified["mobile"])


@require_safe
@door_page
def open_link(request, token):
    if request.user.is_authenticated:
        # An official's session and an enterprise's are never one: the official signs out first.
        return _start_page(request)
    if request.method == "HEAD":
        return HttpResponse()  # a link preview's probe opens nothing
    opening = services.open_link(token=token, **_seen(request))
    if opening.access is None:
        context = {"message": services.REFUSALS[opening.refusal], "refusal": opening.refusal}
        response = render(request, "door/refused.html", context, status=REFUSAL_STATUS[opening.refusal])
        # Django's request log writes the path of every 4xx answer, and this path holds the token (a throttled
        # one may be live): the door's own record (DoorEvent) keeps the refusal instead.
        response._has_been_logged = True
        return response
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
