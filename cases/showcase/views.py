"""The public showcase (先进典型展示): the only pages of the portal open without logging in.

Everything here starts from `Case.objects.for_showcase()`, which holds published cases only, and the
templates show only the public fields (see cases.models). A case that is not published, or no longer
is, is a 404, exactly like a case that never existed.
"""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts.models import Region
from core.listing import paginate
from enterprises.models import Industry

from ..models import Case, CasePhoto, Quality
from ..photos import photo_response

PAGE_SIZE = 12


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        return region.name


class ShowcaseFilterForm(forms.Form):
    quality = forms.ChoiceField(label=_("Quality"), choices=[("", _("All qualities")), *Quality.choices], required=False)
    city = CityChoiceField(
        label=_("City"),
        queryset=Region.objects.cities().order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("All cities"),
    )
    industry = forms.ModelChoiceField(
        label=_("Industry"), queryset=Industry.objects.all(), required=False, empty_label=_("All industries")
    )

    def filter(self, cases):
        if not self.is_valid():
            return cases.none()
        if self.cleaned_data["quality"]:
            cases = cases.with_quality(self.cleaned_data["quality"])
        if self.cleaned_data["city"]:
            cases = cases.in_region(self.cleaned_data["city"])
        if self.cleaned_data["industry"]:
            cases = cases.filter(enterprise__industry=self.cleaned_data["industry"])
        return cases


@login_not_required
@require_safe
def showcase_list(request):
    form = ShowcaseFilterForm(request.GET)
    page = paginate(request, form.filter(Case.objects.for_showcase()), page_size=PAGE_SIZE)
    return render(request, "showcase/list.html", {"form": form, "page": page, "qualities": Quality.choices})


@login_not_required
@require_safe
def showcase_detail(request, pk):
    case = get_object_or_404(Case.objects.for_showcase(), pk=pk)
    context = {"case": case, "photos": list(case.photos.all()), "publicity": case.publicity.all()}
    return render(request, "showcase/detail.html", context)


@login_not_required
@require_safe
def showcase_photo(request, pk):
    """A photo of a published case; any other photo is as missing as one that never existed."""
    try:
        photo = CasePhoto.objects.get(pk=pk, case__in=Case.objects.published())
    except CasePhoto.DoesNotExist:
        raise Http404 from None
    return photo_response(photo, public=True)
