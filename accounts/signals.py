"""What the security log (core.security_log) records of officials' accounts, whichever door the change came
through (the portal's pages, the admin, a shell):

- `login`, `login_failed` (with the username tried), `lockout` (django-axes' `user_locked_out`), `logout`;
- `password_changed` (by the official themselves) and `password_reset` (by someone else: an administrator's
  page, the admin's password form, a reset link, a shell);
- `official_created`, `official_changed` (region, department, active, staff or superuser: old and new values)
  and `roles_changed` (the groups `added` or `removed`).

Changes of accounts are written once their transaction commits, so a refused or rolled-back change leaves no
line; the request they came from is taken when they happen.
"""

from functools import partial

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from core.request_id import current_request
from core.security_log import security_event

from .models import User

# The columns whose change is a change of what an official may see or do.
WATCHED = ("region_id", "department_id", "is_active", "is_staff", "is_superuser")


@receiver(user_logged_in, dispatch_uid="accounts.security.login")
def log_login(sender, request, user, **kwargs):
    security_event(request, "login", user=user, username=user.get_username())


@receiver(user_login_failed, dispatch_uid="accounts.security.login_failed")
def log_login_failure(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials`; only the username is read.
    security_event(request, "login_failed", username=credentials.get(User.USERNAME_FIELD, ""))


@receiver(user_locked_out, dispatch_uid="accounts.security.lockout")
def log_lockout(sender, request, username, **kwargs):
    security_event(request, "lockout", username=username or "")


@receiver(user_logged_out, dispatch_uid="accounts.security.logout")
def log_logout(sender, request, user, **kwargs):
    security_event(request, "logout", user=user)


@receiver(pre_save, sender=User, dispatch_uid="accounts.security.remember")
def remember_watched_columns(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    """The watched columns as stored, read only when this save may change them (not a login's last_login)."""
    instance._security_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {field.removesuffix("_id") for field in update_fields} & {
        field.removesuffix("_id") for field in WATCHED
    }:
        return
    instance._security_before = User._base_manager.using(using).filter(pk=instance.pk).values(*WATCHED).first()


@receiver(post_save, sender=User, dispatch_uid="accounts.security.saved")
def log_account_change(sender, instance, created, raw=False, using=None, **kwargs):
    if raw:
        return
    request = current_request()
    if created:
        changes = {"region": instance.region_id, "department": instance.department_id, "is_active": instance.is_active}
        _on_commit(using, request, "official_created", official_id=instance.pk, official=instance.username, values=changes)
        return
    before = getattr(instance, "_security_before", None)
    if before is not None:
        changes = {
            field.removesuffix("_id"): [before[field], getattr(instance, field)]
            for field in WATCHED
            if before[field] != getattr(instance, field)
        }
        if changes:
            _on_commit(using, request, "official_changed", official_id=instance.pk, official=instance.username, changes=changes)
    # set_password() keeps the new password here until the save; a login that only re-hashes the same
    # password clears it first, so that is no change.
    if instance._password is not None:
        actor = getattr(request, "user", None)
        by_themselves = actor is not None and actor.is_authenticated and actor.pk == instance.pk
        event = "password_changed" if by_themselves else "password_reset"
        _on_commit(using, request, event, official_id=instance.pk, official=instance.username)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts.security.roles")
def log_roles_change(sender, instance, action, reverse, pk_set, using, **kwargs):
    if action == "pre_clear":
        # What a clear removes is known only before it.
        links = sender.objects.filter(**{_side(reverse): instance.pk})
        instance._security_cleared = set(links.values_list(_other(reverse), flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_security_cleared", set())
    if not pk_set:
        return
    change = "added" if action == "post_add" else "removed"
    request = current_request()
    if reverse:  # group.user_set.add(...): the officials are the keys
        transaction.on_commit(partial(_log_roles_of_officials, request, instance.name, set(pk_set), change), using=using)
    else:
        transaction.on_commit(partial(_log_roles_of_official, request, instance, set(pk_set), change), using=using)


def _side(reverse):
    return "group_id" if reverse else "user_id"


def _other(reverse):
    return "user_id" if reverse else "group_id"


def _log_roles_of_official(request, official, group_ids, change):
    names = sorted(Group.objects.filter(pk__in=group_ids).values_list("name", flat=True))
    security_event(request, "roles_changed", official_id=official.pk, official=official.username, **{change: names})


def _log_roles_of_officials(request, group_name, official_ids, change):
    for official_id, username in User._base_manager.filter(pk__in=official_ids).order_by("pk").values_list("pk", "username"):
        security_event(request, "roles_changed", official_id=official_id, official=username, **{change: [group_name]})


def _on_commit(using, request, event, **fields):
    transaction.on_commit(partial(security_event, request, event, **fields), using=using)
