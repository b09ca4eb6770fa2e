"""The enterprise's verdict through its feedback link (企业评价): the loop closed with the enterprise, without a login.

- `tokens`: the signed, expiring link for one problem and one round; reading it, recording the
  verdict it carries (through problems.services) and the summary its page may show.
- `views`: the public page behind the link (`/problems/feedback/<token>/`, @login_not_required).
- `urls`: that page's URL, which problems/urls.py adds to the `problems` namespace.
- `handover`: the link as the problem's page shows it to whoever passes it on, with its QR code.

A verdict taken by phone is a move of problems.services (`record_phone_verdict`), not of this package.
"""
