"""Backups proven, not promised: a seeded database and its files backed up, restored into a NEW database and
media folder, and found identical table by table (row count and a hash of every row) and file by file; and a
restore that refuses (a database with tables, a damaged backup, a missing one) changes nothing.

pg_dump reads what is committed, through a connection of its own: the seeded round trip is a transactional
test; the others back up the test database as the migrations left it. Each restore goes into a database the
test creates and drops. PostgreSQL only (CI runs PostgreSQL); on SQLite they are skipped, and the commands'
refusal of SQLite is tested instead.
"""

import hashlib
import itertools
import json
import os
import shutil
import time
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from cases.models import CasePhoto
from cases.tests.factories import PNG, CaseFactory
from core import backups
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from forums.models import ForumAttachment
from forums.tests.factories import ForumFactory
from notifications.services import notify
from problems.models import EventKind, ProblemEvent, ProblemEventAttachment
from problems.tests.factories import ProblemFactory
from tests.reference_data import restore_reference_data
from visits.models import Policy, Visit, VisitAttachment, VisitStatus

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="backups need PostgreSQL's pg_dump and pg_restore (SQLite: see test_sqlite_is_refused_with_a_clear_message)",
)
# The password in every URL the tests pass (the local server does not ask for one unless the test database's
# own settings name one): no message may show it.
PASSWORD = connection.settings_dict["PASSWORD"] or "s3cret-never-printed"
_numbers = itertools.count()


@pytest.fixture
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings


def url_of(name):
    """A postgres:// URL, with a password, of the database `name` beside the test database."""
    source = connection.settings_dict
    user = source["USER"] or "postgres"
    return f"postgres://{user}:{PASSWORD}@{source['HOST'] or '127.0.0.1'}:{source['PORT'] or 5432}/{name}"


def create_database():
    name = f"{connection.settings_dict['NAME']}_restore{next(_numbers)}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name):
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def new_database():
    """An empty database, made by the test and dropped after it; its URL."""
    name = create_database()
    yield url_of(name)
    drop_database(name)


def open_database(url):
    """A psycopg2 connection of the test's own (autocommit) to the database at `url`."""
    database = backups._settings_from_url(url)
    opened = psycopg2.connect(
        dbname=database["NAME"], user=database["USER"], host=database["HOST"], port=database["PORT"], password=PASSWORD
    )
    opened.autocommit = True
    return opened


def execute(url, *statements):
    opened = open_database(url)
    try:
        with opened.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        opened.close()


