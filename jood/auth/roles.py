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
