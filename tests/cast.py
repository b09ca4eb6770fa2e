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
