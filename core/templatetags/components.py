"""Template components shared by every app: `{% load components %}`."""

from django import forms, template
from django.template.loader import get_template
from django.utils.html import conditional_escape, format_html, format_html_join

from core.traffic import Light

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """A home-page card an app contributed (core.registry.Panel), rendered with the page's context plus its own."""
    with context.push(**panel.context):
        return get_template(panel.template).render(context.flatten(), context.get("request"))


@register.simple_tag
def status_badge(record, testid=""):
    """A record's status as a badge, coloured by the record (`status_colour`, from its lifecycle's table of
    colours), never by comparing status strings in a template."""
    return _badge(record.status_colour, record.get_status_display(), "status", record.status, testid)


@register.simple_tag
def light_badge(light, text="", testid=""):
    """A traffic light (core.traffic.Light, or its value) as a badge: its label, or `text` when given."""
    if light in (None, ""):
        return ""
    light = Light(light)
    return _badge(light.colour, text or light.label, "state", light.value, testid)


def _badge(colour, label, kind, value, testid):
    testid_attribute = format_html(' data-testid="{}"', testid) if testid else ""
    return format_html('<span class="badge text-bg-{}" data-{}="{}"{}>{}</span>', colour, kind, value, testid_attribute, label)


ROW_LAYOUTS = {
    # label columns, value columns
    "default": ("col-sm-4", "col-sm-8"),
    "compact": ("col-5", "col-7"),  # stays side by side on a phone: short labels in a side card
}


class FieldNode(template.Node):
    def __init__(self, label, nodelist, options):
        self.label, self.nodelist, self.options = label, nodelist, options

    def render(self, context):
        options = {name: value.resolve(context) for name, value in self.options.items()}
        label_cols, value_cols = ROW_LAYOUTS[options.get("layout") or "default"]
        return get_template("components/field.html").render(
            {
                "label": self.label.resolve(context),
                "value": self.nodelist.render(context).strip(),
                "label_cols": label_cols,
                "value_class": " ".join(filter(None, [value_cols, options.get("value_class")])),
                "testid": options.get("testid"),
            }
        )


@register.simple_tag
def field_row(label, value="", testid="", layout="default"):
    """One label/value row of a description list for a plain value: `{% field_row _("Venue") forum.venue %}`.
    Rich content (links, several values) goes in the block form, `{% field %}`. An empty value shows "—"."""
    label_cols, value_cols = ROW_LAYOUTS[layout]
    shown = "" if value is None else conditional_escape(value)
    return get_template("components/field.html").render(
        {"label": label, "value": shown, "label_cols": label_cols, "value_class": value_cols, "testid": testid}
    )


@register.tag("field")
def field(parser, token):
    """One label/value row of a description list whose value is template content:

        {% field _("Contact person") layout="compact" testid="contact" %}{{ name }} · <a href="tel:…">…</a>{% endfield %}

    Options: `layout` ("default": 4/8 columns from the small breakpoint; "compact": 5/7 columns always),
    `value_class` (extra classes of the value, e.g. "font-monospace"), `testid`. Empty content shows "—".
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% field %} needs a label")
    label = parser.compile_filter(bits[1])
    options = {}
    for bit in bits[2:]:
        name, _, value = bit.partition("=")
        if name not in {"layout", "value_class", "testid"} or not value:
            raise template.TemplateSyntaxError(f"{{% field %}} does not take {bit!r}")
        options[name] = parser.compile_filter(value)
    nodelist = parser.parse(("endfield",))
    parser.delete_first_token()
    return FieldNode(label, nodelist, options)


@register.simple_tag
def filter_field(bound_field):
    """One field of a list's filter form, as Bootstrap lays it out: label, control, errors, help.

    The same markup crispy-forms writes for a field (`div_id_…`, `form-label`, `form-control` or
    `form-select`, `is-invalid` with its `invalid-feedback`), written in Python: a filter form of a dozen
    fields cost every list page 20 to 40 ms through crispy's nested templates.
    """
    widget = bound_field.field.widget
    if widget.is_hidden:
        return str(bound_field)
    if isinstance(widget, forms.CheckboxInput):
        control_class = "form-check-input"
    elif isinstance(widget, forms.Select):
        control_class = "form-select"
    else:
        control_class = "form-control"
    errors = bound_field.errors
    attrs = {"class": " ".join(filter(None, [widget.attrs.get("class"), control_class, "is-invalid" if errors else ""]))}
    described = []
    if errors:
        described.append(f"{bound_field.auto_id}_errors")
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    feedback = (
        format_html(
            '<div id="{}_errors" class="invalid-feedback d-block">{}</div>',
            bound_field.auto_id,
            format_html_join(" ", "<strong>{}</strong>", ((error,) for error in errors)),
        )
        if errors
        else ""
    )
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', bound_field.auto_id, bound_field.help_text)
        if bound_field.help_text
        else ""
    )
    label = (
        format_html('<label for="{}" class="form-label">{}</label>', bound_field.id_for_label, bound_field.label)
        if bound_field.label
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>',
        bound_field.auto_id,
        label,
        bound_field.as_widget(attrs=attrs),
        feedback,
        help_text,
    )


@register.simple_tag(takes_context=True)
def hidden_query_fields(context, *dropped):
    """The request's query parameters but `dropped`, as hidden inputs: a form of one choice keeps the others.

    Read in Python: in a template, `request.GET.items` is the parameter named "items" when the address has one.
    """
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        ((name, value) for name, values in context.request.GET.lists() if name not in dropped for value in values),
    )
