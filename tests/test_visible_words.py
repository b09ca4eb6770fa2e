"""Pages in Simplified Chinese show no English words, and no two controls of a page share a label.

Every page of the portal (each URL of `url_policy.py` that answers GET with HTML), requested in zh-hans
as one official of each kind (`READERS`) who may read it; and the admin's pages of every model, as the
province's administrator. The visible text is what a reader sees: the text of the page without its
tags, scripts and styles, plus the words of attributes a reader sees (placeholder, title, alt, the value
of a button). A run of three or more Latin letters in it is an English word unless it is a name the
portal keeps in Latin letters on purpose (`ALLOWED`: units, file formats, brand names) or an address, a
file name or a code (removed first).

Labels: on one page, two form controls (inputs, selects, text areas) whose accessible names are the
same leave a screen-reader user, and anyone reading the page, unable to tell them apart.
"""

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.test_url_policy import PORTAL_NAMES
from tests.test_url_policy import records as url_policy_records  # noqa: F401  (a fixture, used by `records`)
from tests.url_policy import POLICY

pytestmark = pytest.mark.django_db

# Latin words the portal shows on purpose: units and formats, product names, the ECharts charts.
ALLOWED = {
    "ECharts",
    "Excel",
    "WPS",
    "Word",
    "PDF",
    "CSV",
    "JSON",
    "XLSX",
    "xlsx",
    "xls",
    "csv",
    "pdf",
    "docx",
    "png",
    "jpg",
    "jpeg",
    "JPG",
    "PNG",
    "WebP",
    "UTF",
    "GBK",
    "SITE_URL",
    "SMS",
    "English",  # the language switcher names each language in itself
    "Control",  # keys and systems named in Django's own Chinese help texts
    "Command",
    "Mac",
    "LDAP",
}
# The admin's icons carry English alternative texts Django does not translate (alt="True", alt="Search").
ADMIN_ALLOWED = ALLOWED | {"True", "False", "Search"}
# One official of each kind of reader: the pages differ by role far more than by region.
READERS = ("admin", "province_staff", "county_staff", "cadre", "handler", "reviewer", "county_admin")
# What is not a word: addresses, e-mail addresses, file names, usernames and codes (letters with digits or
# underscores), the statistical codes of the sample data.
NOT_WORDS = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w.-]+|[\w/.-]+\.(?:xlsx|xls|csv|pdf|docx|png|jpe?g|json|txt)\b|\b\w*[\d_]\w*\b"
)
WORD = re.compile(r"[A-Za-z]{3,}")
VISIBLE_ATTRIBUTES = {"placeholder", "title", "alt"}
SKIPPED_TAGS = {"script", "style", "template"}
CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}


class VisibleText(HTMLParser):
    """The words a reader sees on a page, and the accessible names of its form controls.

    `skip_data` leaves out what the admin shows of the records themselves (its result table, the options
    of its selects, the values its filters offer): data such as industries' English names or permission
    names, not the admin's words."""

    def __init__(self, *, skip_data=False):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0
        self.labels_for, self.control_ids, self.controls = {}, {}, []
        self._label, self._label_text = None, []
        self.skip_data, self._data_tags, self._in_filter = skip_data, [], 0

    def _starts_data(self, tag, attrs):
        if not self.skip_data:
            return False
        if tag == "nav" and attrs.get("id") == "changelist-filter":
            self._in_filter = 1
        return tag in {"tbody", "option"} or (tag == "ul" and self._in_filter > 0)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._data_tags and tag == self._data_tags[-1][0]:
            self._data_tags[-1][1] += 1
        elif self._starts_data(tag, attrs):
            self._data_tags.append([tag, 1])
        if tag in SKIPPED_TAGS:
            self.skipping += 1
            return
        for name in VISIBLE_ATTRIBUTES:
            if attrs.get(name) and not self._data_tags:
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"} and attrs.get("value"):
            self.parts.append(attrs["value"])
        if tag == "label":
            self._label, self._label_text = attrs.get("for"), []
        if tag in CONTROLS and attrs.get("type", "") not in UNLABELLED_INPUTS:
            self.controls.append(attrs)

    def handle_endtag(self, tag):
        if self._data_tags and tag == self._data_tags[-1][0]:
            self._data_tags[-1][1] -= 1
            if self._data_tags[-1][1] == 0:
                self._data_tags.pop()
        if tag in SKIPPED_TAGS:
            self.skipping = max(self.skipping - 1, 0)
        if tag == "label" and self._label:
            self.labels_for[self._label] = " ".join("".join(self._label_text).split())
            self._label = None

    def handle_data(self, data):
        if self.skipping or self._data_tags:
            return
        self.parts.append(data)
        if self._label is not None:
            self._label_text.append(data)

    @property
    def text(self):
        return " ".join(self.parts)

    def control_names(self):
        """Each labelled control's accessible name: aria-label, or its <label for=...>'s text."""
        names = []
        for control in self.controls:
            name = control.get("aria-label") or self.labels_for.get(control.get("id", ""), "")
            if name:
                names.append((name, control.get("form", ""), control.get("name", "")))
        return names


