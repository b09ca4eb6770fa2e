"""Printed lists (台账 on paper): the print stylesheet hides the navigation, buttons and filters and repeats a
table's head on every page; the lists carry a title and date block, and a row naming whose list it is inside
the table's head, both seen only on paper."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "liaison.css"


def print_rules():
    """The declarations of every @media print block of the stylesheet, as one text."""
    css = STYLESHEET.read_text()
    blocks = []
    for match in re.finditer(r"@media print\s*{", css):
        depth, index = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
        blocks.append(css[match.end() : index - 1])
    return re.sub(r"\s+", " ", " ".join(blocks))


def test_the_print_stylesheet_hides_what_paper_cannot_use_and_repeats_the_header_row():
    rules = print_rules()
    for hidden in ("nav.navbar", ".btn", ".filter-form", ".pagination", ".no-print", ".breadcrumb"):
        assert re.search(rf"{re.escape(hidden)}[^{{}}]*{{ display: none !important; }}", rules), hidden
    assert "thead { display: table-header-group; }" in rules
    assert ".print-ledger { page: ledger; }" in rules
    assert "@page ledger { size: A4 landscape;" in re.sub(r"\s+", " ", STYLESHEET.read_text())


@pytest.mark.django_db
def test_the_liaison_list_prints_with_its_title_date_and_whose_it_is_on_every_page(client, cast):
    AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(name="名单企业", region_id="370102"))
    client.force_login(cast["county_staff"])

    body = client.get(reverse("enterprises:roster"), {"region": "370102", "on": "2026-11-30"}).content.decode()

    heading = re.search(r'<div class="print-heading d-none d-print-block[^"]*"[^>]*>(.*?)</div>', body, re.S)
    assert heading and "济南市 历下区" in heading[1] and "2026-11-30" in heading[1]
    head = re.search(r"<thead>(.*?)</thead>", body, re.S)[1]
    subject_row = re.search(r'<tr class="print-subject d-none d-print-table-row">(.*?)</tr>', head, re.S)
    assert subject_row and "济南市 历下区" in subject_row[1], "whose list it is, repeated with the header row"
    assert 'class="table-responsive print-ledger"' in body
    assert re.search(r'class="[^"]*d-print-none[^"]*">\s*<h1', body), "the screen's heading and buttons stay off paper"
