"""Government-enterprise forums (政企座谈会): planned, held with minutes and an attendance list, or cancelled.

A forum belongs to its host region, the fence key: officials see the forums of their region and of the
regions below it. How often each level must hold one is `ForumCadence`, data that administrators edit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.access import PROVINCE_CODE, RegionScopedQuerySet
from accounts.models import Department, Region, RegionLevel
from core.attachments import StoredAttachment, random_file_name
from core.history import AuditedHistory
from core.periods import parse_lead_days, validate_lead_days, validate_months  # noqa: F401 (migrations name them here)
from enterprises.models import Enterprise


class ForumCadence(models.Model):
    """How often the forums of a level fall due, and how long before a period ends its staff are reminded."""

    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices, unique=True)
    months = models.PositiveSmallIntegerField(
        _("period (months)"), validators=[validate_months], help_text=_("12 yearly, 6 half-yearly, 3 quarterly.")
    )
    lead_days = models.CharField(
        _("remind days before the period ends"),
        max_length=50,
        default="30,7",
        blank=True,
        validators=[validate_lead_days],
        help_text=_("Days before the end of a period without a forum, separated by commas, for example 30,7."),
    )

    history = AuditedHistory(region=lambda row: PROVINCE_CODE)  # one cadence for the whole province

    class Meta:
        ordering = ["-months"]
        verbose_name = _("forum cadence")
        verbose_name_plural = _("forum cadences")

    def __str__(self):
        return f"{self.get_level_display()}: {self.months}"

    @property
    def lead_days_list(self):
        return parse_lead_days(self.lead_days)


class ForumStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("forum", "Planned")  # 已计划: a planned forum, not a planned visit
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


# The colour of each status's badge (`{% status_badge forum %}`): Bootstrap's contextual colours.
STATUS_COLOURS = {
    ForumStatus.PLANNED: "secondary",
    ForumStatus.HELD: "secondary",
    ForumStatus.CANCELLED: "secondary",
}


def takes_replies(status, starts_at, *, now=None):
    """A forum of this status and start takes its invited enterprises' replies: it is planned and has not
    begun (`Forum.takes_replies`, for a forum read as values)."""
    return status == ForumStatus.PLANNED and starts_at > (now or timezone.now())


class ForumQuerySet(RegionScopedQuerySet):
    def with_attendance_flag(self):
        """Annotate `has_attendance`: at least one enterprise attended, in the same query."""
        attended = ForumAttendance.objects.filter(forum=OuterRef("pk"), attended=True)
        return self.annotate(has_attendance=Exists(attended))

    def counting(self):
        """Forums that count toward their period: held, with minutes and an attendance list."""
        return self.with_attendance_flag().filter(status=ForumStatus.HELD, has_attendance=True).exclude(minutes="")


class Forum(models.Model):
    region = models.ForeignKey(Region, verbose_name=_("host region"), on_delete=models.PROTECT, related_name="forums")
    # Copied from the host region: the cadence rule that applies, filterable without a join.
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices, editable=False)
    organisers = models.ManyToManyField(Department, verbose_name=_("organising departments"), blank=True, related_name="forums")
    starts_at = models.DateTimeField(_("date and time"))
    venue = models.CharField(_("venue"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=ForumStatus.choices, default=ForumStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    held_at = models.DateTimeField(_("recorded as held"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    invited_enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("invited enterprises"), blank=True, related_name="forum_invitations"
    )
    invited_officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("invited officials"), blank=True, related_name="forum_invitations"
    )
    attending_officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attending officials"), blank=True, related_name="forums_attended"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = AuditedHistory()
    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        indexes = [models.Index(fields=["region", "starts_at"], name="forum_region_starts")]

    def __str__(self):
        return f"{self.starts_date:%Y-%m-%d} {self.theme}"

    @property
    def starts_date(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def status_colour(self):
        return STATUS_COLOURS[self.status]

    @property
    def is_held(self):
        """Held: the forum has its minutes and its attendance, no longer a list of invitations."""
        return self.status == ForumStatus.HELD

    @property
    def is_cancelled(self):
        return self.status == ForumStatus.CANCELLED

    def takes_replies(self, *, now=None):
        """Invited enterprises may still answer the invitation, or change their answer."""
        return takes_replies(self.status, self.starts_at, now=now)


class ForumAttendance(models.Model):
    """An enterprise at the forum, and the entrepreneur who came for it."""

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="attendances")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="forum_attendances"
    )
    entrepreneur_name = models.CharField(_("entrepreneur"), max_length=50)
    title = models.CharField(_("title"), max_length=100, blank=True)
    attended = models.BooleanField(_("attended"), default=True)

    class Meta:
        ordering = ["forum_id", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["forum", "enterprise", "entrepreneur_name"], name="forum_attendance_unique"),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.entrepreneur_name}"


def attachment_path(attachment, filename):
    return random_file_name("forums", filename)


class ForumAttachment(StoredAttachment):
    """A photo, a sign-in sheet or the signed minutes. Served only through the portal."""

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)

    class Meta(StoredAttachment.Meta):
        pass


class ReplyChannel(models.TextChoices):
    DOOR = "door", _("The enterprise's own page")


class ForumReplyQuerySet(RegionScopedQuerySet):
    pass


class ForumReply(models.Model):
    """An invited enterprise's answer to the invitation: it will come (and who), or it will not.

    One per forum and enterprise, changed in place until the forum is held, cancelled or begins
    (forums.services.reply_to_invitation); its history keeps every earlier answer. The region column is
    the forum's host region, as on an opinion, so the forum's readers see the replies through the fence.
    """

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="replies")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="forum_replies"
    )
    attending = models.BooleanField(_("attending"))
    # The names of who will come, as the enterprise wrote them, joined by "、"; empty when not attending.
    attendees = models.CharField(_("who will come"), max_length=200, blank=True)
    replied_at = models.DateTimeField(_("replied"))
    replied_via = models.CharField(_("replied through"), max_length=10, choices=ReplyChannel.choices, default=ReplyChannel.DOOR)

    history = AuditedHistory()
    objects = ForumReplyQuerySet.as_manager()

    class Meta:
        ordering = ["forum_id", "-replied_at", "-id"]
        verbose_name = _("reply to an invitation")
        verbose_name_plural = _("replies to invitations")
        constraints = [models.UniqueConstraint(fields=["forum", "enterprise"], name="forum_reply_one_per_enterprise")]

    def __str__(self):
        return f"{self.enterprise} → {self.forum}"

    @property
    def attendee_list(self):
        return [name for name in self.attendees.split("、") if name]


class OpinionQuerySet(RegionScopedQuerySet):
    pass


class OpinionStage(models.TextChoices):
    """Where an opinion stands (forums.lifecycle.OPINION_LIFECYCLE): raised at the forum, then on the problem list."""

    RAISED = "raised"
    ON_PROBLEM_LIST = "on_problem_list"


class Opinion(models.Model):
    """An opinion or suggestion an enterprise raised at the forum; it may become a problem of the list."""

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="opinions")
    # The forum's host region, kept on the row so that the fence is a filter on this table's own index.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="forum_opinions"
    )
    text = models.TextField(_("opinion or suggestion"))
    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_opinions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = AuditedHistory()
    objects = OpinionQuerySet.as_manager()

    class Meta:
        ordering = ["forum_id", "id"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")

    def __str__(self):
        return self.text[:50]

    @property
    def stage(self):
        return OpinionStage.ON_PROBLEM_LIST if self.problem_id else OpinionStage.RAISED
