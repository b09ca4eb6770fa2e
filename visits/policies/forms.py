"""The policy library's form and list filter.

Staff add the policies of their own level: the region list holds only the actor's regions, and the
level must fit the region it is issued for (a national or provincial policy is issued for the
province, a city policy for a city, a county policy for a county).
"""

import os
import uuid

import django_filters
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Exists, OuterRef, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import PROVINCE_CODE
from accounts.forms import SEARCHABLE, RegionChoiceField, regions_for_choice
from accounts.models import Region, RegionLevel
from core import pdf_guard
from core.widgets import DateInput, FastSelectMultiple
from enterprises.models import Industry, Size, Tag

from ..models import Policy, PolicyLevel

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"

# The level of the region a policy of each level is issued for.
REGION_LEVEL_OF = {
    PolicyLevel.NATIONAL: RegionLevel.PROVINCE,
    PolicyLevel.PROVINCE: RegionLevel.PROVINCE,
    PolicyLevel.CITY: RegionLevel.CITY,
    PolicyLevel.COUNTY: RegionLevel.COUNTY,
}

LEVEL_REGION_ERRORS = {
    RegionLevel.PROVINCE: _("A national or provincial policy is issued for Shandong province: choose the province."),
    RegionLevel.CITY: _("A city policy is issued for a city: choose the city."),
    RegionLevel.COUNTY: _("A county policy is issued for a county-level region: choose the county."),
}