def english_words(html, *, admin=False):
    parser = VisibleText(skip_data=admin)
    parser.feed(html)
    text = NOT_WORDS.sub(" ", parser.text)
    allowed = ADMIN_ALLOWED if admin else ALLOWED
    return sorted({word for word in WORD.findall(text) if word not in allowed})


def shared_labels(html):
    parser = VisibleText()
    parser.feed(html)
    counts = Counter(name for name, _form, _field in parser.control_names())
    return sorted(name for name, count in counts.items() if count > 1)


@pytest.fixture
def records(url_policy_records):  # noqa: F811 (the imported fixture, by its name)
    """A record of each kind, inside 历下区 and outside it: the URL policy's."""
    return url_policy_records


def page_urls(records):
    """(name, url, roles allowed to read it) for every page of the portal that answers GET."""
    for name in PORTAL_NAMES:
        rule = POLICY[name]
        if not rule.get:
            continue
        kwargs = dict(rule.url_kwargs)
        if rule.record:
            record = (
                records[rule.record].get("370102")
                or records[rule.record].get("owner")
                or next(iter(records[rule.record].values()))
            )
            kwargs[rule.kwarg] = record.pk
        try:
            yield name, reverse(name, kwargs=kwargs), rule.get
        except NoReverseMatch:
            continue


def html_of(response):
    if response.status_code != 200 or response.streaming:
        return None
    if "text/html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


def test_zh_hans_pages_show_no_english_words_and_no_shared_labels(cast, records):
    english, shared = {}, {}
    for name, url, roles in page_urls(records):
        for role in [reader for reader in READERS if reader in roles]:
            client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
            client.force_login(cast[role])
            html = html_of(client.get(url))
            if html is None:
                continue
            if words := english_words(html):
                english.setdefault(name, (role, words))
            if labels := shared_labels(html):
                shared.setdefault(name, (role, labels))
    assert (english, shared) == ({}, {}), (
        f"English words on zh-hans pages (page: (role, words)): {english}\n"
        f"Controls sharing a label (page: (role, labels)): {shared}"
    )


def door_page_urls(records):
    """(name, url) of every page the enterprise reads through its door (the URL policy's `door=GET`), with its own
    records (those of 历下区's enterprise)."""
    for name, rule in POLICY.items():
        if "get" not in rule.door:
            continue
        kwargs = dict(rule.url_kwargs)
        if rule.record:
            kwargs[rule.kwarg] = records[rule.record]["370102"].pk
        yield name, reverse(name, kwargs=kwargs)


