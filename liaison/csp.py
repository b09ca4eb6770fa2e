"""The Content-Security-Policy of every HTML page.

No page carries an inline script or event handler, nor an inline style attribute (tests/test_security_headers.py
scans the templates; tests/test_templates.py the styles): every script is a file under `static/`, page data
reaches it through `json_script` (which is not run), and so the portal's pages allow scripts, styles, fonts
and fetches from the portal itself only. Bootstrap's CSS draws its checkboxes, select arrows and close
buttons as `data:` images, hence `img-src data:`.

Three policies, chosen by the page's URL namespace and its reader:

- the public showcase, for a visitor not logged in: no script at all and nothing fetched. The page needs
  none (the language switch shows its button instead), and `base.html` leaves its `<script>` tags out
  when `request.script_free` is set, so a browser reports nothing;
- the admin: also inline style attributes (django-simple-history's history page has one);
- every other page: the portal's policy.

A small middleware of our own rather than django-csp: the policy hangs on who reads which page, and that
one decision must reach the template before it renders (to leave the scripts out), which django-csp would
spread over decorators on other apps' views; we use no nonce. Django 6.0 brings a CSP middleware of its
own (`SECURE_CSP`), to move to once the portal runs on Python 3.12.

`CSP_REPORT_ONLY` sends the policy as `Content-Security-Policy-Report-Only` (the browser reports what it
would block, in its console and to `CSP_REPORT_URI` when set) to try a change of policy in production.
"""

from django.conf import settings

SELF = "'self'"
NONE = "'none'"

PORTAL_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
SHOWCASE_POLICY = {**PORTAL_POLICY, "script-src": [NONE], "connect-src": [NONE]}
ADMIN_POLICY = {**PORTAL_POLICY, "style-src-attr": ["'unsafe-inline'"]}

# Under DEBUG, Django answers these with its technical pages, whose inline scripts and styles the policy
# would block; in production they are the portal's own pages.
DEBUG_PAGES = (404, 500)
# The namespaces of the public showcase (cases/showcase) and of Django's admin.
SHOWCASE = "showcase"
ADMIN = "admin"


def header_value(policy):
    directives = [f"{name} {' '.join(sources)}" for name, sources in policy.items()]
    if settings.CSP_REPORT_URI:
        directives.append(f"report-uri {settings.CSP_REPORT_URI}")
    return "; ".join(directives)


def policy_for(request):
    match = request.resolver_match
    namespace = match.namespaces[0] if match and match.namespaces else ""
    if namespace == SHOWCASE and not request.user.is_authenticated:
        return SHOWCASE_POLICY
    if namespace == ADMIN:
        return ADMIN_POLICY
    return PORTAL_POLICY


class ContentSecurityPolicyMiddleware:
    """Sends the page's policy with every HTML response, and tells the template when the page is script-free.

    It sits after the authentication middleware: the showcase's policy depends on whether the reader is
    logged in. A page the resolver does not find (a 404) gets the portal's policy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        if response.get("Content-Type", "").startswith("text/html") and header not in response:
            if not (settings.DEBUG and response.status_code in DEBUG_PAGES):
                response[header] = header_value(policy_for(request))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # base.html leaves its scripts out of a page whose policy runs none.
        request.script_free = policy_for(request)["script-src"] == [NONE]
