"""Template tags of the enterprise's pages behind the door."""

from django import template

from ..pages.forms import ForumReplyForm

register = template.Library()


@register.simple_tag
def reply_form(invitation):
    """The reply form of one forum invitation (door.selectors.Invitation), holding the reply already given:
    `{% reply_form invitation as form %}`."""
    return ForumReplyForm.for_invitation(invitation)
