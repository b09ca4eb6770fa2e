from celery import shared_task

from . import imports


@shared_task
def apply_import(job_id):
    # Works for the job's owner, inside their region: the resources fence every row to that official.
    imports.run_import_job(job_id)
