"""Every user-facing string has its Simplified Chinese text."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Everything makemessages reads: the apps, the project package, the templates (not the tests).
SKIPPED = {"tests", "locale", "static", "var", "docs", "scripts", ".ci"}
SOURCES = sorted(
    path.name
    for path in ROOT.iterdir()
    if path.is_dir()
    and not path.name.startswith(".")
    and path.name not in SKIPPED
    and ((path / "__init__.py").exists() or path.name == "templates")
) + ["manage.py"]


def test_every_msgid_has_a_chinese_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"msgids without a translation: {untranslated}"
    assert not fuzzy, f"fuzzy translations to check: {fuzzy}"


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        # Chinese has one plural form: it is used for every number, so it holds the plural's placeholders (a
        # singular may say "once" where the plural says "%(uses)s times").
        source = entry.msgid_plural or entry.msgid
        for translation in translations:
            for placeholder in ("%(", "%s", "%d"):
                assert source.count(placeholder) == translation.count(placeholder), entry.msgid


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is needed to extract messages")
def test_catalogue_holds_every_string_of_the_source(tmp_path):
    """Extract the strings afresh into a copy of the project and compare: a new string that was not
    added to the catalogue fails here."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--verbosity", "0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "PYTHONPATH": str(tmp_path)},
    )
    extracted = {entry.msgid for entry in polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    assert len(extracted) > 100, "extraction found almost nothing: is the copy complete?"
    ours = {entry.msgid for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    assert not extracted - ours, f"strings missing from locale/zh_Hans: {sorted(extracted - ours)}"
