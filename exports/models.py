import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Writing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


UNFINISHED = (ExportStatus.QUEUED, ExportStatus.RUNNING)
STATUS_COLOURS = {
    ExportStatus.QUEUED: "secondary",
    ExportStatus.RUNNING: "primary",
    ExportStatus.DONE: "success",
    ExportStatus.FAILED: "danger",
}


class ExportJobQuerySet(models.QuerySet):
    def of_owner(self, user):
        """An export belongs to whoever asked for it: nobody else sees it, whatever their region."""
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def unfinished(self):
        return self.filter(status__in=UNFINISHED)


def export_path(job, filename):
    # Under MEDIA_ROOT, which is never served as such: only exports.views.download_export reads it, for the owner.
    return f"exports/{job.owner_id}/{secrets.token_hex(16)}.xlsx"


class ExportJob(models.Model):
    """An export too large to answer at once, written by a Celery worker into a private file.

    `fingerprint` names the export (owner, kind, language and filters): while one is being written, asking
    for the same export again joins it, which the partial unique constraint keeps true under races too.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"], condition=Q(status__in=UNFINISHED), name="exports_one_unfinished_per_fingerprint"
            )
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="exports_owner_recent")]

    def __str__(self):
        return f"{self.kind} {self.pk}"

    @property
    def is_finished(self):
        return self.status not in UNFINISHED

    @property
    def succeeded(self):
        """Written in full: the file may be downloaded."""
        return self.status == ExportStatus.DONE and bool(self.file)

    @property
    def status_colour(self):
        return STATUS_COLOURS[self.status]

    @property
    def percent(self):
        """How much is written, 0 to 100; 0 while the rows are not counted yet."""
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    def query(self):
        """The filters, as the QueryDict the list page reads."""
        query = QueryDict(mutable=True)
        for key, values in self.params.items():
            query.setlist(key, values)
        return query
