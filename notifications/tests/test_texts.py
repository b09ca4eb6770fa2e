"""A notification's words are stored as messages and read in the reader's language."""

import ast
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext_lazy

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.models import Notification
from notifications.texts import Lines, Names, Text, render

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def in_language(language, value):
    with translation.override(language):
        return str(value)


def test_a_message_is_translated_when_it_is_read_not_when_it_is_written():
    title = Text(gettext_lazy("Your export could not be written: %(title)s."), title=gettext_lazy("Problem ledger"))
    stored = title.as_json()
    assert stored == {
        "msgid": "Your export could not be written: %(title)s.",
        "params": {"title": {"msgid": "Problem ledger"}},
    }
    with translation.override("en"):
        assert render(stored) == "Your export could not be written: Problem ledger."
    with translation.override("zh-hans"):
        assert render(stored) == "您的导出未能生成：问题台账。"


def test_plurals_contexts_lines_and_names_in_two_languages():
    more = Text(ngettext_lazy("and %(count)d more problem", "and %(count)d more problems", "count"), count=3)
    planned = Text(pgettext_lazy("forum", "Planned"))
    category = Names("融资信贷", en="Financing and credit")
    body = Lines(Text("%(problem)s · %(category)s", problem="山东测试有限公司", category=category), more, planned)
    assert in_language("en", body) == "山东测试有限公司 · Financing and credit\nand 3 more problems\nPlanned"
    assert in_language("zh-hans", body) == "山东测试有限公司 · 融资信贷\n另有 3 个问题\n已计划"


def test_words_an_official_typed_are_kept_as_they_are():
    assert render(Text("100% 完成，见附件").as_json()) == "100% 完成，见附件"
    assert in_language("en", Text(gettext_lazy("Deadline: %(deadline)s"), deadline="—")) == "Deadline: —"


def test_a_translation_that_lost_a_placeholder_shows_the_english_sentence_rather_than_failing():
    stored = {"msgid": "Deadline: %(deadline)s", "params": {"deadline": "2027-01-04"}}
    with translation.override("zh-hans"), pytest.MonkeyPatch.context() as patch:
        patch.setattr(translation, "gettext", lambda msgid: "期限：%(day)s")
        assert render(stored) == "Deadline: 2027-01-04"


def test_an_eager_translation_cannot_be_stored_as_a_message_by_mistake():
    with pytest.raises(TypeError):
        Text(42)


@pytest.fixture
def official():
    return UserFactory(username="t_reader", email="reader@liaison.example", region_id="370102")


def test_the_inbox_shows_each_reader_the_notification_in_their_language(official):
    [notification] = services.notify(
        recipients=[official],
        key="export-finished:1",
        title=Text(
            gettext_lazy("Your export is ready: %(title)s, %(rows)s rows."), title=gettext_lazy("Problem ledger"), rows="12"
        ),
        body=Text(gettext_lazy("Deadline: %(deadline)s"), deadline="2027-01-04"),
    )
    # The row keeps the words in the portal's language too: the admin searches them.
    assert notification.title == "您的导出已生成：问题台账，共 12 行。"
    for language, title, body in [
        ("en", "Your export is ready: Problem ledger, 12 rows.", "Deadline: 2027-01-04"),
        ("zh-hans", "您的导出已生成：问题台账，共 12 行。", "期限：2027-01-04"),
    ]:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(official)
        page = client.get(reverse("notifications:list")).content.decode()
        assert title in page
        detail = client.get(reverse("notifications:open", args=[notification.pk])).content.decode()
        assert title in detail and body in detail
        assert title in client.get(reverse("home")).content.decode()


def test_a_notification_written_before_messages_were_stored_keeps_its_text(official):
    old = Notification.objects.create(recipient=official, key="old", title="旧通知", body="旧正文")
    with translation.override("en"):
        assert (old.display_title, old.display_body, str(old)) == ("旧通知", "旧正文", "旧通知")


def test_the_e_mail_is_written_in_the_recipients_language(official, settings, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        # Sent from an English page: the official's e-mail is still in the portal's language, theirs.
        services.notify(recipients=[official], key="k", title=Text(gettext_lazy("Problem ledger")))
    [message] = mail.outbox
    assert "问题台账" in message.subject and "Problem ledger" not in message.subject


NOTIFYING_CALLS = {"notify", "Message"}
EAGER = {"_", "gettext", "ngettext", "pgettext", "npgettext"}


def _eager_words(node, translations):
    """Why `node` (an argument of a notifying call) is text already translated, or None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in translations:
        return f"a call of {node.func.id}()"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return "a % formatting"
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    return None


def eager_arguments(source):
    """(line, why) of each title or body of a notify()/Message() call in `source` that is already text."""
    tree = ast.parse(source)
    eager = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in NOTIFYING_CALLS):
            continue
        arguments = [keyword.value for keyword in node.keywords if keyword.arg in {"title", "body"}] + node.args[2:4]
        found += [(node.lineno, reason) for argument in arguments if (reason := _eager_words(argument, eager))]
    return found


def test_the_source_check_finds_a_notification_rendered_in_one_language():
    source = (
        "from django.utils.translation import gettext as _\n"
        "notify(recipients=[], key='k', title=_('Done: %(n)s') % {'n': 1})\n"
        "Message(user, 'k', f'{name}', _('Body'))\n"
        "notify(recipients=[], key='k', title=Text(gettext_lazy('Done')))\n"
    )
    assert eager_arguments(source) == [(2, "a % formatting"), (3, "an f-string"), (3, "a call of _()")]


def test_every_notification_of_the_portal_is_written_as_messages():
    """No caller renders a notification's title or body in one language before storing it: they pass
    notifications.texts messages (checked in the source of every app, so a new caller is checked too)."""
    wrong = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "var", "tests"} or "tests" in parts or "migrations" in parts:
            continue
        for line, reason in eager_arguments(path.read_text(encoding="utf-8")):
            wrong.append(f"{path.relative_to(ROOT)}:{line}: {reason}")
    assert wrong == []
