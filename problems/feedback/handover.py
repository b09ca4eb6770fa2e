"""Handing the enterprise its verdict link: what the problem's page shows to those who pass it on.

The link (problems.notices.feedback_link: absolute, from SITE_URL or the request's address) with a
copy button (static/js/copy-link.js) and a QR code, drawn here as an inline SVG (segno, no script and
no outside service), which the enterprise's contact scans with a phone. Shown to
`access.hands_over_verdict_link` only: the link lets whoever holds it give the enterprise's verdict.
"""

from dataclasses import dataclass
from datetime import date

import segno
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .. import access
from ..notices import feedback_link
from .tokens import FEEDBACK_LINK_MAX_AGE


@dataclass(frozen=True)
class Handover:
    link: str
    qr_svg: SafeString
    contact_name: str
    contact_mobile: str
    good_until: date


def qr_svg(text, *, label):
    """`text` as a QR code: an inline <svg> (role img, named by `label`) that fills its container, dark on
    white whatever the page's theme, with the quiet zone scanners need. Error correction M: a screen's
    glare or a crease on a printed page still scans."""
    code = segno.make(text, error="m", boost_error=False)
    svg = code.svg_inline(
        scale=1, border=4, dark="#000", light="#fff", svgclass="d-block w-100 h-auto", lineclass=None, omitsize=True
    )
    # Named for assistive technology; segno writes no attribute a page could inject into.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S308


def handover_for(user, problem, request=None):
    """The link, its QR code and whom to give it to, for a user who hands it over; None for anyone else
    or when the problem no longer awaits the enterprise's verdict."""
    if not access.hands_over_verdict_link(user, problem):
        return None
    link = feedback_link(problem, request)
    enterprise = problem.enterprise
    return Handover(
        link=link,
        qr_svg=qr_svg(link, label=_("QR code of the enterprise's verdict link")),
        contact_name=enterprise.contact_name,
        contact_mobile=enterprise.contact_mobile,
        good_until=timezone.localdate() + FEEDBACK_LINK_MAX_AGE,
    )
