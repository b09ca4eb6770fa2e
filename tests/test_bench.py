"""`manage.py bench` on the small preset of `generate_scale_data`: it runs, every page answers 200 (or 302) and
stays under its query bound (counts, never times), and it leaves no trace in the database measured."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.models import User
from bench.pages import ADMIN_PAGES, ADMIN_PEER, PAGES
from bench.run import run


@pytest.fixture
def generated(db):
    with translation.override("en"):
        call_command("generate_scale_data", "--preset", "small", "--seed", "7", "--today", "2026-11-20", stdout=io.StringIO())


def test_every_page_answers_under_its_query_bound(generated, tmp_path):
    users = User.objects.count()
    output = tmp_path / "bench.txt"
    out = io.StringIO()
    with translation.override("en"):
        call_command("bench", "--repeat", "1", "--output", str(output), stdout=out, stderr=io.StringIO())
    text = output.read_text(encoding="utf-8")
    assert "cores" in text and "database" in text
    assert "Every page answered" in out.getvalue()
    assert User.objects.count() == users  # the superuser and sessions were rolled back


def test_results_cover_every_kind_of_user_and_the_admin(generated):
    header, results, skipped = run(repeat=1)
    assert skipped == []
    assert len(results) == sum(len(pages) for pages in PAGES.values()) + len(ADMIN_PAGES)
    failures = [r.failure for r in results if r.failure]
    assert failures == []
    ratios = [r for r in results if r.ratio is not None]
    assert {r.page for r in ratios} == {page.label for page in PAGES[ADMIN_PEER] if page.admin}
    assert len(ratios) >= 10  # unfiltered, by city, by county and searched, beside the admin's same rows
