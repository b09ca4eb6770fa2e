import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Safe to run again: it reads and writes nothing.
@app.task(name="liaison.ping", acks_late=True, reject_on_worker_lost=True)
def ping():
    """A task that needs nothing but a worker: the worker test and operators use it to see tasks run."""
    return "pong"
