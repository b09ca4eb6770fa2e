"""Who may do what with the survey. The survey reads existing permissions of accounts.roles: those who
follow the assessment read the results (the survey is one of its sources); those who issue the door's
links (staff of the enterprise's region) manage the questions, remind and turn comments into problems."""


def may_read_results(user):
    return user.has_perm("assessment.follow_assessment")


def may_run_survey(user):
    return user.has_perm("door.issue_access")
