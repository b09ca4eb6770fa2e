"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

`stdnum.cn.uscc` checks the length, the alphabet and the final check digit. It leaves out two checks
this module adds: the check digit of the embedded nine-character organisation code (GB 11714), and
that the division part starts with a real province-level code. Only the province is checked, because
older codes name divisions that have since been renamed or merged.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

# Province-level division prefixes, with 10 for registrations at the national level.
PROVINCE_PREFIXES = frozenset(
    "10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORGANISATION_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def organisation_check_digit(body):
    """The GB 11714 check character of an organisation code's first eight characters."""
    total = sum(_ORGANISATION_ALPHABET.index(char) * weight for char, weight in zip(body, _ORGANISATION_WEIGHTS, strict=False))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def normalise(value):
    return uscc.compact(value or "")


REASONS = {
    "length": _("A credit code has 18 characters; this one has %(count)d."),
    "format": _("A credit code holds digits and capital letters other than I, O, Z, S and V."),
    "checksum": _("The last character (the check digit) does not match: check the code for a typing error."),
    "organisation": _("The organisation code inside the credit code (characters 9 to 17) has a wrong check digit."),
    "division": _("Characters 3 to 8 must be a division code starting with a Chinese province's code; %(part)s does not."),
}
_STDNUM_REASONS = {
    stdnum_errors.InvalidLength: "length",
    stdnum_errors.InvalidFormat: "format",
    stdnum_errors.InvalidChecksum: "checksum",
}


def validate_credit_code(value):
    """Raise a ValidationError with a reader's reason when `value` is not a valid credit code."""
    code = normalise(value)
    params = {"count": len(code), "part": code[2:8]}
    try:
        uscc.validate(code)
    except stdnum_errors.ValidationError as error:
        reason = _STDNUM_REASONS.get(type(error), "format")
        raise ValidationError(REASONS[reason], params=params, code=reason) from error
    if organisation_check_digit(code[8:16]) != code[16]:
        raise ValidationError(REASONS["organisation"], params=params, code="organisation")
    if code[2:4] not in PROVINCE_PREFIXES:
        raise ValidationError(REASONS["division"], params=params, code="division")
    return code


def build_credit_code(*, division, serial, authority="9", entity_type="1"):
    """A valid credit code for a division and a serial number (for demo data and tests)."""
    body = f"{serial:08d}"[-8:]
    organisation = body + organisation_check_digit(body)
    partial = f"{authority}{entity_type}{division}{organisation}"
    return partial + uscc.calc_check_digit(partial)
