"""The names of the fixed cast of officials (the `cast` fixture of the root conftest.py), in one place for
the tests that walk every role: the URL policy and each lifecycle's table."""

CAST_ROLES = (
    "admin",
    "province_staff",
    "reviewer",
    "city_staff",
    "county_staff",
    "cadre",
    "handler",
    "county_admin",
    "other_county_staff",
    "other_county_cadre",
)

# Not an official: a browser holding the door session (door/) of an enterprise of 历下区, signed in to no
# account. tests/url_policy.py says which pages of the door it may use (`Rule.door`); every other page
# treats it as an anonymous visitor.
ENTERPRISE = "enterprise"
ENTERPRISE_REGION = "370102"
