"""The safety net under every page's input: an address holding a NUL character answers 400, never 500.

Nobody types a NUL (U+0000): it comes from an edited or forged address. PostgreSQL refuses it in any string
literal, so a NUL that reached a query would be a server error. The filter forms refuse it themselves, beside
the field (Django's CharField has ProhibitNullCharactersValidator), and every view that reads the query string
does so through a form; this middleware is the net for what remains (the admin's searches, Django's own
views, a parameter read by hand tomorrow): the portal's "bad request" page (templates/400.html), in the
reader's language. Forms sent by POST are left to their fields, which say what is wrong beside the field and
keep what was typed.
"""

from django.shortcuts import render

NULL_CHARACTER = "\x00"


def holds_null_character(request, view_args=(), view_kwargs=None):
    """Whether a NUL is in the query string's names or values, or in the path's parameters."""
    texts = [*request.GET.keys(), *(value for _name, values in request.GET.lists() for value in values)]
    texts += [value for value in (*view_args, *(view_kwargs or {}).values()) if isinstance(value, str)]
    return any(NULL_CHARACTER in text for text in texts)


class RefuseNullCharactersMiddleware:
    """Answers 400 to an address with a NUL. It runs after the login check, so a visitor who is not signed in
    is still sent to the login page, and before the view, whatever the view reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if holds_null_character(request, view_args, view_kwargs):
            return render(request, "400.html", status=400)
        return None
