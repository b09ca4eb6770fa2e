"""The problems app's cast: departments and their handlers at every level, around 历下区's cast."""

import pytest
from django.utils import translation

from accounts.models import Department
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory
from problems import services
from problems.tests.factories import category


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English source, whatever the catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def departments(db):
    make = Department.objects.create
    return {
        "lx_dev": make(region_id="370102", name="历下区发展和改革局"),
        "lx_land": make(region_id="370102", name="历下区自然资源局"),
        "lx_office": make(region_id="370102", name="历下区委统战部"),
        "sz_dev": make(region_id="370103", name="市中区发展和改革局"),
        "jn_dev": make(region_id="370100", name="济南市发展和改革委员会"),
        "jn_land": make(region_id="370100", name="济南市自然资源和规划局"),
        "sd_dev": Department.objects.get(region_id="370000", name="省发改委"),
    }


@pytest.fixture
def handlers(departments):
    """One handler per department, named after it."""
    return {
        key: UserFactory(username=f"t_handler_{key}", region_id=department.region_id, department=department, roles=[Role.HANDLER])
        for key, department in departments.items()
    }


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="山东历下测试科技有限公司")


@pytest.fixture
def problem(cast, enterprise):
    """A problem of a 历下区 enterprise, raised by 历下区's cadre: 历下区's liaison office triages it."""
    return services.raise_problem(
        actor=cast["cadre"],
        enterprise=enterprise,
        category=category("financing"),
        description="企业流动资金紧张，申请续贷遇到困难。",
    )


@pytest.fixture
def in_progress(cast, problem, departments):
    """The problem assigned by 历下区's liaison office to 历下区发展和改革局 to solve."""
    return services.triage_solve(
        actor=cast["county_staff"], problem=problem, proposed_solution="协调合作银行办理续贷。", department=departments["lx_dev"]
    )


@pytest.fixture
def solved(in_progress, handlers):
    """The problem solved by 历下区发展和改革局's handler: it awaits the enterprise's verdict."""
    return services.complete(actor=handlers["lx_dev"], problem=in_progress, result="银行已办理续贷500万元。")
