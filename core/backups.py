"""Backups proven, not promised: `manage.py backup` and `manage.py restore` (thin commands over this module).

A backup is one folder per run, `BACKUP_DIR/backup-<UTC time>`, holding

- `database.dump`: `pg_dump --format=custom` of the database;
- `media.tar.gz`: every file under `MEDIA_ROOT`;
- `manifest.json`: when, from which commit, which database and server, the latest applied migration of each
  app, the row count of every table, the media's file count and bytes, and the SHA-256 of the dump, of the
  archive and of each media file.

The row counts and the dump read one snapshot (the counting transaction exports it and pg_dump reads it
with `--snapshot`), so the counts are those of the dump even while the portal keeps writing. The folder is
written under a hidden name and renamed when complete: a folder named `backup-…` is always whole.

A restore checks every checksum before it touches anything, refuses a database that already has tables
(and a media folder that already has files) unless forced, restores the dump in a single transaction (a
failure leaves the database as it was), writes the media files, and counts the rows of every table against
the manifest. PostgreSQL only: SQLite has no pg_dump. The database's password goes to the tools in their
environment (PGPASSWORD), never on a command line, and no message names it.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
import environ
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.utils import ConnectionHandler
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
DUMP = "database.dump"
MEDIA_ARCHIVE = "media.tar.gz"
MANIFEST = "manifest.json"
NAME_PATTERN = re.compile(r"^backup-\d{8}T\d{6}Z(-\d+)?$")
PARTIAL_PATTERN = re.compile(r"^\.backup-\d{8}T\d{6}Z(-\d+)?\.partial$")
POSTGRESQL = "django.db.backends.postgresql"
# Photos and PDFs are compressed already: the fastest level costs a fraction of the time for nearly the size.
MEDIA_COMPRESSION = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore refused or failed; the message says why and what to do, without the password."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict

    @property
    def tables(self):
        return self.manifest["tables"]

    @property
    def media(self):
        return self.manifest["media"]


@dataclass(frozen=True)
class Restored:
    backup: Backup
    database: str  # described without the password
    media_root: Path
    files: int
    rows: int


# Where backups go and which exist


def backup_root():
    return Path(settings.BACKUP_DIR)


def list_backups(backup_dir=None):
    """The complete backups under `backup_dir` (BACKUP_DIR), oldest first."""
    folder = Path(backup_dir) if backup_dir else backup_root()
    if not folder.is_dir():
        return []
    found = [path for path in folder.iterdir() if NAME_PATTERN.match(path.name) and (path / MANIFEST).is_file()]
    return sorted(found, key=lambda path: (path.name[:23], int(path.name[24:] or 0)))


def prune_backups(backup_dir=None, *, keep):
    """Delete all but the newest `keep` complete backups, and what a backup killed mid-way left more than a day
    ago; return the deleted folders. Nothing else is touched."""
    if keep < 1:
        raise BackupError(_("--keep must be at least 1: the backup just made is always kept."))
    folder = Path(backup_dir) if backup_dir else backup_root()
    existing = list_backups(folder)
    doomed = existing[: max(len(existing) - keep, 0)]
    day_ago = time.time() - 24 * 3600
    doomed += [
        path
        for path in (folder.iterdir() if folder.is_dir() else [])
        if PARTIAL_PATTERN.match(path.name) and path.is_dir() and path.stat().st_mtime < day_ago
    ]
    for path in doomed:
        shutil.rmtree(path)
    return doomed


def find_backup(backup, backup_dir=None):
    """The folder of a backup given as a path (the folder or its manifest) or as a name under BACKUP_DIR."""
    path = Path(backup)
    if path.is_file() and path.name == MANIFEST:
        path = path.parent
    if not path.exists() and not path.is_absolute() and len(path.parts) == 1:
        path = (Path(backup_dir) if backup_dir else backup_root()) / path
    if not path.is_dir():
        raise BackupError(_("No backup at %(path)s: give a backup folder (one holding manifest.json).") % {"path": backup})
    if not (path / MANIFEST).is_file():
        raise BackupError(_("%(path)s is not a backup: it has no manifest.json.") % {"path": path})
    return path


# Making a backup


def make_backup(*, using=DEFAULT_DB_ALIAS, backup_dir=None, media_root=None):
    """Back up the database `using` and the media folder into a new folder under `backup_dir` (BACKUP_DIR).

    Returns the `Backup`. On any failure the half-written folder is removed and a `BackupError` says why.
    """
    database = _postgresql_settings(dict(connections[using].settings_dict), what=_("Backups"))
    media_root = Path(media_root or settings.MEDIA_ROOT)
    folder = Path(backup_dir) if backup_dir else backup_root()
    pg_dump, pg_dump_version = _tool("pg_dump")

    folder.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    final = _free_name(folder, f"backup-{now:%Y%m%dT%H%M%SZ}")
    partial = folder / f".{final.name}.partial"
    partial.mkdir(mode=0o700)
    try:
        try:
            snapshot = _dump_database(database, pg_dump, pg_dump_version, partial / DUMP)
            media = _archive_media(media_root, partial / MEDIA_ARCHIVE, skip=folder)
        except OSError as error:  # a file vanished or shrank while archived, a full disk, ...
            raise BackupError(_("The backup failed and was removed: %(error)s") % {"error": error}) from None
        manifest = {
            "format": FORMAT,
            "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "app_version": _app_version(),
            "django_version": django.get_version(),
            "database": {
                "name": database["NAME"],
                "server_version": snapshot["server_version"],
                "pg_dump_version": pg_dump_version,
            },
            "migrations": snapshot["migrations"],
            "tables": snapshot["tables"],
            "media": media,
            "files": {name: _file_record(partial / name) for name in (DUMP, MEDIA_ARCHIVE)},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for path in partial.iterdir():
            path.chmod(0o600)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Backup(final, manifest)


def _free_name(folder, name):
    candidate, number = folder / name, 1
    while candidate.exists() or (folder / f".{candidate.name}.partial").exists():
        candidate, number = folder / f"{name}-{number}", number + 1
    return candidate


def _dump_database(database, pg_dump, pg_dump_version, target):
    """Count the rows and read the migrations in one exported snapshot, and have pg_dump dump that snapshot."""
    with _connected(database) as connection, connection.cursor() as cursor:
        server_major, server_version = _server_version(connection)
        if _major(pg_dump_version) < server_major:
            raise BackupError(
                _(
                    "pg_dump %(tool)s cannot dump a PostgreSQL %(server)s server: install the PostgreSQL %(major)s "
                    "client (Debian: postgresql-client-%(major)s) and put its pg_dump first on PATH."
                )
                % {"tool": pg_dump_version, "server": server_version, "major": server_major}
            )
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        [snapshot] = cursor.fetchone()
        tables = _row_counts(connection, cursor)
        migrations = _latest_migrations(cursor) if "django_migrations" in tables else {}
        arguments, environment = _libpq(database)
        _run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password", "--file", str(target), *arguments],
            environment,
            database,
            failure=_("pg_dump failed"),
        )
        cursor.execute("COMMIT")
    return {"server_version": server_version, "tables": tables, "migrations": migrations}


def _archive_media(media_root, target, *, skip):
    """Write every regular file under `media_root` into a tar.gz, hashing the very bytes archived."""
    checksums, total = {}, 0
    skip = Path(skip).resolve()
    with tarfile.open(target, "w:gz", compresslevel=MEDIA_COMPRESSION) as archive:
        for path, name in _media_files(media_root):
            if path.resolve().is_relative_to(skip):  # a BACKUP_DIR inside MEDIA_ROOT is not media
                continue
            info = archive.gettarinfo(path, arcname=name)
            with path.open("rb") as handle:
                reader = _HashingReader(handle)
                archive.addfile(info, reader)
            checksums[name] = reader.digest.hexdigest()
            total += info.size
    return {"files": len(checksums), "bytes": total, "sha256": checksums}


def _media_files(media_root):
    """(path, posix name relative to the root) of each regular file under `media_root`, in a fixed order."""
    root = Path(media_root)
    if not root.is_dir():
        return
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


class _HashingReader:
    """A file wrapper that hashes what is read through it (tarfile reads the file once, through it)."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _app_version():
    """The git commit the code runs from, when it runs from a git checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


# Verifying a backup


def verify_backup(backup, backup_dir=None):
    """Check a backup whole before anything is restored from it: the manifest reads, the dump and the archive
    have their recorded checksums, and the archive holds exactly the recorded media files, each with its
    checksum. Returns the `Backup`; a `BackupError` names the first fault."""
    path = find_backup(backup, backup_dir)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        recorded = {name: manifest["files"][name]["sha256"] for name in (DUMP, MEDIA_ARCHIVE)}
        media = manifest["media"]
        expected_media = dict(media["sha256"])
        if not isinstance(manifest["tables"], dict) or not manifest["database"]["pg_dump_version"]:
            raise ValueError("tables or pg_dump_version")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(
            _("The manifest of %(path)s cannot be read (%(error)s): the backup is damaged. Nothing was restored.")
            % {"path": path, "error": error}
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("%(path)s was written in backup format %(found)s; this release reads format %(expected)s.")
            % {"path": path, "found": manifest.get("format"), "expected": FORMAT}
        )
    for name, checksum in recorded.items():
        file = path / name
        if not file.is_file():
            raise BackupError(_("%(file)s is missing from the backup. Nothing was restored.") % {"file": file})
        if _sha256(file) != checksum:
            raise BackupError(
                _("%(file)s fails its checksum: it was changed or damaged after the backup. Nothing was restored.")
                % {"file": file}
            )
    found = {}
    try:
        with tarfile.open(path / MEDIA_ARCHIVE, "r:gz") as archive:
            for member in archive:
                _check_member(member)
                found[member.name] = _sha256(archive.extractfile(member))
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(
            _("The media archive of %(path)s cannot be read (%(error)s). Nothing was restored.") % {"path": path, "error": error}
        ) from None
    differing = sorted(name for name in found.keys() | expected_media.keys() if found.get(name) != expected_media.get(name))
    if differing or media["files"] != len(expected_media):
        raise BackupError(
            _("The media archive does not match the manifest (%(files)s). Nothing was restored.")
            % {"files": ", ".join(differing[:5]) or _("file count")}
        )
    return Backup(path, manifest)


def _check_member(member):
    name = PurePosixPath(member.name)
    if not member.isfile() or name.is_absolute() or ".." in name.parts or not name.parts:
        raise _outside(member)


def _outside(member):
    return BackupError(
        _("The media archive holds %(name)s, which is not a file inside the media folder.") % {"name": member.name}
    )


# Restoring


def restore_backup(backup, *, database_url=None, media_root=None, force=False, using=DEFAULT_DB_ALIAS, backup_dir=None):
    """Restore a backup into the database at `database_url` (the database `using` by default) and the media
    folder `media_root` (MEDIA_ROOT), then count every table's rows against the manifest.

    Checks everything first: the backup's checksums, pg_restore, the target's connection and that it is
    empty (no table, no media file) unless `force`. Without `force` a non-empty target is refused untouched;
    with it the dump's objects are dropped and recreated (`--clean --if-exists`) and same-named files
    overwritten. The dump is restored in one transaction, so a failing restore leaves the database as it was.
    """
    verified = verify_backup(backup, backup_dir)
    if database_url:
        database = _postgresql_settings(_settings_from_url(database_url), what=_("Restores"))
    else:
        database = _postgresql_settings(dict(connections[using].settings_dict), what=_("Restores"))
    described = describe_database(database)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    pg_restore, pg_restore_version = _tool("pg_restore")
    dumped_by = verified.manifest["database"]["pg_dump_version"]
    if _major(pg_restore_version) < _major(dumped_by):
        raise BackupError(
            _(
                "pg_restore %(tool)s cannot read a dump of pg_dump %(dumped)s: install the PostgreSQL %(major)s client "
                "(Debian: postgresql-client-%(major)s) and put its pg_restore first on PATH. Nothing was restored."
            )
            % {"tool": pg_restore_version, "dumped": dumped_by, "major": _major(dumped_by)}
        )

    with _connected(database) as connection, connection.cursor() as cursor:
        tables = len(_tables(cursor))
    files = sum(1 for _file in _media_files(media_root))
    occupied = []
    if tables:
        occupied.append(_("%(database)s already has %(count)s tables") % {"database": described, "count": tables})
    if files:
        occupied.append(_("the media folder %(path)s already has %(count)s files") % {"path": media_root, "count": files})
    if occupied and not force:
        raise BackupError(
            _(
                "Refused: %(occupied)s. A restore replaces them: restore into a new, empty database (--database-url) "
                "and media folder (--media-root), or add --force to overwrite. Nothing was changed."
            )
            % {"occupied": "; ".join(occupied)}
        )

    if not database_url:
        connections[using].close()  # hold nothing open on the database being replaced
    arguments, environment = _libpq(database)
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            *(["--clean", "--if-exists"] if force else []),
            *arguments,
            str(verified.path / DUMP),
        ],
        environment,
        database,
        failure=_("pg_restore failed; the database was left as it was"),
    )
    written = _extract_media(verified, media_root)

    with _connected(database) as connection, connection.cursor() as cursor:
        counted = _row_counts(connection, cursor)
    differing = {
        table: (expected, counted.get(table)) for table, expected in verified.tables.items() if counted.get(table) != expected
    }
    if differing:
        raise BackupError(
            _("Restored, but the row counts differ from the manifest (table: expected, found): %(tables)s")
            % {"tables": "; ".join(f"{table}: {expected}, {found}" for table, (expected, found) in sorted(differing.items()))}
        )
    return Restored(verified, described, media_root, written, sum(counted[table] for table in verified.tables))


def _extract_media(backup, media_root):
    """Write the archive's files under `media_root`, each through a temporary file renamed into place once its
    checksum is that of the manifest."""
    expected = backup.media["sha256"]
    root = media_root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    written = 0
    with tarfile.open(backup.path / MEDIA_ARCHIVE, "r:gz") as archive:
        for member in archive:
            _check_member(member)
            target = root.joinpath(*PurePosixPath(member.name).parts)
            if not target.resolve().is_relative_to(root):
                raise _outside(member)  # through a symbolic link in the media folder
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.restoring")
            digest = hashlib.sha256()
            with archive.extractfile(member) as source, temporary.open("wb") as destination:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    destination.write(chunk)
            if digest.hexdigest() != expected[member.name]:
                temporary.unlink()
                raise BackupError(_("%(name)s changed while it was restored.") % {"name": member.name})
            os.replace(temporary, target)
            written += 1
    return written


# PostgreSQL: settings, connections, tools


def describe_database(database):
    """A database named for messages: name, server and user, never the password."""
    return _("database %(name)s on %(host)s:%(port)s as %(user)s") % {
        "name": database.get("NAME") or "?",
        "host": database.get("HOST") or _("the local socket"),
        "port": database.get("PORT") or 5432,
        "user": database.get("USER") or os.environ.get("PGUSER") or _("the system user"),
    }


def _settings_from_url(url):
    try:
        return environ.Env.db_url_config(url)
    except Exception:  # noqa: BLE001 - a malformed URL; its text may hold the password, so it is not repeated
        raise BackupError(_("--database-url is not a database URL such as postgres://user@host:5432/name.")) from None


def _postgresql_settings(database, *, what):
    if database.get("ENGINE") != POSTGRESQL:
        engine = (database.get("ENGINE") or "?").rsplit(".", 1)[-1]
        raise BackupError(
            _(
                "%(what)s need PostgreSQL (pg_dump and pg_restore); this database is %(engine)s. Back up a SQLite "
                "file by copying it while the portal is stopped."
            )
            % {"what": what, "engine": engine}
        )
    return database


class _connected:
    """A connection of its own to `database` (never the one the process shares), closed on leaving."""

    def __init__(self, database):
        self.database = database

    def __enter__(self):
        self.connection = ConnectionHandler({DEFAULT_DB_ALIAS: dict(self.database)})[DEFAULT_DB_ALIAS]
        try:
            self.connection.ensure_connection()
        except Exception as error:  # noqa: BLE001 - any driver error: reported, password removed
            self.connection.close()
            raise BackupError(
                _("Cannot connect to %(database)s: %(error)s")
                % {"database": describe_database(self.database), "error": _redacted(str(error).strip(), self.database)}
            ) from None
        return self.connection

    def __exit__(self, *exc_info):
        self.connection.close()


def _server_version(connection):
    number = connection.pg_version  # e.g. 150020
    return number // 10000, f"{number // 10000}.{number % 10000}"


def _tables(cursor):
    """(schema, table) of every table outside PostgreSQL's own schemas."""
    cursor.execute(
        """
        SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname !~ '^pg_'
        ORDER BY n.nspname, c.relname
        """
    )
    return cursor.fetchall()


