"""Roles are Django groups; this module is the one list of what each role may do.

Groups and their permissions are brought in line with `ROLE_PERMISSIONS` after every `migrate`, so a
later app adds a permission here and every installation picks it up. What a role may see is the
region fence's business (`accounts.access`); what it may *do* inside its region is decided here.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    STAFF = "united_front_staff", _("United-front staff")
    CADRE = "liaison_cadre", _("Liaison cadre")
    HANDLER = "department_handler", _("Department handler")
    REVIEWER = "reviewer", _("Reviewer")


ALL_PERMISSIONS = "__all__"

READ_ENTERPRISES = {"enterprises.view_enterprise", "enterprises.view_liaisonassignment"}
READ_VISITS = {"visits.view_visit", "visits.view_policy", "visits.view_policydelivery"}
READ_PROBLEMS = {"problems.view_problem"}
READ_FORUMS = {"forums.view_forum"}
READ_CASES = {"cases.view_case"}
READ_PRACTICES = {"reviews.view_practice"}
FOLLOW_ASSESSMENT = {"assessment.follow_assessment", "assessment.view_assessmentperiod", "assessment.view_scheme"}

ROLE_PERMISSIONS = {
    Role.ADMINISTRATOR: ALL_PERMISSIONS,
    Role.STAFF: {
        "accounts.view_officials",
        *READ_ENTERPRISES,
        "enterprises.add_enterprise",
        "enterprises.change_enterprise",
        "enterprises.delete_enterprise",
        "enterprises.assign_liaisons",
        "enterprises.import_enterprises",
        *READ_VISITS,
        "visits.add_policy",
        "visits.change_policy",
        "visits.void_visits",
        *READ_PROBLEMS,
        "problems.add_problem",
        "problems.change_problem",
        "problems.triage_problems",
        *READ_FORUMS,
        "forums.add_forum",
        "forums.change_forum",
        *READ_CASES,
        "cases.add_case",
        "cases.change_case",
        "cases.review_cases",
        "cases.publish_cases",
        *READ_PRACTICES,
        "reviews.view_review",
        "reviews.add_review",
        "reviews.change_review",
        "reviews.acknowledge_reviews",
        "reviews.recommend_practices",
        "door.issue_access",
        *FOLLOW_ASSESSMENT,
        "assessment.approve_figures",
    },
    Role.CADRE: {
        *READ_ENTERPRISES,
        *READ_VISITS,
        "visits.add_visit",
        "visits.change_visit",
        *READ_PROBLEMS,
        "problems.add_problem",
        *READ_FORUMS,
        *READ_CASES,
        "cases.add_case",
        *READ_PRACTICES,
    },
    Role.HANDLER: {
        *READ_ENTERPRISES,
        *READ_VISITS,
        *READ_PROBLEMS,
        "problems.change_problem",
        "problems.handle_problems",
        *READ_FORUMS,
        *READ_CASES,
        *READ_PRACTICES,
    },
    Role.REVIEWER: {
        "accounts.view_officials",
        *READ_ENTERPRISES,
        *READ_VISITS,
        *READ_PROBLEMS,
        *READ_FORUMS,
        *READ_CASES,
        "reviews.view_review",
        *READ_PRACTICES,
        *FOLLOW_ASSESSMENT,
    },
}


def sync_role_groups(**kwargs):
    """Create a group per role and give it exactly the permissions listed above.

    Runs on post_migrate (with the signal's keyword arguments) and may be called directly.
    """
    from django.contrib.auth.models import Group, Permission

    every_permission = Permission.objects.select_related("content_type")
    by_name = {f"{perm.content_type.app_label}.{perm.codename}": perm for perm in every_permission}
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        if wanted == ALL_PERMISSIONS:
            permissions = list(by_name.values())
        else:
            # A permission of an app not yet migrated is skipped now and added after its migrate.
            permissions = [by_name[name] for name in sorted(wanted) if name in by_name]
        group.permissions.set(permissions)
