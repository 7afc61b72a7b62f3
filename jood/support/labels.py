"""Translated names of kinds, statuses and committee decisions, for templates, e-mails and CSV."""

from __future__ import annotations

from flask_babel import gettext as _

from jood.support.rules import Decision, Kind, Status


def kind_label(kind: str) -> str:
    return {Kind.INQUIRY: _("Inquiry"), Kind.COMPLAINT: _("Complaint"), Kind.SUGGESTION: _("Suggestion"),
            Kind.GRIEVANCE: _("Grievance")}.get(kind, kind)


def status_label(status: str) -> str:
    return {Status.NEW: _("Received"), Status.IN_PROGRESS: _("Being handled"), Status.ANSWERED: _("Answered"),
            Status.RESOLVED: _("Resolved")}.get(status, status)


def decision_label(decision: str | None) -> str:
    return {Decision.UPHELD: _("Upheld"), Decision.DISMISSED: _("Dismissed"),
            Decision.MORE_STUDY: _("Needs more study")}.get(decision, _("Awaiting the committee"))


LABELS = {"kind_label": kind_label, "status_label": status_label, "decision_label": decision_label}


def percent(share: float | None) -> str:
    """0.833 -> '83%'; None (nothing to measure this month) -> '—'."""
    from babel.numbers import format_percent

    from jood.i18n import current_language

    if share is None:
        return "—"
    locale = "ar_SA" if current_language() == "ar" else "en"
    return format_percent(share, locale=locale, numbering_system="default")


def duration(hours: float | None) -> str:
    """A response time: hours under two days, days beyond."""
    from jood.i18n import format_number

    if hours is None:
        return "—"
    from flask_babel import ngettext

    from jood.i18n import plural_count

    if hours < 48:
        value = round(hours, 1)
        return ngettext("%(count)s hour", "%(count)s hours", plural_count(value), count=format_number(value))
    value = round(hours / 24, 1)
    return ngettext("%(count)s day", "%(count)s days", plural_count(value), count=format_number(value))


def month_titles(month) -> dict[str, str]:
    """The Gregorian and Hijri names of a report month, e.g. 'July 2026' and 'Muharram – Safar 1448 AH'."""
    from babel.dates import format_date

    from jood.i18n import current_language

    language = current_language()
    first, last = month.gregorian_span()
    gregorian_locale = "ar_SA" if language == "ar" else "en"
    g_first = format_date(first, "LLLL y", locale=gregorian_locale)
    g_last = format_date(last, "LLLL y", locale=gregorian_locale)
    h_first, h_last = month.hijri_span()

    def hijri(h, with_year=True):
        name = h.month_name(language)
        return f"{name} {h.year}" if with_year else name

    if (h_first.year, h_first.month) == (h_last.year, h_last.month):
        hijri_title = hijri(h_first)
    elif h_first.year == h_last.year:
        hijri_title = f"{hijri(h_first, False)} – {hijri(h_last)}"
    else:
        hijri_title = f"{hijri(h_first)} – {hijri(h_last)}"
    hijri_title += " هـ" if language == "ar" else " AH"
    gregorian_title = g_first if g_first == g_last else f"{g_first} – {g_last}"
    return {"gregorian": gregorian_title, "hijri": hijri_title}


def hijri_month_names() -> list[tuple[int, str]]:
    from hijridate import Hijri

    from jood.i18n import current_language

    language = current_language()
    return [(number, Hijri(1447, number, 1).month_name(language)) for number in range(1, 13)]