def _row_counts(connection, cursor):
    """{table: rows} of every table outside PostgreSQL's own schemas ("schema.table" outside public)."""
    quote = connection.ops.quote_name
    counts = {}
    for schema, table in _tables(cursor):
        cursor.execute(f"SELECT count(*) FROM {quote(schema)}.{quote(table)}")
        counts[table if schema == "public" else f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def _latest_migrations(cursor):
    cursor.execute("SELECT DISTINCT ON (app) app, name FROM django_migrations ORDER BY app, id DESC")
    return dict(cursor.fetchall())


def _libpq(database):
    """The connection's command-line arguments and environment for pg_dump and pg_restore (password in the
    environment, as Django's dbshell passes it)."""
    arguments = []
    for flag, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
        if database.get(key):
            arguments += [flag, str(database[key])]
    arguments += ["--dbname", database.get("NAME") or "postgres"]
    _args, extra = DatabaseClient.settings_to_cmd_args_env({**database, "OPTIONS": database.get("OPTIONS") or {}}, [])
    return arguments, {**os.environ, **(extra or {})}


def _tool(name):
    """The PostgreSQL client program `name` on PATH, and its version."""
    path = shutil.which(name)
    if not path:
        raise BackupError(
            _("%(tool)s was not found on PATH: install the PostgreSQL client (Debian: postgresql-client).") % {"tool": name}
        )
    result = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    found = re.search(r"\(PostgreSQL\)\s+(\d+(?:\.\d+)?)", result.stdout)
    if result.returncode != 0 or not found:
        raise BackupError(_("%(tool)s at %(path)s does not say its version.") % {"tool": name, "path": path})
    return path, found.group(1)


def _major(version):
    return int(str(version).split(".")[0])


def _run(command, environment, database, *, failure):
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        output = "\n".join((result.stderr or result.stdout).strip().splitlines()[-20:])
        raise BackupError(f"{failure} ({describe_database(database)}):\n{_redacted(output, database)}")
    return result


def _redacted(text, database):
    password = database.get("PASSWORD")
    return text.replace(str(password), "********") if password else text


# Files


def _sha256(source):
    """The SHA-256 of a path or of an open binary file, read in chunks."""
    digest = hashlib.sha256()
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return _sha256(handle)
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _file_record(path):
    return {"bytes": path.stat().st_size, "sha256": _sha256(path)}
