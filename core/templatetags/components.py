"""Template components shared by every app: `{% load components %}`."""

from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """A home-page card an app contributed (core.registry.Panel), rendered with the page's context plus its own."""
    with context.push(**panel.context):
        return get_template(panel.template).render(context.flatten(), context.get("request"))