def check_pdf(uploaded_file):
    """Refuse anything but a PDF of at most 10 MB: the extension AND the content must say PDF, and it must not act
    when opened."""
    if os.path.splitext(uploaded_file.name or "")[1].lower() != ".pdf":
        raise forms.ValidationError(_("Attach the document as a PDF file (.pdf)."), code="not_pdf")
    if uploaded_file.size > MAX_DOCUMENT_BYTES:
        raise forms.ValidationError(
            _("The document is %(size)s; it may be at most %(limit)s.")
            % {"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(MAX_DOCUMENT_BYTES)},
            code="too_large",
        )
    head = uploaded_file.read(len(PDF_SIGNATURE))
    uploaded_file.seek(0)
    if head != PDF_SIGNATURE:
        raise forms.ValidationError(
            _("This file is not really a PDF, whatever its name says: save the document as PDF and attach it again."),
            code="not_pdf_content",
        )
    # Nor one that would run a script or a program when a reader opens it (core.pdf_guard).
    pdf_guard.check_pdf(uploaded_file.read(), uploaded_file.name)
    uploaded_file.seek(0)


class PolicyForm(forms.ModelForm):
    region = RegionChoiceField(
        label=_("Issued for"),
        queryset=Region.objects.none(),
        help_text=_("The province for national and provincial policies; the city or county otherwise."),
    )
    sizes = forms.MultipleChoiceField(
        label=_("Enterprise sizes"),
        choices=Size.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none if the policy applies to enterprises of every size."),
    )
    link = forms.URLField(
        label=Policy._meta.get_field("link").verbose_name,
        required=False,
        assume_scheme="https",
        help_text=_("Where the policy is published, for example on the government's website."),
    )

    class Meta:
        model = Policy
        fields = [
            "title",
            "document_number",
            "issuer",
            "level",
            "region",
            "issued_on",
            "valid_from",
            "valid_until",
            "summary",
            "link",
            "document",
            "industries",
            "sizes",
            "tags",
        ]
        widgets = {
            "issued_on": DateInput(),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "document": forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
            "industries": FastSelectMultiple(attrs=SEARCHABLE),
            "tags": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "valid_from": _("Empty: in force from the issue date."),
            "valid_until": _("Empty: no end date."),
            "document": _("The policy text as a PDF, at most 10 MB."),
            "industries": _("Leave empty if the policy applies to every industry."),
            "tags": _("Tick none if the policy applies whatever the enterprise's tags."),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        regions = regions_for_choice(actor).filter(level__in=[RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY])
        self.fields["region"].queryset = regions
        # Offer only the levels the actor can issue for: a county's staff add county policies only.
        region_levels = set(regions.values_list("level", flat=True).distinct())
        self.fields["level"].choices = [("", "---------")] + [
            (level.value, level.label) for level in PolicyLevel if REGION_LEVEL_OF[level] in region_levels
        ]
        self.fields["industries"].queryset = Industry.objects.all()
        # A tag since retired stays on the policies that had it, rather than vanishing on the next save.
        chosen_tags = self.instance.tags.all() if self.instance.pk else Tag.objects.none()
        self.fields["tags"].queryset = Tag.objects.filter(Q(is_active=True) | Q(pk__in=chosen_tags.values("pk")))
        if self.instance.pk:
            self.initial["sizes"] = self.instance.size_list
        elif actor.region_id:
            self.initial.setdefault("region", actor.region_id)
            self.initial.setdefault("level", self._level_for(actor.region))

    @staticmethod
    def _level_for(region):
        return {
            RegionLevel.PROVINCE: PolicyLevel.PROVINCE,
            RegionLevel.CITY: PolicyLevel.CITY,
            RegionLevel.COUNTY: PolicyLevel.COUNTY,
        }.get(region.level)

    def clean_document(self):
        document = self.cleaned_data.get("document")
        # Only a new upload is checked: an unchanged document was checked when it came, False is "clear".
        if isinstance(document, UploadedFile):
            check_pdf(document)
            # A random name on disk: the uploader's file name is never trusted as a path.
            document.name = f"{uuid.uuid4().hex}.pdf"
        return document

    def clean_sizes(self):
        chosen = set(self.cleaned_data["sizes"])
        # Stored in the order of the choices, comma-joined, as Policy.sizes expects.
        return ",".join(size for size in Size.values if size in chosen)

    def clean(self):
        cleaned = super().clean()
        level, region = cleaned.get("level"), cleaned.get("region")
        if level and region:
            wanted = REGION_LEVEL_OF[PolicyLevel(level)]
            fits = region.code == PROVINCE_CODE if wanted == RegionLevel.PROVINCE else region.level == wanted
            if not fits:
                self.add_error("region", LEVEL_REGION_ERRORS[wanted])
        valid_from, valid_until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("A policy cannot end before it comes into force."))
        if "document" not in self.errors and not (cleaned.get("summary") or cleaned.get("link") or cleaned.get("document")):
            # Readers need something to go on: what the policy offers, where to read it, or its text.
            self.add_error(None, _("Give a summary, a link to the policy or its PDF document, or several of these."))
        return cleaned


class PolicyFilter(django_filters.FilterSet):
    """Filters of the policy library; every value is a GET parameter so a filtered list can be shared."""

    q = django_filters.CharFilter(label=_("Title or document number"), method="search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=PolicyLevel.choices, empty_label=_("All levels"))
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Industry.objects.all(), method="for_industry", empty_label=_("All industries")
    )
    valid = django_filters.ChoiceFilter(
        label=_("Validity"),
        choices=[("yes", _("Valid today")), ("no", _("Expired or not yet valid"))],
        method="by_validity",
        empty_label=_("All"),
    )

    class Meta:
        model = Policy
        fields = ["q", "level", "industry", "valid"]

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(document_number__icontains=value))

    def for_industry(self, queryset, name, industry):
        """Policies that apply to the industry: those naming it and those for every industry."""
        listed = Policy.industries.through.objects.filter(policy=OuterRef("pk"))
        return queryset.filter(Exists(listed.filter(industry=industry)) | ~Exists(listed))

    def by_validity(self, queryset, name, value):
        valid_today = Policy.objects.valid_on(self.today).values("pk")
        return queryset.filter(pk__in=valid_today) if value == "yes" else queryset.exclude(pk__in=valid_today)
