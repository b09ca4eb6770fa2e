from celery import shared_task

from . import imports


# The name it had as `enterprises.tasks.apply_import`, so jobs queued before the move still resolve.
# The module is not named `<app>.tasks`, so Celery's autodiscovery does not find it: apps.py imports it.
@shared_task(name="enterprises.tasks.apply_import")
def apply_import(job_id):
    # Works for the job's owner, inside their region: the resources fence every row to that official.
    imports.run_import_job(job_id)


# Named like the import task, so CELERY_TASK_ROUTES sends it to the `io` queue too.
@shared_task(name="enterprises.tasks.preview_import")
def preview_import(job_id):
    # Checks every row for the job's owner, inside their region; writes only the job's progress and preview.
    imports.run_preview_job(job_id)
