from celery import shared_task

from . import codes


# At most once: a code sent again would replace the first while the contact types it in; a code lost with its
# worker is asked for again a minute later.
@shared_task(acks_late=True, reject_on_worker_lost=False)
def send_sign_in_code(mobile):
    codes.send_code(mobile)
