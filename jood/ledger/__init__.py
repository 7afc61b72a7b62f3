"""The double-entry ledger: Flask-free rules in ``core``, the stored chain in ``services``; see docs/ledger.md."""
