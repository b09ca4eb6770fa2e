"""Writes of the policy library."""

from django.db import transaction

from ..models import Policy


@transaction.atomic
def save_policy(*, policy, industries, tags, actor):
    """Save a new or changed policy with the industries and tags it applies to.

    A replaced or cleared document is deleted from storage once the change is committed, so no
    orphan copy of an outdated policy text lingers on disk.
    """
    previous_document = ""
    if policy.pk is None:
        policy.created_by = actor
    else:
        previous_document = Policy.objects.filter(pk=policy.pk).values_list("document", flat=True).first() or ""
    # created_by is empty for policies whose author left (SET_NULL), and is not the editor's to fill.
    policy.full_clean(exclude=["industries", "tags", "created_by"])
    policy.save()
    policy.industries.set(industries)
    policy.tags.set(tags)
    if previous_document and previous_document != policy.document.name:
        storage = policy.document.storage
        transaction.on_commit(lambda: storage.delete(previous_document))
    return policy
