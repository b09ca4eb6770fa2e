from celery import shared_task

from . import services


@shared_task(name="exports.tasks.write_export")
def write_export(job_id):
    # Works for the job's owner, inside their region: the export's records are fenced to that official.
    services.run_export_job(job_id)


@shared_task(name="exports.tasks.remove_old_exports")
def remove_old_exports():
    # Across every owner: deletes only finished exports past their keeping time, and gives up lost jobs.
    services.remove_old_exports()
