"""What the portal reads from an HTTP request beyond Django's own helpers.

`client_address(request)` is the one answer to "from which address did this come": the audit trail
stores it with every change, the login lockout (django-axes, through `AXES_CLIENT_IP_CALLABLE`) and the
security log key on it, so the three always agree.

Behind reverse proxies the socket's address is the nearest proxy's. `AXES_PROXY_COUNT` (the setting
`AXES_IPWARE_PROXY_COUNT`) says how many proxies stand in front of the portal; each appends the address
it received from to `X-Forwarded-For`, so the client is the count-th entry from the right (nginx alone:
the last entry). Entries further left were written by the client and may be forged, so they are never
read. Without the setting the portal is reached directly and `X-Forwarded-For` is ignored altogether.
"""

import ipaddress

from django.conf import settings
from python_ipware import IpWare

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def client_address(request):
    """The client's IP address as text (`203.0.113.9`, `2001:db8::1`), or None when the request has none
    (a test client or a management command's fake request may lack REMOTE_ADDR)."""
    proxy_count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    if proxy_count:
        # python-ipware counts the proxies listed in the header, that is every proxy but the nearest,
        # whose address is the socket's; it refuses a header shorter than the chain it expects.
        forwarded, _trusted = IpWare(precedence=(FORWARDED_FOR,), proxy_count=proxy_count - 1).get_client_ip(request.META)
        if forwarded is not None:
            return str(forwarded)
    return _valid_address(request.META.get("REMOTE_ADDR"))


def _valid_address(text):
    """An address worth storing, or None: a history row's address column takes IP addresses only."""
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None
