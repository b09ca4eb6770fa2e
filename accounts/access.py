"""The region fence: what a user may see, in one place.

Every region-bound record carries its own indexed region key, and region codes are prefixes of the
codes below them (山东省 37, 济南市 3701, 历下区 370102). A user sees their own region and everything
below it, so the fence is one `startswith` filter on that key, served by an index.

- Querysets of region-bound models inherit `RegionScopedQuerySet` and so have `visible_to(user)`. A
  record seen from more than one region names several keys: a problem is visible by its enterprise's
  region OR by the region handling it now (`region_keys` of problems.models.ProblemQuerySet).
- Views fetch single records only through `get_visible_or_404`: outside the user's region a record
  is a 404, the same answer as a missing one.
- Forms narrow their choice lists with the same `visible_to(user)`.
- tests/test_fence.py fails when a model with a region column lacks the region queryset.

The doors deliberately left WITHOUT this fence, each for a reason of its own:

- The public showcase (`/showcase/`, cases.showcase.views): published model cases, open without logging
  in; it starts from `Case.objects.for_showcase()` (published cases only, public fields only).
- The practice library (reviews): practices of acknowledged reviews, `Practice.objects.in_library()`,
  read province-wide on purpose, so a county learns from another city. Reviews themselves are fenced.
- A policy's applicability (the visits policy library): a reader also sees the policies in force in
  their region, those issued for the regions above it (`Policy.objects.applicable_to(user)`,
  `applicable_in(code)`); only a policy inside the fence (`visible_to`) may be edited.
- One's own import jobs (enterprises `ImportJob`): fenced by owner, not by region
  (`ImportJob.objects.of_owner(user)`); the import itself accepts only rows of the importer's regions.
- The assessment schemes that assess a region (assessment.schemes.selectors): a county reads its city's
  scheme and the province's, a city the province's, since those decide its score; only a scheme of one's
  own region may be changed.
- The published rankings of a closed assessment period (assessment.dashboards): a region sees the names
  and scores of the peers it is ranked against, never their records (the drill-down stays fenced).
- Django's admin (`/admin/`): not region-fenced, so only the province's administrators get `is_staff`
  and enter it (accounts.services).
"""

import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.security_log import security_event


def sees_everything(user):
    """Superusers and officials of the province itself see every region."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.region_id is not None and user.region_id == PROVINCE_CODE)


def scope_prefix(user):
    """The code prefix of the regions `user` may see, or None when they may see none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    if user.region_id is None:
        return None
    return region_code_prefix(user.region_id)


PROVINCE_CODE = "370000"


def ancestor_codes(code):
    """The codes of the regions above `code`, from the province down, without a query:
    370102 -> [370000, 370100]; 370100 -> [370000]; 370000 -> []."""
    return [above for above in dict.fromkeys([code[:2] + "0000", code[:4] + "00"]) if above != code]


def region_code_prefix(code):
    """370000 -> 37, 370100 -> 3701, 370102 -> 370102: the prefix every region below shares."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


class RegionScopedQuerySet(models.QuerySet):
    """Base queryset of every region-bound model.

    `region_keys` names the lookups of the region codes a record is seen by: a record is visible when
    any of them lies inside the user's scope. The first is the record's own region, the one `in_region`
    filters on. A lookup through to the code of a related region (`region__code`) is answered from the
    local `_id` column, with no join (a region's code is its key); a region itself uses `code`. A model
    with a single key may set `region_key` instead.
    """

    region_key = "region__code"
    region_keys = None

    @property
    def fence_keys(self):
        """The lookups of the region codes this model's records are seen by, the record's own first."""
        return tuple(self.region_keys or (self.region_key,))

    def visible_to(self, user):
        prefix = scope_prefix(user)
        if prefix is None:
            return self.none()
        if prefix == "":
            return self.all()
        return self.filter(reduce(operator.or_, (Q(**{f"{key}__startswith": prefix}) for key in self.fence_keys)))

    def in_region(self, region):
        """Records of `region` and of the regions below it, by the record's own region (a filter a user
        picks, inside the fence)."""
        return self.filter(**{f"{self.fence_keys[0]}__startswith": region_code_prefix(region.code)})


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one record the user may see; a record outside their region is as missing as no record.

    The answer is the same 404, but the security log tells them apart: when the record exists outside the
    fence, an `out_of_region` line names who asked for what (one more query, on a miss only)."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        return get_object_or_404(queryset.visible_to(user), **lookup)
    except (ValueError, TypeError, ValidationError) as error:
        # A malformed id in the URL is a missing record too, never a server error.
        raise Http404 from error
    except Http404:
        if queryset.filter(**lookup).exists():
            security_event(None, "out_of_region", user=user, model=queryset.model._meta.label_lower, lookup=_loggable(lookup))
        raise


def _loggable(lookup):
    return {name: getattr(value, "pk", value) for name, value in lookup.items()}
