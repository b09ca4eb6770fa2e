from django.contrib.auth.backends import ModelBackend

from .models import User


class OfficialBackend(ModelBackend):
    """Django's model backend, loading the official's region and department with the user: every page
    shows them in the navigation, so this saves queries on every request."""

    def get_user(self, user_id):
        try:
            official = User._default_manager.select_related("region__parent", "department").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return official if self.user_can_authenticate(official) else None
