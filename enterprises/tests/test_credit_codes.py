import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import uscc

from enterprises.credit_codes import build_credit_code, normalise, organisation_check_digit, validate_credit_code


def test_a_real_code_is_valid():
    assert validate_credit_code("91370000163044841F") == "91370000163044841F"


def test_codes_are_normalised():
    assert normalise(" 9137 0000-163044841f ") == "91370000163044841F"
    assert validate_credit_code("91370000 163044841f") == "91370000163044841F"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("9137000016304484", "length"),
        ("91370000163044841I", "format"),
        ("91370000163044841G", "checksum"),
    ],
)
def test_stdnum_checks(code, reason):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == reason


def test_wrong_organisation_check_digit_is_refused_even_when_the_last_digit_fits():
    body = "16304484"
    wrong = "2" if organisation_check_digit(body) != "2" else "3"
    partial = f"91370000{body}{wrong}"
    code = partial + uscc.calc_check_digit(partial)
    assert uscc.is_valid(code)  # stdnum alone accepts it
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == "organisation"


def test_division_must_start_with_a_province_code():
    code = build_credit_code(division="990000", serial=1234)
    assert uscc.is_valid(code)
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == "division"


def test_renamed_divisions_of_a_real_province_are_accepted():
    # 370181 was 章丘市 before it became a district of 济南 (370114): old codes keep the old division.
    assert validate_credit_code(build_credit_code(division="370181", serial=42))


def test_organisation_check_digit_follows_gb_11714():
    assert organisation_check_digit("D2143569") == "X"  # the standard's own example, D2143569-X
    assert organisation_check_digit("00000000") == "0"
    assert organisation_check_digit("60003734") == "1"  # from 91110000600037341L
