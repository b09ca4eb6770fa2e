"""The problem list (问题清单): problems enterprises raise, who holds each one, and its timeline.

A problem belongs to an enterprise and so to the enterprise's county (`region`, the fence key). Three
more regions and a department say who deals with it:

- `office_region`: the liaison office (统战部) in charge of the problem: that of the official who raised
  it. It triages the problem, and a reopened problem comes back to it.
- `handling_region` and `handling_department`: who holds the problem *now*. An office holds a problem
  that waits for triage (no department); a department holds one it solves or was referred.

A problem referred up to 济南市 or to the province must appear in their lists, so the fence
(`visible_to(user)`, accounts.access) matches the enterprise's region OR the handling region. The
state machine itself (which move is allowed from which state, and who may make it) lives in
`problems.services`; nothing else changes `status`.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import PROVINCE_CODE, RegionScopedQuerySet
from accounts.models import Department, Region
from core.attachments import StoredAttachment, random_file_name
from core.history import AuditedHistory
from enterprises.models import Enterprise


class Category(models.Model):
    """A kind of problem (融资, 用地, ...). Data: administrators rename, order and retire categories."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("Chinese name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")

    def __str__(self):
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Not urgent")


class TimeLimit(models.Model):
    """How many working days a problem of a category and urgency gets, counted from its dispatch."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="time_limits")
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"), validators=[MinValueValidator(1)])

    history = AuditedHistory(region=lambda row: PROVINCE_CODE)  # one table of time limits for the whole province

    class Meta:
        ordering = ["category__order", "category__key", "urgency"]
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [models.UniqueConstraint(fields=["category", "urgency"], name="one_time_limit_per_category_urgency")]

    def __str__(self):
        return f"{self.category} · {self.get_urgency_display()}: {self.working_days}"


class CalendarDay(models.Model):
    """A day whose status the holiday library does not know, or knows wrongly: the table wins.

    The State Council publishes each year's holidays and make-up working days (调休) in the autumn
    before; until a new library release knows them, administrators enter them here.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True, help_text=_("For example 春节 or 国庆节调休上班."))

    history = AuditedHistory(region=lambda row: PROVINCE_CODE)  # one calendar for the whole province

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return self.date.isoformat()


class Source(models.TextChoices):
    VISIT = "visit", _("A visit")
    FORUM = "forum", _("A forum")
    ENTERPRISE = "enterprise", _("The enterprise itself")
    OTHER = "other", _("Other")


class ProblemStatus(models.TextChoices):
    """See the table in problems.services for the moves between these states."""

    NEW = "new", _("Awaiting triage")
    RETURNED = "returned", _("Returned")
    REOPENED = "reopened", _("Reopened")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting on the enterprise")
    REFERRED = "referred", _("Referred, awaiting signature")
    ESCALATED = "escalated", _("Escalated to the province")
    SOLVED = "solved", _("Solved, awaiting feedback")
    EXPLAINED = "explained", _("Explained, awaiting feedback")
    CLOSED = "closed", _("Closed")


# States in which the liaison office holding the problem decides its disposition.
TRIAGE_STATES = frozenset({ProblemStatus.NEW, ProblemStatus.RETURNED, ProblemStatus.REOPENED})
# States in which the enterprise is asked for its verdict.
FEEDBACK_STATES = frozenset({ProblemStatus.SOLVED, ProblemStatus.EXPLAINED})
# States in which the deadline clock runs (once the problem has been dispatched). It stops while the
# problem waits on the enterprise and when an outcome is reached.
CLOCK_STATES = frozenset({ProblemStatus.IN_PROGRESS, ProblemStatus.REFERRED, ProblemStatus.RETURNED, ProblemStatus.ESCALATED})
OPEN_STATES = frozenset(set(ProblemStatus) - FEEDBACK_STATES - {ProblemStatus.CLOSED})
# States of a problem whose outcome stands: awaiting the enterprise's verdict, or closed.
OUTCOME_STATES = frozenset(FEEDBACK_STATES | {ProblemStatus.CLOSED})

