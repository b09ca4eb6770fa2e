"""The token of an access link: made once, given out once, stored as a digest.

The token is `secrets.token_urlsafe(32)`: 256 random bits, so nobody guesses one, and its sha256 digest,
the only thing stored (`EnterpriseAccess.token_digest`, unique), cannot be turned back into it. A plain
sha256 rather than an HMAC keyed by SECRET_KEY: the token already has all the entropy a key would add,
and a rotation of SECRET_KEY leaves the stored digests usable.

The link carries the token signed (django.core.signing, a salt of its own), `<token>.<signature>`: a link
altered by one character fails its signature before any query, so a flood of made-up links costs no
database work, and a tampered link is told apart from a well-formed one nobody issued only in the record
(DoorEvent), never in the answer. The signature follows SECRET_KEY_FALLBACKS, so a key rotation keeps the
links valid while the old key stays among the fallbacks.
"""

import hashlib
import secrets

from django.core import signing
from django.urls import reverse

SALT = "door.link"
# "." is neither in the token's alphabet (URL-safe base64) nor in the signature's.
SEPARATOR = "."


def new_token():
    return secrets.token_urlsafe(32)


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _signer():
    return signing.Signer(salt=SALT, sep=SEPARATOR)


def signed(token):
    """What the link carries."""
    return _signer().sign(token)


def token_of(signed_value):
    """The token inside a link's signed value, or None when the signature does not hold (tampered, cut
    short, made up)."""
    try:
        return _signer().unsign(signed_value)
    except signing.BadSignature:
        return None


def link_path(token):
    return reverse("door:open", kwargs={"token": signed(token)})
