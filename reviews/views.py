"""The review pages (fenced to the user's region and below) and the practice library (province-wide).

Views stay thin: forms parse, reviews.services decides. A refused move is a message and a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import get_visible_or_404
from core.forms import add_service_errors, form_error_text, refusal_text
from core.listing import filtered_page

from . import access, services
from .filters import PracticeFilter, ReviewFilter
from .forms import AcknowledgeForm, PracticeFormSet, ReturnForm, ReviewForm, StartReviewForm
from .lifecycle import LIFECYCLE, Action, practice_offers
from .models import Practice, Recommendation, Review
from .periods import active_cadences, writable_periods


@require_safe
@permission_required("reviews.view_review", raise_exception=True)
def review_list(request):
    reviews = Review.objects.visible_to(request.user).select_related("region__parent", "cadence")
    review_filter = ReviewFilter(request.GET, queryset=reviews, actor=request.user)
    page = filtered_page(request, review_filter)
    today = timezone.localdate()
    for review in page:
        review.overdue = review.is_overdue(today=today)
    context = {"filter": review_filter, "page": page, "can_start": access.can_start(request.user)}
    return render(request, "reviews/review_list.html", context)


@permission_required("reviews.add_review", raise_exception=True)
def review_create(request):
    """The reviews the user's region may write now, each started with one click or opened if it exists."""
    today = timezone.localdate()
    pairs = writable_periods(active_cadences(), today=today) if request.user.region_id else []
    form = StartReviewForm(request.POST or None, pairs=pairs)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_error_text(form))
            return redirect("reviews:create")
        try:
            review = services.start_review(actor=request.user, region=request.user.region, today=today, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect("reviews:create")
        messages.success(request, _("Review started: write its good practices and sections, then submit it."))
        return redirect("reviews:update", pk=review.pk)
    existing = {
        (review.cadence_id, review.period_label): review
        for review in Review.objects.filter(
            region_id=request.user.region_id, period_label__in={period.label for _cadence, period in pairs}
        )
    }
    rows = [
        {
            "key": f"{cadence.pk}:{period.label}",
            "cadence": cadence,
            "period": period,
            "due_on": cadence.due_on(period),
            "review": existing.get((cadence.pk, period.label)),
        }
        for cadence, period in pairs
    ]
    return render(request, "reviews/review_create.html", {"rows": rows, "today": today})


def _review_for(request, pk):
    return get_visible_or_404(Review.objects.select_related("region__parent", "cadence", "created_by"), request.user, pk=pk)


@require_safe
@permission_required("reviews.view_review", raise_exception=True)
def review_detail(request, pk):
    review = _review_for(request, pk)
    actions = LIFECYCLE.offers(request.user, review)
    context = {
        "review": review,
        "practices": review.practices.prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("region__parent"))
        ),
        "events": review.events.select_related("actor"),
        "actions": actions,
        "acknowledge_form": AcknowledgeForm(prefix="acknowledge") if actions.get(Action.ACKNOWLEDGE) else None,
        "return_form": ReturnForm(prefix="return") if actions.get(Action.RETURN) else None,
        "overdue": review.is_overdue(today=timezone.localdate()),
        "practices_in_library": review.practices_in_library and request.user.has_perm("reviews.view_practice"),
    }
    return render(request, "reviews/review_detail.html", context)


