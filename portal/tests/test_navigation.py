"""The main navigation lights the entry of the page one is on, and only that entry (and its menu)."""

import pytest
from django.urls import reverse

from portal.navigation import current_sections


@pytest.mark.parametrize(
    ("namespace", "url_name", "lit"),
    [
        ("", "home", {"home"}),
        ("enterprises", "list", {"enterprises", "enterprise_menu"}),
        ("enterprises", "detail", {"enterprises", "enterprise_menu"}),
        ("door", "links", {"access_links", "enterprise_menu"}),
        ("door", "enterprise_links", {"access_links", "enterprise_menu"}),
        ("door", "home", set()),
        ("door", "demands", set()),
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
        ("surveys", "results", {"surveys", "assessment"}),
        ("surveys", "questions", {"surveys", "assessment"}),
        ("surveys", "answer", set()),
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


@pytest.mark.django_db
def test_staff_reach_the_live_access_links_from_the_enterprises_menu(client, cast):
    client.force_login(cast["county_staff"])
    page = client.get(reverse("door:links")).content.decode()
    links = page.index(reverse("door:links") + '"')
    assert "dropdown-item active" in page[page.rindex("<a", 0, links) : links]
    menu = page.index('data-testid="nav-enterprises"')
    assert "active" in page[page.rindex("<a", 0, menu) : menu]
    listed = page.index(reverse("enterprises:list") + '"')
    assert "active" not in page[page.rindex("<a", 0, listed) : listed]


@pytest.mark.django_db
def test_who_may_not_issue_links_keeps_the_plain_enterprises_entry(client, cast):
    client.force_login(cast["cadre"])
    page = client.get(reverse("enterprises:mine")).content.decode()
    assert reverse("enterprises:list") + '"' in page
    assert reverse("door:links") + '"' not in page and 'data-testid="nav-enterprises"' not in page


@pytest.mark.django_db
def test_staff_reach_the_confidence_survey_from_the_assessment_menu(client, cast):
    client.force_login(cast["county_staff"])
    page = client.get(reverse("surveys:results")).content.decode()
    results = page.index(reverse("surveys:results") + '"')
    assert "dropdown-item active" in page[page.rindex("<a", 0, results) : results]
    assert reverse("surveys:questions") + '"' in page, "who runs the survey reaches its questions from the results"
