"""Factories of forums, shared by the tests and (later) the demo data."""

from datetime import datetime

import factory
from django.utils import timezone

from accounts.models import Region
from forums.models import Forum, ForumAttendance


def at(year, month, day, hour=9):
    """A local date and time as stored: aware, in the portal's time zone."""
    return timezone.make_aware(datetime(year, month, day, hour))


class ForumFactory(factory.django.DjangoModelFactory):
    """A planned forum of 历下区."""

    class Meta:
        model = Forum

    region = factory.LazyFunction(lambda: Region.objects.get(code="370102"))
    level = factory.LazyAttribute(lambda forum: forum.region.level)
    starts_at = factory.LazyFunction(lambda: at(2026, 5, 10))
    venue = "区政务中心三楼会议室"
    theme = factory.Sequence(lambda n: f"民营企业座谈会（{n}）")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumAttendance

    forum = factory.SubFactory(ForumFactory)
    enterprise = factory.SubFactory("enterprises.tests.factories.EnterpriseFactory")
    entrepreneur_name = factory.Sequence(lambda n: f"企业家{n}")
    title = "董事长"
