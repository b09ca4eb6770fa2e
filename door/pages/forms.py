"""The enterprise's forms behind the door: the reply to a forum's invitation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import ForumReply

ATTENDING, NOT_ATTENDING = "yes", "no"


class ForumReplyForm(forms.Form):
    """Whether the enterprise comes to the forum and who (forums.services.reply_to_invitation checks the names)."""

    attending = forms.TypedChoiceField(
        label=_("Your reply"),
        choices=[(ATTENDING, _("We will attend")), (NOT_ATTENDING, _("We will not attend"))],
        coerce=lambda value: value == ATTENDING,
        widget=forms.RadioSelect,
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
        """The form of one invitation on the home page, its fields named apart and holding the reply given."""
        initial = {}
        if invitation.reply is not None:
            initial = {
                "attending": ATTENDING if invitation.reply.attending else NOT_ATTENDING,
                "attendees": invitation.reply.attendees,
            }
        return cls(prefix=f"forum-{invitation.pk}", initial=initial)
