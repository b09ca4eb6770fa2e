"""Demo access links: three demo enterprises (two of 历下区, one of 市中区) with a live link each, printed by
`seed_demo` after the demo logins.

A link is shown once and stored as a digest, so the demo makes its tokens from SECRET_KEY and the
enterprise's credit code instead of at random: every run finds the same links and prints them again,
changing nothing. A demo link revoked (or expired) is replaced by the next one of its series. Never a way
to make links outside the demo.

One of them has raised a demand through its door (`seed_demand`), still open, waiting for triage.
"""

import base64

from django.db import transaction
from django.utils.crypto import salted_hmac

from accounts.models import User
from enterprises.models import Enterprise
from notifications.channels import absolute_url
from problems import services as problem_services
from problems.models import Category, Problem, Source

from . import links
from .models import EnterpriseAccess
from .services import new_access

# The county of each demo enterprise with a link, and the staff who issue it (accounts.demo).
DEMO_LINKS = [("370102", "lx_staff"), ("370102", "lx_staff"), ("370103", "sz_staff")]
DEFAULT_CONTACT = "企业联系人"
# The demand one demo enterprise with a link (the first) has raised through its door.
DEMAND_CATEGORY = "approvals-permits"
DEMAND_DESCRIPTION = "我公司新建生产线的环评审批已提交两个月，一直没有结果，希望了解办理进度并协调加快审批。"


def demo_enterprises():
    """The demo enterprises that have a link: the first enterprises, by credit code, with a current liaison,
    of each county of DEMO_LINKS."""
    chosen = []
    for code in dict.fromkeys(county for county, _staff in DEMO_LINKS):
        wanted = sum(1 for county, _staff in DEMO_LINKS if county == code)
        with_liaison = Enterprise.objects.filter(region_id=code, assignments__ended_on__isnull=True).distinct()
        chosen += list(with_liaison.order_by("credit_code")[:wanted])
    return chosen


def demo_token(enterprise, series):
    digest = salted_hmac("door.demo", f"{enterprise.credit_code}:{series}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@transaction.atomic
def _live_demo_token(enterprise, staff):
    for series in range(1000):
        token = demo_token(enterprise, series)
        access = EnterpriseAccess.objects.filter(token_digest=links.digest(token)).first()
        if access is None:
            new_access(
                enterprise=Enterprise.objects.select_for_update().get(pk=enterprise.pk),
                contact_name=enterprise.contact_name or DEFAULT_CONTACT,
                contact_mobile=enterprise.contact_mobile,
                issued_by=staff,
                token=token,
            )
            return token
        if access.is_live():
            return token
    raise RuntimeError(f"no demo link left for {enterprise}")


def seed_access_links():
    """[(enterprise, link)] of the demo enterprises, each with a live link (made on the first run)."""
    staff = User.objects.in_bulk([username for _county, username in DEMO_LINKS], field_name="username")
    enterprises = demo_enterprises()
    return [
        (enterprise, absolute_url(links.link_path(_live_demo_token(enterprise, staff.get(username)))))
        for enterprise, (_county, username) in zip(enterprises, DEMO_LINKS, strict=False)
    ]


def seed_demand():
    """The open demand the first demo enterprise with a link raised through its door (problems.services
    .raise_from_enterprise), once: a later run finds it (by the enterprise and the text, whatever its
    state since) and changes nothing. None when the demo has no such enterprise."""
    enterprises = demo_enterprises()
    if not enterprises:
        return None
    enterprise = enterprises[0]
    raised = Problem.objects.filter(enterprise=enterprise, source=Source.ENTERPRISE, description=DEMAND_DESCRIPTION)
    if raised.exists():
        return raised.first()
    return problem_services.raise_from_enterprise(
        enterprise=enterprise,
        category=Category.objects.get(key=DEMAND_CATEGORY),
        description=DEMAND_DESCRIPTION,
        contact=enterprise.contact_name or DEFAULT_CONTACT,
    )
