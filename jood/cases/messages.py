"""Translated messages for the machine codes that services, the eligibility rules and the points return."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

# The two tracks, named once: forms, case pages, the impact page, the open-data API and the search text use these.
TRACK_LABELS = {"rent": _l("Rent support"), "ownership": _l("Ownership")}
# The impact figures group money by track, and the general pool (which serves both) beside them.
TRACK_AND_POOL_LABELS = {**TRACK_LABELS, "general": _l("General pool")}


def in_language(label, language: str) -> str:
    """A translated label in ``language`` whatever the request's (the API and the search text carry both)."""
    with force_locale(language):
        return str(label)


ERRORS = {
    "not_your_charity": _l("This case belongs to another charity."),
    "charity_not_approved": _l("Only staff of an approved partner charity can post or submit cases."),
    "duplicate_open_case": _l("This national ID already has an open case on the platform."),
    "not_editable": _l("This case can no longer be edited."),
    "summary_too_short": _l("Write a public summary of at least 20 characters."),
    "title_required": _l("Write a short public title for donors before submitting, e.g. a family of seven in Sabya "
                         "needs a year's rent."),
    "summary_markup": _l("The public summary must be plain text: remove HTML tags and codes such as <b> or &amp;. "
                         "Donors would see them as they are."),
    "title_markup": _l("The public title must be plain text: remove HTML tags and codes such as <b> or &amp;."),
    "summary_private": _l("The public summary contains private data (a name, a long number or an e-mail address). "
                          "Remove it."),
    "title_private": _l("The public title contains private data (a name, a long number or an e-mail address). "
                        "Remove it."),
    "visit_in_future": _l("The visit date cannot be in the future."),
    "visit_required": _l("Record the field visit before submitting."),
    "basis_document_required": _l("Attach the lease or the price quote before submitting."),
    "not_eligible": _l("The family does not meet the eligibility rules: %(reasons)s."),
    "reviewer_from_charity": _l("A reviewer may not review a case of their own charity."),
    "not_under_review": _l("Take the case under review first."),
    "confirm_required": _l("Confirm that the public summary holds no private data."),
    "registry_checks_required": _l("Record the registry checks before publishing."),
    "registry_outcome_required": _l("Choose the registry's answer."),
    "registry_evidence_required": _l("Describe the evidence you saw (at least 10 characters)."),
    "registry_unknown_registry": _l("Unknown registry."),
    "not_allowed": _l("This status change is not allowed."),
    "reason_required": _l("Give a reason."),
    "note_required": _l("Describe the change."),
    "upload_empty": _l("The file is empty."),
    "upload_too_large": _l("The file is too large."),
    "upload_bad_type": _l("Only PDF, JPEG and PNG files are accepted."),
    "upload_bad_image": _l("This image cannot be read or is too large in pixels (at most 40 megapixels)."),
    "not_found": _l("Not found."),
    "unknown_policy": _l("Choose one of the listed policies."),
    "nothing_to_rescore": _l("Every published case is already scored under this policy."),
    "preview_changed": _l("Published cases changed since the preview. Review the new preview and confirm again."),
}

#: The points and eligibility policies, by name (jood.priority.POLICIES).
POLICIES = {
    "moh-points-v1": _l("Ministry of Housing points guide (first policy)"),
    "moh-regulation-2": _l("Executive regulation of housing support (second policy)"),
}

REASONS = {
    "nationality": _l("the applicant is not of Saudi nationality"),
    "residence": _l("the family does not reside in the Kingdom"),
    "age": _l("the applicant (husband or father) is under 25"),
    "owns_home": _l("a family member owns a suitable home, or owned one within the policy's window (five years under "
                    "the first policy, one year under the executive regulation)"),
    "prior_support": _l("a family member received housing support before"),
    "assets": _l("the family's assets reach 5,000,000 SAR"),
    "applicant_role": _l("the applicant's role is not allowed (a divorced mother only two years after the divorce)"),
}

RULES = {
    "nationality": _l("Saudi nationality"),
    "residence": _l("Residence in the Kingdom"),
    "age": _l("Age of 25 or more (husband or father)"),
    "owns_home": _l("No suitable home owned now or within the policy's window"),
    "prior_support": _l("No prior housing support"),
    "assets": _l("Assets below 5,000,000 SAR"),
    "applicant_role": _l("Allowed applicant role"),
}

BREAKDOWN = {
    "family_size": _l("Family size"),
    "income": _l("Monthly income"),
    "domestic_workers": _l("Domestic workers beyond three"),
    "age": _l("Applicant's age"),
    "precedence": _l("Precedence (years waiting, land-grant application)"),
    "health_condition": _l("Incurable disease or disability in the family"),
    "applicant_category": _l("Applicant is a mother, a wife or siblings jointly"),
    "development_centre": _l("Targeted development centre"),
}

NEED_LEVELS = {"highest": _l("Most in need"), "high": _l("High need"), "medium": _l("Medium need")}

STATUSES = {
    "draft": _l("Draft"), "submitted": _l("Submitted"), "under_review": _l("Under review"),
    "returned": _l("Returned"), "rejected": _l("Rejected"), "published": _l("Published"), "funded": _l("Funded"),
    "disbursed": _l("Disbursed"), "closed": _l("Closed"), "suspended": _l("Suspended"),
    "cancelled": _l("Cancelled"),
}

SOURCES = {"applicant_file": _l("Applicant's file, verified in the field")}


def source_label(source: str) -> str:
    if source.startswith("registry:"):
        from flask_babel import gettext as _

        from jood.cases.forms import REGISTRY_LABELS

        registry = source.split(":")[1]
        return _("Registry: %(name)s (reviewer's attestation)", name=REGISTRY_LABELS.get(registry, registry))
    return str(SOURCES.get(source, source))


def error_message(error) -> str:
    message = str(ERRORS.get(error.code, ERRORS["not_allowed"]))
    if error.code == "not_eligible":
        message = message % {"reasons": "; ".join(str(REASONS[code]) for code in error.details.get("reasons", []))}
    return message

# What happened to a case, as its history shows it to staff (the audit log keeps the machine codes).
HISTORY_ACTIONS = {
    "case.created": _l("Case opened"),
    "case.updated": _l("Case edited"),
    "case.member_added": _l("Family member added"),
    "case.member_removed": _l("Family member removed"),
    "case.document_added": _l("Document added"),
    "case.visit_recorded": _l("Field visit recorded"),
    "case.verified": _l("Electronic verification run"),
    "case.registry_checked": _l("Registry checks recorded"),
    "case.transition": _l("Status changed"),
    "case.situation_updated": _l("Family's situation updated"),
    "case.renewed": _l("Renewed for another year"),
}