def fingerprints(cursor):
    """{table: (rows, md5 of every row in a fixed order)} of every table, and {sequence: last value}."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t")
        tables[table] = tuple(cursor.fetchone())
    cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
    return tables, dict(cursor.fetchall())


def of(url):
    opened = open_database(url)
    try:
        with opened.cursor() as cursor:
            return fingerprints(cursor)
    finally:
        opened.close()


def here():
    with connection.cursor() as cursor:
        return fingerprints(cursor)


def files_of(root):
    """{posix path under root: sha256} of every file under root."""
    root = Path(root)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def run(command, *arguments, **options):
    """Run a management command in English, returning what it printed; a refusal raises CommandError."""
    output = StringIO()
    with translation.override("en"):
        call_command(command, *[str(argument) for argument in arguments], stdout=output, **options)
    return output.getvalue()


def refusal(backup, **options):
    with pytest.raises(CommandError) as refused:
        run("restore", backup, **options)
    message = str(refused.value)
    assert PASSWORD not in message
    return message


def seed_records(media_root):
    """Rows in several apps, with uploaded files of five kinds, and a file under MEDIA_ROOT no row names."""
    staff = UserFactory(username="backup_staff", region_id="370102", roles=[Role.STAFF])
    enterprise = EnterpriseFactory(name="备份测试企业")
    assignment = AssignmentFactory(enterprise=enterprise)
    visit = Visit.objects.create(
        enterprise=enterprise,
        region_id="370102",
        cadre=assignment.official,
        level="county",
        purpose="走访了解融资需求",
        status=VisitStatus.SUBMITTED,
    )
    VisitAttachment.objects.create(
        visit=visit, file=ContentFile(b"%PDF-1.4 visit minutes", name="minutes.pdf"), original_name="纪要.pdf",
        content_type="application/pdf", size=22,
    )  # fmt: skip
    problem = ProblemFactory(enterprise=enterprise, raised_by=assignment.official)
    ProblemEventAttachment.objects.create(
        event=ProblemEvent.objects.create(problem=problem, kind=EventKind.RAISED, status=problem.status),
        file=ContentFile(b"%PDF-1.4 reply", name="reply.pdf"), original_name="答复.pdf", content_type="application/pdf",
        size=14,
    )  # fmt: skip
    ForumAttachment.objects.create(
        forum=ForumFactory(), file=ContentFile(b"%PDF-1.4 signed", name="sign-in.pdf"), original_name="签到表.pdf",
        content_type="application/pdf", size=15,
    )  # fmt: skip
    CasePhoto.objects.create(
        case=CaseFactory(enterprise=enterprise, nominated_by=assignment.official),
        file=ContentFile(PNG, name="photo.png"), original_name="照片.png", content_type="image/png", size=len(PNG),
    )  # fmt: skip
    Policy.objects.create(
        title="备份测试政策", issuer="区政府", level="county", region_id="370102", issued_on="2026-01-01",
        document=ContentFile(b"%PDF-1.4 policy", name="policy.pdf"),
    )  # fmt: skip
    notify(recipients=[staff], key="backup-test", title="备份测试通知")
    put_files(media_root, {"exports/导出.xlsx": os.urandom(2048)})


def put_files(root, contents):
    for name, content in contents.items():
        path = Path(root, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


@pytest.fixture
def seeded(transactional_db, folders):
    """Committed rows and files: pg_dump reads them through a connection of its own."""
    restore_reference_data()  # an earlier transactional test's flush removed what the data migrations load
    seed_records(folders.MEDIA_ROOT)
    return folders


@postgresql
def test_a_backup_restored_into_a_new_database_is_identical_row_for_row_and_file_for_file(seeded, new_database, tmp_path):
    printed = run("backup")

    [path] = backups.list_backups()
    assert printed.startswith(f"Backed up to {path}")
    source_tables, source_sequences = here()
    source_files = files_of(seeded.MEDIA_ROOT)
    manifest = json.loads((path / backups.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tables"] == {table: rows for table, (rows, _hash) in source_tables.items()}
    seeded_tables = [
        "accounts_user", "enterprises_enterprise", "enterprises_liaisonassignment", "visits_visit",
        "visits_visitattachment", "visits_policy", "problems_problem", "problems_problemeventattachment",
        "forums_forum", "forums_forumattachment", "cases_case", "cases_casephoto", "notifications_notification",
        "accounts_region",
    ]  # fmt: skip
    assert all(manifest["tables"][table] > 0 for table in seeded_tables)
    assert manifest["migrations"]["visits"] == MigrationRecorder.Migration.objects.filter(app="visits").latest("id").name
    assert manifest["database"]["name"] == connection.settings_dict["NAME"]
    assert len(source_files) == 6 and "exports/导出.xlsx" in source_files
    assert manifest["media"] == {
        "files": 6,
        "bytes": sum(path.stat().st_size for path in Path(seeded.MEDIA_ROOT).rglob("*") if path.is_file()),
        "sha256": source_files,
    }
    for name in (backups.DUMP, backups.MEDIA_ARCHIVE):
        assert manifest["files"][name]["sha256"] == hashlib.sha256((path / name).read_bytes()).hexdigest()

    printed = run("restore", path, database_url=new_database, media_root=tmp_path / "restored-media")

    assert printed.startswith(f"Restored {path} into database") and PASSWORD not in printed
    assert of(new_database) == (source_tables, source_sequences)
    assert files_of(tmp_path / "restored-media") == source_files


@postgresql
def test_a_database_with_tables_is_refused_unchanged_unless_forced(db, folders, new_database, tmp_path):
    put_files(folders.MEDIA_ROOT, {"visits/2026/05/minutes.pdf": b"%PDF-1.4 minutes", "policies/policy.pdf": b"%PDF-1.4"})
    backup = backups.make_backup()
    source_tables, _sequences = here()  # what is committed: this test writes nothing to the test database
    target_media = tmp_path / "restored-media"
    run("restore", backup.path, database_url=new_database, media_root=target_media)
    # Someone works in the restored copy: rows changed and deleted, a table added, a file changed.
    execute(
        new_database,
        "UPDATE django_content_type SET model = model || '_changed'",
        "DELETE FROM auth_group_permissions WHERE id IN (SELECT id FROM auth_group_permissions ORDER BY id LIMIT 3)",
        "CREATE TABLE notes_of_someone (id int)",
        "INSERT INTO notes_of_someone VALUES (1)",
    )
    (target_media / "visits/2026/05/minutes.pdf").write_bytes(b"%PDF-1.4 changed")
    before = of(new_database), files_of(target_media)
    assert before[0][0]["django_content_type"] != source_tables["django_content_type"]

    message = refusal(backup.path, database_url=new_database, media_root=target_media)

    assert f"already has {len(source_tables) + 1} tables" in message and "already has 2 files" in message
    assert "--force" in message and "Nothing was changed" in message
    assert (of(new_database), files_of(target_media)) == before

    run("restore", backup.path, database_url=new_database, media_root=target_media, force=True)

    restored_tables, _sequences = of(new_database)
    assert restored_tables == {**source_tables, "notes_of_someone": (1, restored_tables["notes_of_someone"][1])}
    assert files_of(target_media) == files_of(folders.MEDIA_ROOT)


@pytest.fixture(scope="module")
def pristine(django_db_setup, django_db_blocker, tmp_path_factory):
    """One backup of the test database as it stands and of two files, for the tests that damage a copy of it."""
    media_root = tmp_path_factory.mktemp("pristine-media")
    put_files(media_root, {"visits/2026/05/minutes.pdf": b"%PDF-1.4 minutes", "policies/policy.pdf": b"%PDF-1.4 p"})
    with django_db_blocker.unblock():
        return backups.make_backup(backup_dir=tmp_path_factory.mktemp("pristine"), media_root=media_root)


@pytest.fixture(scope="module")
def occupied(django_db_setup, django_db_blocker, tmp_path_factory):
    """A target that --force would replace: a database with one table and a media folder with one file. The tests
    that use it refuse before touching it, and check that it stays so."""
    media_root = tmp_path_factory.mktemp("occupied-media")
    put_files(media_root, {"visits/kept.pdf": b"%PDF-1.4 kept"})
    with django_db_blocker.unblock():
        name = create_database()
        execute(url_of(name), "CREATE TABLE kept (id int)", "INSERT INTO kept VALUES (7)")
        yield url_of(name), media_root
        drop_database(name)


@pytest.fixture
def copy_of_backup(pristine, tmp_path):
    return Path(shutil.copytree(pristine.path, tmp_path / pristine.path.name))


def flip_a_byte(path):
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))


def forge_a_media_checksum(folder):
    manifest_path = folder / backups.MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["media"]["sha256"]["visits/forged.pdf"] = "0" * 64
    manifest["media"]["files"] += 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


@postgresql
@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda folder: flip_a_byte(folder / backups.DUMP), "database.dump fails its checksum"),
        (lambda folder: flip_a_byte(folder / backups.MEDIA_ARCHIVE), "media.tar.gz fails its checksum"),
        (lambda folder: (folder / backups.DUMP).unlink(), "database.dump is missing"),
        (forge_a_media_checksum, "The media archive does not match the manifest (visits/forged.pdf)"),
        (lambda folder: (folder / backups.MANIFEST).write_text("{not json", encoding="utf-8"), "cannot be read"),
    ],
    ids=["dump-byte-flipped", "archive-byte-flipped", "dump-missing", "media-file-not-in-archive", "manifest-unreadable"],
)
def test_a_damaged_backup_is_refused_before_anything_is_touched(db, copy_of_backup, occupied, damage, said):
    target, media_root = occupied
    damage(copy_of_backup)
    before = of(target), files_of(media_root)
    assert list(before[0][0]) == ["kept"] and list(before[1]) == ["visits/kept.pdf"]

    message = refusal(copy_of_backup, database_url=target, media_root=media_root, force=True)

    assert said in message and "Nothing was restored" in message
    assert (of(target), files_of(media_root)) == before


@postgresql
def test_the_undamaged_copy_verifies(db, copy_of_backup):
    assert run("restore", copy_of_backup, verify_only=True).startswith(f"{copy_of_backup} is whole")


@postgresql
def test_an_unreachable_database_is_named_without_its_password(db, copy_of_backup, tmp_path):
    message = refusal(copy_of_backup, database_url=url_of("no_such_database_h8"), media_root=tmp_path / "media")

    assert "Cannot connect to database no_such_database_h8" in message and "does not exist" in message
    assert not (tmp_path / "media").exists()


@postgresql
def test_old_or_missing_client_tools_are_named_before_anything_is_written(
    db, folders, copy_of_backup, occupied, monkeypatch, tmp_path
):
    target, media_root = occupied
    before = of(target), files_of(media_root)
    fake_bin = tmp_path / "bin"
    for tool in ("pg_dump", "pg_restore"):
        put_files(fake_bin, {tool: f"#!/bin/sh\necho '{tool} (PostgreSQL) 11.22'\n".encode()})
        (fake_bin / tool).chmod(0o755)
    monkeypatch.setenv("PATH", str(fake_bin))

    message = refusal(copy_of_backup, database_url=target, media_root=media_root, force=True)

    assert "pg_restore 11.22 cannot read a dump of pg_dump" in message
    assert (of(target), files_of(media_root)) == before
    with pytest.raises(CommandError, match=r"pg_dump 11.22 cannot dump a PostgreSQL \d+"):
        run("backup")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(CommandError, match="pg_dump was not found on PATH"):
        run("backup")
    assert list(Path(folders.BACKUP_DIR).iterdir()) == []  # the half-made backup was removed


@postgresql
def test_keep_deletes_the_oldest_backups_after_a_new_one(db, folders):
    root = Path(folders.BACKUP_DIR)
    for name in ("backup-20250101T000000Z", "backup-20250102T000000Z", "backup-20250102T000000Z-1"):
        put_files(root / name, {backups.MANIFEST: b"{}"})
    (root / "backup-20240101T000000Z").mkdir()  # no manifest: not a backup, never deleted
    (root / "notes").mkdir()
    put_files(root / ".backup-20250103T000000Z.partial", {backups.DUMP: b"killed mid-way two days ago"})
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(root / ".backup-20250103T000000Z.partial", (two_days_ago, two_days_ago))
    put_files(root / ".backup-20250104T000000Z.partial", {backups.DUMP: b"perhaps still running"})

    printed = run("backup", keep=2)

    kept = backups.list_backups(root)
    assert kept[0].name == "backup-20250102T000000Z-1" and len(kept) == 2
    assert sorted(path.name for path in root.iterdir()) == sorted(
        ["backup-20240101T000000Z", "notes", ".backup-20250104T000000Z.partial", *(k.name for k in kept)]
    )
    assert printed.count("Deleted the older backup") == 3
    with pytest.raises(CommandError, match="at least 1"):
        run("backup", keep=0)


def test_a_missing_backup_is_named(tmp_path, folders):
    with pytest.raises(CommandError, match="No backup at .*nowhere"):
        run("restore", tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="is not a backup: it has no manifest.json"):
        run("restore", tmp_path / "empty")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the refusal of a SQLite database")
def test_sqlite_is_refused_with_a_clear_message(folders):
    with pytest.raises(CommandError, match="Backups need PostgreSQL"):
        run("backup")
    assert not Path(folders.BACKUP_DIR).exists()
