import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import Department, User
from accounts.roles import Role
from enterprises.models import Enterprise, LiaisonAssignment
from notifications.models import Notification
from problems.models import Problem, Source
from visits.models import Policy, PolicyDelivery, Visit

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_seed_demo_creates_every_demo_login_and_running_it_again_changes_nothing(monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "Demo-Pass-2026")
    call_command("seed_demo")

    def counts():
        models = (User, Department, Notification, Enterprise, LiaisonAssignment, Visit, PolicyDelivery, Policy, Problem)
        return [model.objects.count() for model in models]

    first = counts()
    assert Problem.objects.filter(source=Source.ENTERPRISE).count() == 1
    call_command("seed_demo")
    assert counts() == first
    expected = {
        "admin": ("370000", Role.ADMINISTRATOR),
        "sd_staff": ("370000", Role.STAFF),
        "jn_staff": ("370100", Role.STAFF),
        "lx_staff": ("370102", Role.STAFF),
        "lx_cadre": ("370102", Role.CADRE),
        "lx_handler": ("370102", Role.HANDLER),
        "sz_staff": ("370103", Role.STAFF),
        "sz_cadre": ("370103", Role.CADRE),
        "reviewer": ("370000", Role.REVIEWER),
    }
    for username, (region_code, role) in expected.items():
        official = User.objects.get(username=username)
        assert official.region_id == region_code and official.has_role(role), username
        assert official.check_password("Demo-Pass-2026")
    assert User.objects.get(username="admin").is_staff
    assert User.objects.get(username="lx_handler").department.name == "历下区发改委"
    # The liaison cadres' office telephones, which the enterprises' door shows.
    assert User.objects.get(username="lx_cadre").office_phone.startswith("0531-")
    assert User.objects.get(username="qd_cadre").office_phone.startswith("0532-")
    assert "Demo-Pass-2026" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_has_hundreds_of_enterprises_with_liaisons_at_each_level():
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    assert Enterprise.objects.count() >= 200
    assert Enterprise.objects.values("region").distinct().count() >= 5
    levels = set(LiaisonAssignment.objects.current().values_list("level", flat=True))
    assert levels == {"province", "city", "county"}
    lx_cadre = User.objects.get(username="lx_cadre")
    assert LiaisonAssignment.objects.current().filter(official=lx_cadre).exists()
    # A year of visits, with policies explained and delivered
    visits = Visit.objects.submitted()
    assert visits.count() >= 300 and visits.filter(cadre=lx_cadre).exists()
    assert Visit.policies_explained.through.objects.exists() and PolicyDelivery.objects.count() >= 50


def test_secret_key_is_required_unless_debug():
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='liaison.settings'; django.setup()"]
    refused = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr
    allowed = subprocess.run(command, cwd=ROOT, env={**env, "DEBUG": "1"}, capture_output=True, text=True)
    assert allowed.returncode == 0, allowed.stderr