# The colour of each status's badge (`{% status_badge problem %}`): Bootstrap's contextual colours.
STATUS_COLOURS = {status: "secondary" for status in ProblemStatus}


class Disposition(models.TextChoices):
    """The campaign's four ways of dealing with a problem."""

    SOLVE = "solve", _("Solve (conditions are in place)")
    REFER = "refer", _("Refer (another department's or a higher level's remit)")
    ESCALATE = "escalate", _("Escalate (a major problem for the province to coordinate)")
    EXPLAIN = "explain", _("Explain (does not meet policy requirements)")


class Outcome(models.TextChoices):
    """What the enterprise is asked to judge: a solution, or an explanation of why there is none."""

    SOLVED = "solved", _("Solved")
    EXPLAINED = "explained", _("Explained")


class ExplanationChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    WRITTEN = "written", _("In writing")
    OTHER = "other", _("Other")


class VerdictChoice(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


ACCEPTING_VERDICTS = frozenset({VerdictChoice.SATISFIED, VerdictChoice.BASICALLY})


class ProblemQuerySet(RegionScopedQuerySet):
    # The fence (accounts.access): the enterprise's region OR the region now handling it lies inside the
    # user's scope. A problem referred to 济南市 shows in 济南市's lists; a sibling county never sees it.
    # `in_region` filters by the first, the enterprise's region.
    region_keys = ("region__code", "handling_region__code")

    def open(self):
        return self.filter(status__in=OPEN_STATES)

    def awaiting_triage(self):
        return self.filter(status__in=TRIAGE_STATES)

    def awaiting_signature(self):
        return self.filter(status=ProblemStatus.REFERRED)

    def escalated(self):
        """What the province still has to decide."""
        return self.filter(status=ProblemStatus.ESCALATED)

    def ever_escalated(self):
        return self.filter(escalated_at__isnull=False)

    def awaiting_feedback(self):
        return self.filter(status__in=FEEDBACK_STATES)

    def held_by(self, user):
        """Problems the user acts on as their holder: those their department holds (handlers) and those
        held by the liaison office of their region (staff who triage). See problems.access.holds."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.open()
        held = Q(pk__in=[])
        if user.department_id and user.has_perm("problems.handle_problems"):
            held |= Q(handling_department_id=user.department_id)
        if user.region_id and user.has_perm("problems.triage_problems"):
            held |= Q(handling_region_id=user.region_id)
        return self.open().filter(held)

    def clock_running(self):
        return self.filter(status__in=CLOCK_STATES, deadline__isnull=False)

    def overdue(self, *, today):
        """Deadline passed and the clock running (a problem waiting on the enterprise is paused)."""
        return self.clock_running().filter(deadline__lt=today)

    def due_by(self, day, *, today):
        """Clock running and due between today and `day` (see deadlines.due_soon_limit for `day`)."""
        return self.clock_running().filter(deadline__gte=today, deadline__lte=day)


class Problem(models.Model):
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="problems")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    office_region = models.ForeignKey(
        Region,
        verbose_name=_("liaison office in charge"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The region whose liaison office triages the problem and takes it back when it is reopened."),
    )
    handling_region = models.ForeignKey(Region, verbose_name=_("handling region"), on_delete=models.PROTECT, related_name="+")
    handling_department = models.ForeignKey(
        Department,
        verbose_name=_("handling department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )

    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.VISIT)
    visit = models.ForeignKey(
        "visits.Visit", verbose_name=_("visit"), null=True, blank=True, on_delete=models.PROTECT, related_name="problems"
    )
    source_note = models.CharField(
        _("source details"), max_length=200, blank=True, help_text=_("Where the problem was raised, when not on a visit.")
    )
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="problems")
    description = models.TextField(_("description"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    # Empty for a demand the enterprise raised itself through its door (services.raise_from_enterprise).
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="raised_problems",
        help_text=_("Empty for a demand the enterprise raised through its own door."),
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)

    status = models.CharField(_("status"), max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.NEW)
    disposition = models.CharField(_("disposition"), max_length=10, choices=Disposition.choices, blank=True)
    proposed_solution = models.TextField(_("proposed solution"), blank=True)

    # The clock: started at the first dispatch (交办), never restarted by a referral bouncing back and
    # forth; extended by the working days the problem waited on the enterprise.
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    paused_on = models.DateField(_("waiting on the enterprise since"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("working days waited on the enterprise"), default=0)

    # The pending referral's sender, to whom a return sends the problem back.
    referred_from_region = models.ForeignKey(
        Region, verbose_name=_("referred by region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_from_department = models.ForeignKey(
        Department, verbose_name=_("referred by department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    escalation_justification = models.TextField(_("reason for escalating"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalation_decision = models.TextField(_("province's decision"), blank=True)
    escalation_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalation_decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome_department = models.ForeignKey(
        Department,
        verbose_name=_("department judged"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The department whose work the enterprise's verdict judges."),
    )
    outcome_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    explanation = models.TextField(_("explanation given"), blank=True)
    explanation_given_on = models.DateField(_("explained on"), null=True, blank=True)
    explanation_given_how = models.CharField(_("explained how"), max_length=10, choices=ExplanationChannel.choices, blank=True)

    # Each solution or explanation opens a feedback round; a feedback link is good for one round only.
    feedback_round = models.PositiveSmallIntegerField(_("feedback round"), default=0)
    final_verdict = models.CharField(
        _("final verdict"),
        max_length=14,
        choices=VerdictChoice.choices,
        blank=True,
        help_text=_("Empty on a problem closed without the enterprise's verdict."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        permissions = [
            ("triage_problems", _("Can triage, refer, escalate and close the problems of their liaison office")),
            ("handle_problems", _("Can handle the problems held by their department")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source=Source.VISIT) & Q(visit__isnull=False)) | (~Q(source=Source.VISIT) & Q(visit__isnull=True)),
                name="problem_visit_iff_source_visit",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ProblemStatus.IN_PROGRESS, ProblemStatus.WAITING, ProblemStatus.REFERRED])
                | Q(handling_department__isnull=False),
                name="problem_worked_on_by_a_department",
            ),
            models.CheckConstraint(
                condition=(Q(status=ProblemStatus.WAITING) & Q(paused_on__isnull=False))
                | (~Q(status=ProblemStatus.WAITING) & Q(paused_on__isnull=True)),
                name="problem_paused_iff_waiting",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="problem_region_status"),
            models.Index(fields=["handling_region", "status"], name="problem_handling_region_status"),
            models.Index(fields=["handling_department", "status"], name="problem_department_status"),
            models.Index(fields=["status", "deadline"], name="problem_status_deadline"),
            # The problem list, newest first, at any scope: the fence (`region_id LIKE 'prefix%' OR handling_region_id
            # LIKE 'prefix%'`) and the status filter are read from the index itself, so page 1 and page 400 are
            # ordered index-only scans, never a sort of the region's problems.
            models.Index(fields=["-raised_on", "-id", "region", "handling_region", "status"], name="problem_list_order"),
            # Common problems (problems.clusters): the most recent open problems of a scope, by region and category.
            models.Index(
                fields=["-raised_on", "-id", "region", "handling_region", "category"],
                condition=Q(status__in=sorted(OPEN_STATES)),
                name="problem_open_order",
            ),
        ]

    def __str__(self):
        first_line = self.description.strip().splitlines()[0] if self.description.strip() else ""
        return f"{self.enterprise} · {first_line[:40]}"

    @property
    def is_open(self):
        return self.status in OPEN_STATES

    @property
    def awaits_feedback(self):
        return self.status in FEEDBACK_STATES

    @property
    def clock_runs(self):
        return self.deadline is not None and self.status in CLOCK_STATES

    @property
    def ended_in_solution(self):
        """Solved, awaiting the enterprise's verdict or closed since; not explained, not reopened."""
        return self.outcome == Outcome.SOLVED and self.status in OUTCOME_STATES

    @property
    def status_colour(self):
        return STATUS_COLOURS[self.status]

    @property
    def holder_label(self):
        """Who holds the problem now, as its pages name them: the department, or the region's united-front
        department by its official name (accounts.models.Region.united_front_office)."""
        if self.handling_department_id:
            return self.handling_department.name
        return self.handling_region.united_front_office

    def may_handle(self, user):
        """True when `user` acts for whoever holds the problem now (see problems.access.holds)."""
        from .access import holds

        return holds(user, self)


def event_attachment_path(attachment, filename):
    return random_file_name("problems", filename)


class EventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    EDITED = "edited", _("Details changed")
    ASSIGNED = "assigned", _("Assigned to solve")
    REFERRED = "referred", _("Referred")
    SIGNED = "signed", _("Signed for")
    RETURNED = "returned", _("Returned")
    ESCALATED = "escalated", _("Escalated to the province")
    DECIDED = "decided", _("Province decided")
    EXPLAINED = "explained", _("Explained to the enterprise")
    SOLVED = "solved", _("Result recorded")
    PAUSED = "paused", _("Waiting on the enterprise")
    RESUMED = "resumed", _("Resumed")
    NOTE = "note", _("Progress note")
    VERDICT = "verdict", _("Enterprise's verdict")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class ProblemEventQuerySet(models.QuerySet):
    def for_timeline(self):
        """Events with everything a timeline shows, in a fixed number of queries."""
        return self.select_related("actor", "from_region", "from_department", "to_region", "to_department").prefetch_related(
            "attachments"
        )


class ProblemEvent(models.Model):
    """One step on a problem's timeline. Written by problems.services, never edited."""

    problem = models.ForeignKey(Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the enterprise itself acted, through its feedback link."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    status = models.CharField(_("status after"), max_length=12, choices=ProblemStatus.choices)
    note = models.TextField(_("note"), blank=True)
    basis = models.TextField(_("basis"), blank=True, help_text=_("The rule or document a return relies on."))
    from_region = models.ForeignKey(
        Region, verbose_name=_("from region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_department = models.ForeignKey(
        Department, verbose_name=_("from department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_region = models.ForeignKey(
        Region, verbose_name=_("to region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_department = models.ForeignKey(
        Department, verbose_name=_("to department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=14, choices=VerdictChoice.choices, blank=True)

    objects = ProblemEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        indexes = [models.Index(fields=["problem", "at"], name="problem_event_timeline")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"


class ProblemEventAttachment(StoredAttachment):
    """A document attached to a step (a reply letter, the minutes of a meeting). Served only through the
    portal, to users who may see the problem."""

    event = models.ForeignKey(ProblemEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=event_attachment_path)

    class Meta(StoredAttachment.Meta):
        pass


class VerdictChannel(models.TextChoices):
    LINK = "link", _("Feedback link")
    PHONE = "phone", _("Phone call")
    DOOR = "door", _("The enterprise's door")


class Verdict(models.Model):
    """The enterprise's verdict on one round of a problem: a solution or an explanation.

    `outcome` is copied from the problem, so that rates keep solutions and explanations apart.
    """

    problem = models.ForeignKey(Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="verdicts")
    round = models.PositiveSmallIntegerField(_("round"))
    outcome = models.CharField(_("outcome judged"), max_length=10, choices=Outcome.choices)
    verdict = models.CharField(_("verdict"), max_length=14, choices=VerdictChoice.choices)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=6, choices=VerdictChannel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("called by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["problem", "round"]
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        constraints = [
            models.UniqueConstraint(fields=["problem", "round"], name="one_verdict_per_problem_round"),
            models.CheckConstraint(
                condition=~Q(channel=VerdictChannel.PHONE)
                | Q(recorded_by__isnull=False, called_by__isnull=False, called_at__isnull=False),
                name="phone_verdict_names_caller",
            ),
        ]

    def __str__(self):
        return f"{self.problem_id} #{self.round}: {self.get_verdict_display()}"
