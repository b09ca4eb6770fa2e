"""The demo reads true: its people have plausible Chinese names, its officials e-mail addresses the console
mail backend writes to, and no vendored file sits unused."""

import random
import re
from pathlib import Path

import pytest
from django.core import mail

from accounts.demo import DEMO_EMAIL_DOMAIN, GIVEN_NAMES, SINGLE_GIVEN_NAMES, SURNAME_WEIGHTS, person_name, seed_officials
from cases.demo import repair_people_names as repair_cases
from cases.tests.factories import CaseFactory
from enterprises import demo as enterprise_demo
from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory
from forums.demo import repair_people_names as repair_forums
from forums.models import ForumAttendance
from forums.tests.factories import ForumFactory

ROOT = Path(__file__).resolve().parents[2]
BROKEN = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐"


def split_name(name):
    surname = next((surname for surname in sorted(SURNAME_WEIGHTS, key=len, reverse=True) if name.startswith(surname)), None)
    return surname, name[len(surname or "") :]


def test_demo_names_are_a_surname_and_a_given_name():
    rng = random.Random(7)
    names = [person_name(rng) for _ in range(2000)]
    for name in names:
        surname, given = split_name(name)
        assert surname is not None and given in GIVEN_NAMES + SINGLE_GIVEN_NAMES, name
        assert 2 <= len(name) <= 4
    # Common surnames are common, and the names vary.
    assert sum(name.startswith(("王", "李", "张")) for name in names) > len(names) * 0.2
    assert len(set(names)) > 500


@pytest.mark.django_db
def test_demo_officials_have_addresses_the_console_backend_writes_to(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        officials = seed_officials(password="Demo-Pass-2026")
    assert all(official.email == f"{official.username}@{DEMO_EMAIL_DOMAIN}" for official in officials)
    # Each got its welcome notice by e-mail: the e-mail channel wants an address.
    assert {message.to[0] for message in mail.outbox} == {official.email for official in officials}


@pytest.mark.django_db
def test_demo_enterprises_people_are_named_plausibly():
    enterprise_demo.seed_enterprises()
    people = list(Enterprise.objects.values_list("legal_representative", flat=True)) + list(
        Enterprise.objects.values_list("contact_name", flat=True)
    )
    assert len(people) > 200
    assert all(split_name(name)[0] and not name.startswith("王李") for name in people)


@pytest.mark.django_db
def test_a_demo_seeded_with_chained_surnames_is_repaired_everywhere_it_was_copied(cast):
    broken = BROKEN + "建华"
    enterprise = EnterpriseFactory(legal_representative=broken, contact_name=BROKEN + "丽")
    forum = ForumFactory()
    ForumAttendance.objects.create(forum=forum, enterprise=enterprise, entrepreneur_name=broken)
    case = CaseFactory(enterprise=enterprise, entrepreneur_name=broken, consent_by=f"{broken}（董事长）")
    renamed = enterprise_demo.repair_people_names()
    repair_forums(renamed)
    repair_cases(renamed)
    enterprise.refresh_from_db()
    case.refresh_from_db()
    new = enterprise.legal_representative
    assert split_name(new)[0] and BROKEN not in new and BROKEN not in enterprise.contact_name
    assert ForumAttendance.objects.get(forum=forum).entrepreneur_name == new
    assert (case.entrepreneur_name, case.consent_by) == (new, f"{new}（董事长）")
    assert enterprise_demo.repair_people_names() == {}  # a sound database: nothing to do


def test_every_vendored_library_is_loaded_by_something():
    """A file under static/vendor that no template, script, stylesheet or test loads is dead weight."""
    sources = [
        path
        for folder in ("templates", "static/js", "static/css", "tests")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.suffix in {".html", ".js", ".css", ".py"}
    ]
    sources += [path for path in ROOT.glob("*/static/**/*") if path.is_file() and path.suffix in {".js", ".css"}]
    text = "\n".join(path.read_text(encoding="utf-8", errors="ignore") for path in sources)
    unused = [
        library.name
        for library in sorted((ROOT / "static" / "vendor").iterdir())
        if library.is_dir() and not re.search(rf"vendor/{re.escape(library.name)}/", text)
    ]
    assert unused == []
