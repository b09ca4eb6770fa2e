"""Restore a backup: `manage.py restore <backup> [--database-url URL] [--media-root DIR] [--force]`.

Verifies every checksum before touching anything, refuses a database with tables (or a media folder with
files) unless --force, restores in one transaction, then counts every table's rows against the manifest.
core/backups.py does the work.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` (its folder, or its name under BACKUP_DIR) into an empty "
        "PostgreSQL database and media folder, after checking its checksums; count the rows after."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup's folder, or its name under BACKUP_DIR")
        parser.add_argument(
            "--database-url",
            help="restore into this database (postgres://user@host:5432/name; better without a password, from "
            "~/.pgpass) instead of the configured one",
        )
        parser.add_argument("--media-root", help="restore the files into this folder instead of MEDIA_ROOT")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore over a database that has tables and a media folder that has files (dropping and "
            "recreating the backup's tables, overwriting its files)",
        )
        parser.add_argument("--verify-only", action="store_true", help="only check the backup's checksums")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias (default: default)")

    def handle(self, *args, backup, database_url=None, media_root=None, force=False, verify_only=False, **options):
        try:
            if verify_only:
                verified = backups.verify_backup(backup)
            else:
                restored = backups.restore_backup(
                    backup, database_url=database_url, media_root=media_root, force=force, using=options["database"]
                )
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if verify_only:
            self.stdout.write(
                _("%(path)s is whole: the dump, the archive and %(files)s media files match their checksums.")
                % {"path": verified.path, "files": verified.media["files"]}
            )
            return
        self.stdout.write(
            _(
                "Restored %(path)s into %(database)s: %(tables)s tables, %(rows)s rows, as the manifest counts; "
                "%(files)s media files into %(media_root)s."
            )
            % {
                "path": restored.backup.path,
                "database": restored.database,
                "tables": len(restored.backup.tables),
                "rows": restored.rows,
                "files": restored.files,
                "media_root": restored.media_root,
            }
        )
