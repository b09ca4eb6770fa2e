"""Whether a policy is in force on a day, and how its badge shows it."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy


class Validity(TextChoices):
    VALID = "valid", gettext_lazy("Valid")
    EXPIRED = "expired", gettext_lazy("Expired")
    PENDING = "pending", gettext_lazy("Not yet valid")

    @property
    def colour(self):
        """The colour of the policy's validity badge: green in force, grey expired, yellow not yet valid."""
        return {"valid": "success", "expired": "secondary", "pending": "warning"}[self.value]


def validity_on(policy, day):
    if policy.valid_until is not None and policy.valid_until < day:
        return Validity.EXPIRED
    if policy.valid_from is not None and policy.valid_from > day:
        return Validity.PENDING
    return Validity.VALID
