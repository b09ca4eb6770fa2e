from celery import shared_task

from . import imports


# The name it had as `enterprises.tasks.apply_import`, so jobs queued before the move still resolve.
# The module is not named `<app>.tasks`, so Celery's autodiscovery does not find it: apps.py imports it.
# Not run again when its worker dies: the job is claimed (queued -> running) before its one transaction, so a
# second run would find it claimed and do nothing (the rows of the cut run are rolled back, all of them).
@shared_task(name="enterprises.tasks.apply_import", acks_late=True, reject_on_worker_lost=False)
def apply_import(job_id):
    # Works for the job's owner, inside their region: the resources fence every row to that official.
    imports.run_import_job(job_id)


# Named like the import task, so CELERY_TASK_ROUTES sends it to the `io` queue too.
# Safe to run again after its worker died: a preview writes nothing but the job's progress and its answer, and
# a second run checks the file afresh. The file is bounded (MAX_ROWS, MAX_UPLOAD_BYTES) and checked in batches.
@shared_task(name="enterprises.tasks.preview_import", acks_late=True, reject_on_worker_lost=True)
def preview_import(job_id):
    # Checks every row for the job's owner, inside their region; writes only the job's progress and preview.
    imports.run_preview_job(job_id)
