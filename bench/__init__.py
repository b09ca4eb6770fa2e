"""The benchmark of issue 13: key pages as every kind of official, beside Django's admin (`manage.py bench`)."""
