"""Raising a problem, and one small form per move of the state machine.

Each action form's cleaned data are the keyword arguments of its function in problems.services, so
the view passes them on as they are; the services make the checks that matter (who may act, from
which state), the forms only narrow the choices to what the acting user may pick.
"""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import forms as accounts_forms
from accounts.forms import SEARCHABLE
from accounts.models import Department, User
from core.forms import AttachmentsField
from core.widgets import AutocompleteSelect, DateInput, FastSelect
from enterprises.forms import OfficialChoiceField
from enterprises.models import Enterprise
from visits.models import Visit, VisitStatus

from . import services
from .models import Category, ExplanationChannel, Source, Urgency, VerdictChoice

Action = services.Action


class EnterpriseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, enterprise):
        return f"{enterprise.name}（{enterprise.credit_code}）"


class DepartmentChoiceField(accounts_forms.DepartmentChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Department"))
        super().__init__(queryset=Department.objects.none(), widget=FastSelect(attrs=SEARCHABLE), **kwargs)


class ProblemForm(forms.Form):
    """Raise a problem. The enterprise list is the user's region; a problem raised from a visit names
    the visit, whose enterprise it takes."""

    enterprise = EnterpriseChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        widget=AutocompleteSelect(url=reverse_lazy("enterprises:autocomplete")),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.OTHER, required=False)
    source_note = forms.CharField(
        label=_("Source details"),
        max_length=200,
        required=False,
        help_text=_("Where the problem was raised, when not on a visit."),
    )
    visit = forms.ModelChoiceField(queryset=Visit.objects.none(), required=False, widget=forms.HiddenInput)
    attachments = AttachmentsField()

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(actor)
        self.fields["visit"].queryset = Visit.objects.visible_to(actor).filter(status=VisitStatus.SUBMITTED)

    def clean(self):
        cleaned = super().clean()
        visit = cleaned.get("visit")
        if visit is not None:
            # Raised from a visit: the visit names the enterprise and the source, in one step.
            cleaned["enterprise"] = visit.enterprise
            cleaned["source"] = Source.VISIT
            self.errors.pop("enterprise", None)
        elif cleaned.get("source") == Source.VISIT:
            self.add_error("source", _("Raise a problem found on a visit from the visit's page."))
        else:
            cleaned["source"] = cleaned.get("source") or Source.OTHER
        return cleaned


# ---------------------------------------------------------------------------------------------------
# One form per action. `problem` and `actor` narrow the choices; fields are the transition's arguments.


class ActionForm(forms.Form):
    action = None
    label = ""
    attachments = AttachmentsField()
    # Fields that several actions' forms have: the problem's page shows those forms together, so each of
    # these is named with its action too ("Documents (Refer)"), and no two controls share a name.
    SHARED_FIELDS = ("attachments", "note", "deadline")

    def __init__(self, *args, problem, actor, **kwargs):
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.problem = problem
        self.actor = actor
        for name in self.SHARED_FIELDS:
            field = self.fields.get(name)
            if field is not None and self.label:
                field.widget.attrs["aria-label"] = _("%(field)s (%(action)s)") % {"field": field.label, "action": self.label}


class DeadlineField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Deadline"))
        kwargs.setdefault("help_text", _("Leave empty for the category's time limit."))
        super().__init__(required=False, widget=DateInput(), **kwargs)


class SolveForm(ActionForm):
    action = Action.SOLVE
    label = _("Assign to a department to solve")
    proposed_solution = forms.CharField(label=_("Proposed solution"), widget=forms.Textarea(attrs={"rows": 3}))
    department = DepartmentChoiceField()
    deadline = DeadlineField()
    field_order = ["proposed_solution", "department", "deadline", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            Department.objects.active().filter(region_id=self.problem.handling_region_id).select_related("region__parent")
        )