@permission_required("reviews.change_review", raise_exception=True)
def review_update(request, pk):
    review = _review_for(request, pk)
    if not LIFECYCLE.allows(request.user, review, Action.EDIT):
        messages.error(request, _("Only the staff of the review's region can change it, and only before it is submitted."))
        return redirect("reviews:detail", pk=review.pk)
    form = ReviewForm(request.POST or None, instance=review)
    practices = PracticeFormSet(request.POST or None, instance=review, prefix="practices")
    if request.method == "POST" and form.is_valid() and practices.is_valid():
        deleted = set(practices.deleted_forms)
        kept = [
            practice_form.instance
            for practice_form in practices.forms
            if practice_form.cleaned_data and practice_form not in deleted
        ]
        removed = [practice_form.instance for practice_form in deleted if practice_form.instance.pk]
        try:
            review = services.save_review(actor=request.user, review=review, practices=kept, removed=removed, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.POST.get("action") != "submit":
                messages.success(request, _("Draft saved."))
                if request.POST.get("action") == "add":
                    return redirect("reviews:update", pk=review.pk)
                return redirect("reviews:detail", pk=review.pk)
            return _submit(request, review)
    if request.method == "POST" and any("id" in practice_form.errors for practice_form in practices.forms):
        messages.error(request, _("The practices changed since this page was opened: reload it and make your changes again."))
    context = {
        "review": review,
        "form": form,
        "practices": practices,
        "returned": review.pending_return(),
        "actions": LIFECYCLE.offers(request.user, review),
    }
    return render(request, "reviews/review_form.html", context)


@require_POST
@permission_required("reviews.change_review", raise_exception=True)
def review_submit(request, pk):
    return _submit(request, _review_for(request, pk))


def _submit(request, review):
    try:
        review = services.submit_review(actor=request.user, review=review)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        if LIFECYCLE.allows(request.user, review, Action.EDIT):
            return redirect("reviews:update", pk=review.pk)
        return redirect("reviews:detail", pk=review.pk)
    messages.success(request, _("Review submitted to the region above."))
    return redirect("reviews:detail", pk=review.pk)


@require_POST
@permission_required("reviews.acknowledge_reviews", raise_exception=True)
def review_acknowledge(request, pk):
    return _decide(request, pk, AcknowledgeForm, "acknowledge", services.acknowledge_review, _("Review acknowledged."))


@require_POST
@permission_required("reviews.acknowledge_reviews", raise_exception=True)
def review_return(request, pk):
    return _decide(request, pk, ReturnForm, "return", services.return_review, _("Review returned for revision."))


def _decide(request, pk, form_class, prefix, function, success):
    review = _review_for(request, pk)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("reviews:detail", pk=review.pk)
    try:
        function(actor=request.user, review=review, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, success)
    return redirect("reviews:detail", pk=review.pk)


def _library():
    # Deliberately not `visible_to(user)`: the library is province-wide (see reviews.models).
    return Practice.objects.in_library().select_related("region__parent", "review__cadence")


@require_safe
@permission_required("reviews.view_practice", raise_exception=True)
def practice_list(request):
    practices = _library().prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.select_related("region__parent"))
    )
    practices = practices.order_by("-review__period_end", "region_id", "pk")
    practice_filter = PracticeFilter(request.GET, queryset=practices)
    page = filtered_page(request, practice_filter)
    return render(request, "reviews/practice_list.html", {"filter": practice_filter, "page": page})


@require_safe
@permission_required("reviews.view_practice", raise_exception=True)
def practice_detail(request, pk):
    practice = get_object_or_404(_library(), pk=pk)
    recommendations = practice.recommendations.select_related("region__parent", "recommended_by")
    recommended = any(item.region_id == request.user.region_id for item in recommendations)
    context = {
        "practice": practice,
        "recommendations": recommendations,
        "actions": practice_offers(request.user, practice, recommended=recommended),
        # The review itself stays fenced: link to it only for those who may open it.
        "can_open_review": request.user.has_perm("reviews.view_review")
        and Review.objects.visible_to(request.user).filter(pk=practice.review_id).exists(),
    }
    return render(request, "reviews/practice_detail.html", context)


@require_POST
@permission_required("reviews.recommend_practices", raise_exception=True)
def practice_recommend(request, pk):
    practice = get_object_or_404(_library(), pk=pk)
    try:
        services.recommend_practice(actor=request.user, practice=practice)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Recommended to your region and the regions below it."))
    return redirect("reviews:practice_detail", pk=practice.pk)


@require_POST
@permission_required("reviews.recommend_practices", raise_exception=True)
def practice_unrecommend(request, pk):
    practice = get_object_or_404(_library(), pk=pk)
    try:
        services.unrecommend_practice(actor=request.user, practice=practice)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Recommendation withdrawn."))
    return redirect("reviews:practice_detail", pk=practice.pk)
