"""Running one function in several threads at the same moment, each with its own database connection,
for the tests that show a periodic task run twice at once does its work once."""

import threading

from django.db import connections


def run_at_once(function, *, times=2, timeout=60):
    """Call `function()` in `times` threads released together; return the exceptions they raised."""
    barrier = threading.Barrier(times)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            function()
        except Exception as error:  # noqa: BLE001 - returned to the test, which asserts there are none
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors
