"""Giving helpers live in tests/conftest.py (`donate`, `start_case_gift`, `sandbox_pay`, `donation_count`)."""
