"""The enterprise's forms behind the door: the reply to a forum's invitation."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forums.models import ForumReply

ATTENDING, NOT_ATTENDING = "yes", "no"


class ChoicesNamedFor(forms.RadioSelect):
    """Radio buttons whose accessible names also say what they answer (`subject`): the home page holds a reply
    form for each open invitation, and a screen reader would otherwise hear the same "We will attend" for all."""

    subject = ""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if self.subject:
            option["attrs"]["aria-label"] = gettext("%(choice)s: %(subject)s") % {"choice": label, "subject": self.subject}
        return option


class ForumReplyForm(forms.Form):
    """Whether the enterprise comes to the forum and who (forums.services.reply_to_invitation checks the names)."""

    attending = forms.TypedChoiceField(
        label=_("Your reply"),
        choices=[(ATTENDING, _("We will attend")), (NOT_ATTENDING, _("We will not attend"))],
        coerce=lambda value: value == ATTENDING,
        widget=ChoicesNamedFor,
        error_messages={"required": _("Say whether your enterprise will attend.")},
    )
    attendees = forms.CharField(
        label=_("Who will come"),
        required=False,
        max_length=ForumReply._meta.get_field("attendees").max_length,
        help_text=_("Names, separated by commas, at most five people."),
    )

    @classmethod
    def for_invitation(cls, invitation):
        """The form of one invitation on the home page: its fields named apart, for the page and for a screen
        reader, and holding the reply given."""
        initial = {}
        if invitation.reply is not None:
            initial = {
                "attending": ATTENDING if invitation.reply.attending else NOT_ATTENDING,
                "attendees": invitation.reply.attendees,
            }
        form = cls(prefix=f"forum-{invitation.pk}", initial=initial)
        form.fields["attending"].widget.subject = invitation.theme
        form.fields["attendees"].widget.attrs["aria-label"] = gettext("Who will come to %(forum)s") % {"forum": invitation.theme}
        return form
