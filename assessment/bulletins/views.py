"""Progress bulletins, the assessment table and the printable report of a region: read-only pages, fenced.

A bulletin, a report or a table is of the user's region or a region below it (`visible_to`); anything
else is a 404. Files are handed out only through these views.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.access import get_visible_or_404
from accounts.models import Region, RegionLevel
from core.attachments import attachment_response
from core.listing import paginate
from core.workbooks import xlsx_response

from ..access import FOLLOW_PERMISSION
from ..models import AssessmentPeriod, Bulletin
from . import selectors
from .exports import assessment_table_file_name, assessment_table_workbook

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _regions_with_bulletins(user):
    """The province and cities inside the user's fence, for the list's filter."""
    return Region.objects.visible_to(user).filter(level__in=[RegionLevel.PROVINCE, RegionLevel.CITY]).order_by("code")


@require_safe
@permission_required(FOLLOW_PERMISSION, raise_exception=True)
def bulletin_list(request):
    bulletins = Bulletin.objects.visible_to(request.user).select_related("region", "period").order_by("-issue", "region_id")
    regions = list(_regions_with_bulletins(request.user))
    chosen = next((region for region in regions if region.code == request.GET.get("region")), None)
    if chosen is not None:
        bulletins = bulletins.filter(region=chosen)
    context = {"page": paginate(request, bulletins), "regions": regions, "chosen": chosen}
    return render(request, "assessment/bulletins/bulletin_list.html", context)


def _bulletin_for(request, pk):
    return get_visible_or_404(Bulletin.objects.select_related("region", "period"), request.user, pk=pk)


@require_safe
@permission_required(FOLLOW_PERMISSION, raise_exception=True)
def bulletin_detail(request, pk):
    bulletin = _bulletin_for(request, pk)
    context = {"bulletin": bulletin, "shown": selectors.readable(bulletin.content), "period_label": bulletin.period.label}
    return render(request, "assessment/bulletins/bulletin_detail.html", context)


class _StoredFile:
    """A bulletin's file as core.attachments.attachment_response serves it."""

    def __init__(self, file, content_type):
        self.file, self.content_type = file, content_type


@require_safe
@permission_required(FOLLOW_PERMISSION, raise_exception=True)
def bulletin_workbook(request, pk):
    bulletin = _bulletin_for(request, pk)
    if not bulletin.workbook:
        raise Http404
    stored = _StoredFile(bulletin.workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = attachment_response(stored, filename=f"工作通报-{bulletin.region.name}-{bulletin.issue}.xlsx")
    response["Content-Disposition"] = response["Content-Disposition"].replace("inline", "attachment", 1)
    return response


@require_safe
@permission_required(FOLLOW_PERMISSION, raise_exception=True)
def bulletin_report(request, pk):
    bulletin = _bulletin_for(request, pk)
    if not bulletin.report:
        raise Http404
    response = attachment_response(
        _StoredFile(bulletin.report, DOCX_CONTENT_TYPE), filename=f"工作通报-{bulletin.region.name}-{bulletin.issue}.docx"
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace("inline", "attachment", 1)
    return response


@require_safe
@permission_required(FOLLOW_PERMISSION, raise_exception=True)
def table_export(request, period):
    """The assessment table of a period for the user's region and the regions below, as .xlsx."""
    period = get_object_or_404(AssessmentPeriod, label=period)
    if request.user.region is None:
        raise Http404
    return xlsx_response(assessment_table_workbook(period, request.user), assessment_table_file_name(period, request.user.region))


@require_safe
@permission_required(FOLLOW_PERMISSION, raise_exception=True)
def region_report(request, period, region):
    """The printable report of one region in a period: its score, and every indicator's value, target and
    contribution; the regions directly below with their scores."""
    period = get_object_or_404(AssessmentPeriod, label=period)
    region = get_visible_or_404(Region.objects.select_related("parent"), request.user, code=region)
    report = region_report_of(period, region)
    return render(request, "assessment/reports/region_report.html", {"period": period, "region": region, **report})


def region_report_of(period, region):
    report = selectors.region_report(period, region)
    below = selectors.ranking_of(period, selectors.peers_below(region)) if region.level != RegionLevel.COUNTY else []
    rows = [
        {"region": peer, "rank": score.rank_among_peers if score else None, "score": score.score if score else None}
        for peer, score in below
    ]
    return {**report, "below": rows}
