"""Access links for tests: issued through door.services, so the token is known to the test only."""

from django.db import transaction

from enterprises.tests.factories import EnterpriseFactory

from .. import services


def issued(enterprise=None, *, contact_name="王经理", contact_mobile="", issued_by=None, **options):
    """(access, token) of a new live link of `enterprise` (a new enterprise of 历下区 by default)."""
    enterprise = enterprise or EnterpriseFactory()
    with transaction.atomic():
        return services.new_access(
            enterprise=enterprise, contact_name=contact_name, contact_mobile=contact_mobile, issued_by=issued_by, **options
        )
