"""The portal's exports (exports.kinds): the audit trail's ledger (portal/audit/exports.py)."""

from .audit.exports import EXPORTS

__all__ = ["EXPORTS"]