class ReferForm(ActionForm):
    action = Action.REFER
    label = _("Refer")
    department = DepartmentChoiceField(label=_("Refer to"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = DeadlineField()
    field_order = ["department", "note", "deadline", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Another department of the holding region, or of a region above it.
        handling = self.problem.handling_region
        regions = [handling.code, *handling.ancestors().values_list("code", flat=True)]
        self.fields["department"].queryset = (
            Department.objects.active()
            .filter(region_id__in=regions)
            .exclude(pk=self.problem.handling_department_id)
            .select_related("region__parent")
            .order_by("-region_id", "name")
        )


class SignForm(ActionForm):
    action = Action.SIGN
    label = _("Sign for")
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(ActionForm):
    action = Action.RETURN_TO_OFFICE
    label = _("Return")
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(
        label=_("Basis"),
        help_text=_("The rule or document that puts it outside your remit."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["reason", "basis", "attachments"]


class EscalateForm(ActionForm):
    action = Action.ESCALATE
    label = _("Escalate to the province")
    justification = forms.CharField(label=_("Why the province must coordinate"), widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["justification", "attachments"]


class DecideForm(ActionForm):
    action = Action.DECIDE
    label = _("Record the province's decision")
    decision = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    department = DepartmentChoiceField(label=_("Department to carry it out"))
    deadline = DeadlineField()
    field_order = ["decision", "department", "deadline", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            Department.objects.visible_to(self.actor).active().select_related("region__parent").order_by("region_id", "name")
        )


class ExplainForm(ActionForm):
    action = Action.EXPLAIN
    label = _("Explain to the enterprise")
    explanation = forms.CharField(label=_("Explanation given"), widget=forms.Textarea(attrs={"rows": 3}))
    given_on = forms.DateField(label=_("Explained on"), widget=DateInput())
    given_how = forms.ChoiceField(label=_("Explained how"), choices=ExplanationChannel.choices)
    field_order = ["explanation", "given_on", "given_how", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()


class CompleteForm(ActionForm):
    action = Action.COMPLETE
    label = _("Record the result")
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["result", "attachments"]


class PauseForm(ActionForm):
    action = Action.PAUSE
    label = _("Wait on the enterprise")
    reason = forms.CharField(
        label=_("What the enterprise is to provide or decide"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("An enterprise that raised the problem through its own pages reads this there, and answers it there."),
    )
    field_order = ["reason", "attachments"]


class ResumeForm(ActionForm):
    action = Action.RESUME
    label = _("Resume")
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(ActionForm):
    action = Action.NOTE
    label = _("Add a progress note")
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(ActionForm):
    action = Action.CLOSE
    label = _("Close without the enterprise's verdict")
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(ActionForm):
    action = Action.REOPEN
    label = _("Reopen")
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class EditForm(ActionForm):
    action = Action.EDIT
    label = _("Correct the details")
    attachments = None
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                category=self.problem.category_id, urgency=self.problem.urgency, description=self.problem.description
            )


class PhoneVerdictForm(ActionForm):
    action = Action.ACCEPT
    label = _("Record the enterprise's verdict taken by phone")
    attachments = None
    verdict = forms.ChoiceField(label=_("Verdict"), choices=VerdictChoice.choices, widget=forms.RadioSelect)
    called_by = OfficialChoiceField(
        label=_("Called by"),
        queryset=User.objects.none(),
        widget=AutocompleteSelect(url=reverse_lazy("accounts:official_autocomplete")),
    )
    called_at = forms.DateTimeField(
        label=_("Called at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    comment = forms.CharField(label=_("The enterprise's comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["called_by"].queryset = User.objects.visible_to(self.actor).active().select_related("region")
        if not self.is_bound:
            self.initial.update(called_by=self.actor.pk, called_at=timezone.localtime().replace(second=0, microsecond=0))


# The form and the function of each action the URL may name. Both returns share one form: which of the
# two applies depends on who referred the problem, and the transition works that out.
ACTIONS = {
    Action.SOLVE: (SolveForm, services.triage_solve),
    Action.REFER: (ReferForm, services.refer),
    Action.SIGN: (SignForm, services.sign_for),
    Action.RETURN_TO_OFFICE: (ReturnForm, services.return_referral),
    Action.RETURN_TO_DEPARTMENT: (ReturnForm, services.return_referral),
    Action.ESCALATE: (EscalateForm, services.escalate),
    Action.DECIDE: (DecideForm, services.decide_escalation),
    Action.EXPLAIN: (ExplainForm, services.explain),
    Action.COMPLETE: (CompleteForm, services.complete),
    Action.PAUSE: (PauseForm, services.pause_for_enterprise),
    Action.RESUME: (ResumeForm, services.resume),
    Action.NOTE: (NoteForm, services.add_note),
    Action.CLOSE: (CloseForm, services.close_without_verdict),
    Action.REOPEN: (ReopenForm, services.reopen),
    Action.EDIT: (EditForm, services.update_problem),
    # A verdict taken by phone: satisfied closes the problem, not satisfied reopens it.
    Action.ACCEPT: (PhoneVerdictForm, services.record_phone_verdict),
    Action.REJECT: (PhoneVerdictForm, services.record_phone_verdict),
}
