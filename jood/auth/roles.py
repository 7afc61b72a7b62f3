"""Roles and the permission tiers every view declares."""

from enum import StrEnum


class Role(StrEnum):
    DONOR = "donor"
    RESEARCHER = "researcher"  # a charity's social researcher
    CHARITY_MANAGER = "charity_manager"
    REVIEWER = "reviewer"  # platform reviewer: approves charities, publishes cases
    FINANCE = "finance"  # platform finance officer: refunds, disbursement approvals
    AUDITOR = "auditor"  # read-only governance access
    ADMIN = "admin"


CHARITY_STAFF = frozenset({Role.RESEARCHER, Role.CHARITY_MANAGER})
PLATFORM_STAFF = frozenset({Role.REVIEWER, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
# Who may sit on the grievance committee and vote: platform staff who may act. The auditor only reads.
COMMITTEE_ROLES = PLATFORM_STAFF - {Role.AUDITOR}
# The auditor is read-only everywhere; the one write it may make is signing out.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
READ_ONLY_MAY_POST = frozenset({"auth.logout"})
