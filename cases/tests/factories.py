"""Factories of model cases, shared by the tests and the demo data.

`CaseFactory` gives a nomination waiting for review; every later state is reached through
cases.services, as in use, except for `published_case_rows`, which lays out many published cases
at once for the query-count guards.
"""

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import UserFactory
from cases.models import Case, CasePhoto, CaseQuality, CaseStatus, Quality, Subject
from enterprises.tests.factories import EnterpriseFactory

# The smallest valid PNG: a 1×1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


class CaseFactory(factory.django.DjangoModelFactory):
    """A nomination of a 历下区 enterprise and its entrepreneur, waiting for review."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    region_id = factory.LazyAttribute(lambda case: case.enterprise.region_id)
    subject = Subject.BOTH
    entrepreneur_name = "张振华"
    entrepreneur_title = "董事长"
    title = factory.Sequence(lambda n: f"深耕实业回报桑梓（{n}）")
    story = "三十年专注精密制造，带动一方就业。"
    achievements = "获评省级专精特新企业。"
    nominated_by = factory.SubFactory(UserFactory)
    nominating_region_id = factory.LazyAttribute(lambda case: case.nominated_by.region_id)
    status = CaseStatus.NOMINATED

    @factory.post_generation
    def qualities(case, create, qualities, **kwargs):
        if create:
            CaseQuality.objects.bulk_create(
                CaseQuality(case=case, quality=quality) for quality in (qualities or [Quality.ENTERPRISING])
            )


def published_case_rows(count, *, region_id="370102", photos=2, **fields):
    """`count` published cases, each with two qualities and `photos` photos: for the query-count guards."""
    cases = []
    for number in range(count):
        case = CaseFactory(
            enterprise=EnterpriseFactory(region_id=region_id),
            status=CaseStatus.PUBLISHED,
            consent_given=True,
            consent_on=timezone.localdate(),
            consent_by="企业办公室主任",
            published_at=timezone.now(),
            qualities=[Quality.PATRIOTIC, Quality.GIVING_BACK],
            **fields,
        )
        for index in range(photos):
            CasePhoto.objects.create(
                case=case, file=png(f"p{number}-{index}.png"), original_name="p.png", content_type="image/png", size=len(PNG)
            )
        cases.append(case)
    return cases
