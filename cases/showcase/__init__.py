"""The public showcase (先进典型展示) of published model cases: `views.py` (no login) and `urls.py`
(mounted at /showcase/ by liaison.urls)."""
