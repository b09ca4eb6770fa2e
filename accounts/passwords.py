"""Password validators whose messages read in the reader's language.

Django 5.2's `MinimumLengthValidator` says "This password is too short. It must contain at least %d
characters." with a `%d` msgid that its zh_Hans catalogue does not have yet: the catalogue still holds the
earlier msgid with `%(min_length)d`, so the message showed in English on a Chinese page (the other
validators' messages are translated). This one asks for the earlier msgid, the same English sentence,
which Django's zh_Hans catalogue translates.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
