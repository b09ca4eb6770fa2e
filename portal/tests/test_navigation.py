"""The main navigation lights the entry of the page one is on, and only that entry (and its menu)."""

import pytest
from django.urls import reverse

from portal.navigation import current_sections


@pytest.mark.parametrize(
    ("namespace", "url_name", "lit"),
    [
        ("", "home", {"home"}),
        ("enterprises", "list", {"enterprises"}),
        ("enterprises", "detail", {"enterprises"}),
        ("enterprises", "mine", {"my_enterprises"}),
        ("enterprises", "roster", {"roster"}),
        ("visits", "mine", {"visits"}),
        ("visits", "due", {"plan"}),
        ("visits", "policy_detail", {"policies"}),
        ("problems", "ledger", {"problems"}),
        ("cases", "detail", {"cases", "excellence"}),
        ("showcase", "list", {"showcase", "excellence"}),
        ("reviews", "detail", {"reviews", "excellence"}),
        ("reviews", "practice_list", {"practices", "excellence"}),
        ("accounts", "official_update", {"officials", "administration"}),
        ("accounts", "department_list", {"departments", "administration"}),
        ("assessment", "dashboard_region", {"assessment_dashboard", "assessment"}),
        ("assessment", "figure_records", {"assessment_dashboard", "assessment"}),
        ("assessment", "approval_detail", {"assessment_approval", "assessment"}),
        ("assessment", "bulletin_list", {"assessment_bulletins", "assessment"}),
        ("assessment", "scheme_update", {"assessment_schemes", "assessment"}),
        ("notifications", "list", set()),
    ],
)
def test_each_page_lights_its_own_entry(namespace, url_name, lit):
    assert current_sections(namespace, url_name) == lit


@pytest.mark.django_db
def test_the_page_marks_the_lit_entry_active(client, cast):
    client.force_login(cast["cadre"])
    page = client.get(reverse("enterprises:mine")).content.decode()
    mine = page.index(reverse("enterprises:mine") + '"')
    assert "active" in page[page.rindex("<a", 0, mine) : mine]
    visits = page.index(reverse("visits:mine") + '"')
    assert "active" not in page[page.rindex("<a", 0, visits) : visits]
