"""Back up the database and the uploaded files: `manage.py backup [--keep N]` (core/backups.py does the work).

Writes BACKUP_DIR/backup-<UTC time>/ with database.dump (pg_dump -Fc), media.tar.gz (MEDIA_ROOT) and
manifest.json (migrations, row counts, checksums). PostgreSQL only.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core import backups


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump, custom format) and MEDIA_ROOT (tar.gz) with a manifest of "
        "migrations, row counts and SHA-256 checksums, into a new folder under BACKUP_DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, metavar="N", help="then delete all but the newest N backups")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias (default: default)")

    def handle(self, *args, keep=None, database=DEFAULT_DB_ALIAS, **options):
        if keep is not None and keep < 1:
            raise CommandError(_("--keep must be at least 1: the backup just made is always kept."))
        try:
            backup = backups.make_backup(using=database)
            pruned = backups.prune_backups(backup.path.parent, keep=keep) if keep is not None else []
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        files = backup.manifest["files"]
        self.stdout.write(
            _("Backed up to %(path)s: %(tables)s tables, %(rows)s rows (dump %(dump)s); %(files)s media files (%(media)s).")
            % {
                "path": backup.path,
                "tables": len(backup.tables),
                "rows": sum(backup.tables.values()),
                "dump": filesizeformat(files[backups.DUMP]["bytes"]),
                "files": backup.media["files"],
                "media": filesizeformat(backup.media["bytes"]),
            }
        )
        for path in pruned:
            self.stdout.write(_("Deleted the older backup %(path)s.") % {"path": path})