def test_the_enterprises_door_in_zh_hans_shows_no_english_words(cast, records):
    """The enterprise's own pages, read through its door in zh-hans (the portal's language): its home page with
    a liaison cadre, the invitation of a forum and the policies that fit it, its demands (the list, the form of a
    new one, a demand raised through the door with its timeline), and the start page of a reader without a session
    (with one, it leads to the home page)."""
    from accounts.models import User
    from door.tests.clients import door_client
    from problems import services as problem_services
    from problems.tests.factories import category

    enterprise = records["enterprise"]["370102"]
    liaisons = User.objects.filter(assignments__enterprise=enterprise, assignments__ended_on__isnull=True)
    assert liaisons.update(office_phone="0531-86001234") >= 1
    raised = problem_services.raise_from_enterprise(
        enterprise=enterprise, category=category(), description="新建厂房的施工许可办理了两个月仍没有结果，请帮助协调。"
    )
    client = door_client(enterprise, language="zh-hans")
    pages = [*door_page_urls(records), ("door:demand", reverse("door:demand", args=[raised.pk]))]
    english, shared, shown = {}, {}, set()
    for name, url in pages:
        html = html_of(client.get(url))
        if html is None:
            continue
        shown.add(name)
        if words := english_words(html):
            english.setdefault(url, words)
        if labels := shared_labels(html):
            shared.setdefault(url, labels)
    assert {"door:home", "door:policies", "door:demands", "door:demand_new", "door:demand"} <= shown
    html = html_of(Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(reverse("door:start")))
    if words := english_words(html):
        english["door:start (no session)"] = words
    assert (english, shared) == ({}, {}), (
        f"English words on the door's zh-hans pages (url: words): {english}\nControls sharing a label (url: labels): {shared}"
    )


def admin_urls():
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:{}_{}_changelist".format(*info))
        if model_admin.has_add_permission.__func__ is admin.ModelAdmin.has_add_permission:
            yield reverse("admin:{}_{}_add".format(*info))
    yield reverse("admin:index")
    for config in apps.get_app_configs():
        try:
            yield reverse("admin:app_list", kwargs={"app_label": config.label})
        except NoReverseMatch:
            continue


def test_the_admin_in_zh_hans_shows_no_english_words(cast, records):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(cast["admin"])
    english = {}
    for url in admin_urls():
        html = html_of(client.get(url))
        if html and (words := english_words(html, admin=True)):
            english[url] = words
    assert english == {}, f"English words in the admin (url: words): {english}"


def test_the_check_finds_english_words_and_shared_labels():
    page = (
        '<html><head><title>问题清单</title><script>var ignored = "Submit";</script></head><body>'
        '<p>共 3 条 · Overdue</p><a href="https://example.cn/x">ECharts 图表</a> t_lx_staff 370102 file.xlsx'
        '<input placeholder="Search"><label for="a">地区</label><select id="a"></select>'
        '<label for="b">地区</label><select id="b"></select></body></html>'
    )
    assert english_words(page) == ["Overdue", "Search"]
    assert shared_labels(page) == ["地区"]


def _package_msgids(path):
    import polib

    return [(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path)) if entry.msgid and not entry.obsolete]


def test_the_packages_without_chinese_are_translated_by_the_portals_catalogue():
    """django-filter (zh_CN only), django-axes (no Chinese) and the strings of Django's admin newer than its
    zh_Hans catalogue read in Chinese: portal/third_party_messages.py marks them for our catalogue."""
    import axes
    import django
    import django_filters
    from django.utils import translation

    catalogues = [
        Path(django_filters.__file__).parent / "locale/zh_CN/LC_MESSAGES/django.po",
        Path(axes.__file__).parent / "locale/de/LC_MESSAGES/django.po",
        Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/django.po",
    ]
    untranslated = []
    with translation.override("zh-hans"):
        for catalogue in catalogues:
            for context, msgid in _package_msgids(catalogue):
                shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                if shown == msgid and re.search(r"[A-Za-z]{3,}", re.sub(r"%\(\w+\)\w|\{\w+\}|%\w", "", msgid)):
                    untranslated.append(msgid)
    assert untranslated == []


def test_the_sort_options_read_in_chinese(cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(cast["county_staff"])
    page = client.get(reverse("enterprises:list")).content.decode()
    assert "（降序）" in page and "descending" not in page
