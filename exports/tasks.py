from celery import shared_task

from . import services


# Not run again when its worker dies: the job is claimed (queued -> running) before it is written, so a second
# run would find it claimed and do nothing; the nightly cleanup gives the job up after STALE_AFTER and its
# owner exports again. And the list's size is the owner's choice: one that killed a worker would kill the next.
@shared_task(name="exports.tasks.write_export", acks_late=True, reject_on_worker_lost=False)
def write_export(job_id):
    # Works for the job's owner, inside their region: the export's records are fenced to that official.
    services.run_export_job(job_id)


# Safe to run again: it deletes what is past its keeping time, and gives up what is stale.
@shared_task(name="exports.tasks.remove_old_exports", acks_late=True, reject_on_worker_lost=True)
def remove_old_exports():
    # Across every owner: deletes only finished exports past their keeping time, and gives up lost jobs.
    services.remove_old_exports()
