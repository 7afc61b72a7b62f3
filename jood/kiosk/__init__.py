"""Donation kiosks (malls, events): a full-screen, touch-first page per pool; the donor pays on their own phone."""
