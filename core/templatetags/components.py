"""Template components shared by every app: `{% load components %}`."""

from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """A home-page card an app contributed (core.registry.Panel), rendered with the page's context plus its own."""
    with context.push(**panel.context):
        return get_template(panel.template).render(context.flatten(), context.get("request"))


@register.inclusion_tag("components/status_badge.html")
def status_badge(record, testid=""):
    """A record's status as a badge, coloured by the record (`status_colour`, from its lifecycle's table of
    colours), never by comparing status strings in a template."""
    return {"value": record.status, "label": record.get_status_display(), "colour": record.status_colour, "testid": testid}


@register.inclusion_tag("components/light_badge.html")
def light_badge(light, text="", testid=""):
    """A traffic light (core.traffic.Light, or its value) as a badge: its label, or `text` when given."""
    from core.traffic import Light

    if light in (None, ""):
        return {"light": None}
    light = Light(light)
    return {"light": light, "text": text or light.label, "testid": testid}


@register.inclusion_tag("components/field_row.html")
def field_row(label, value="", testid=""):
    """One label/value row of a description list (`<dl class="row">`); an empty value shows "—"."""
    return {"label": label, "value": value, "testid": testid}
