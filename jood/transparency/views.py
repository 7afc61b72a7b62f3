"""Public transparency pages: the impact dashboard, the public ledger, how to verify it, and the rules for the money.

The impact page reads only the maintained aggregates (jood/transparency/stats.py): five grouped queries whatever the
number of donations. Charts are SVG drawn here on the server, each with its data table beside it.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET  # noqa: S405 - parses only our own static SVG
from pathlib import Path

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from jood import ROOT
from jood.auth.access import public
from jood.cache import cached_page
from jood.cases.messages import TRACK_AND_POOL_LABELS
from jood.i18n import current_language, format_number, text_direction
from jood.ledger import core
from jood.money import format_money
from jood.regions import REGIONS, region_name
from jood.transparency import stats
from jood.transparency.api import ledger_page
from jood.transparency.blueprint import bp

PRESET_LABELS = {
    "this_month": _l("This month"),
    "last_30_days": _l("Last 30 days"),
    "ramadan_1447": _l("Ramadan 1447"),
    "hijri_year": _l("This Hijri year"),
    "last_year": _l("Last 12 months"),
}
TIME_LABELS = {"day": _l("Daily"), "week": _l("Weekly"), "month": _l("Monthly"), "hijri_month": _l("Hijri months")}
PERIOD_ERRORS = {
    "bad_date": _l("Enter the dates as YYYY-MM-DD."),
    "reversed": _l("The end of the period must not be before its start."),
    "too_long": _l("Choose a period of at most three years."),
}
MAP_LEVELS = 5
LEDGER_PAGE_SIZE = 50


# --- charts ----------------------------------------------------------------------------------------------------------


def bar_chart(rows: list[tuple[str, int, str]], direction: str) -> dict:
    """Geometry of a horizontal bar chart in a 1000-wide viewBox: bars grow from the reading start (the right in
    Arabic), labels sit at the start, values at the bar's end. ``rows`` are (label, value, formatted value)."""
    height, width, label_width = 46, 1000, 330
    top = max((value for _, value, _ in rows), default=0) or 1
    bars = []
    for index, (label, value, shown) in enumerate(rows):
        length = round((width - label_width - 130) * value / top) if value > 0 else 0
        y = index * height
        if direction == "rtl":
            bar_x, label_x, value_x = width - label_width - length, width - 6, width - label_width - length - 8
        else:
            bar_x, label_x, value_x = label_width, 6, label_width + length + 8
        bars.append({"label": label, "shown": shown, "y": y, "bar_x": bar_x, "length": length, "label_x": label_x,
                     "value_x": value_x, "text_y": y + 32})
    return {"bars": bars, "height": max(len(rows), 1) * height, "width": width, "direction": direction}


@functools.cache
def region_shapes() -> list[tuple[str, str]]:
    """(region code, polygon points) from static/img/ksa-regions.svg, the one drawing of the map."""
    tree = ET.parse(Path(ROOT) / "static" / "img" / "ksa-regions.svg")  # noqa: S314 - our own file
    shapes = []
    for element in tree.getroot().iter():
        if element.tag.endswith("polygon") and element.get("id") in REGIONS:
            shapes.append((element.get("id"), element.get("points")))
    return shapes


def region_map(by_region: list[dict], metric: str, language: str) -> list[dict]:
    values = {row["key"]: row[metric] for row in by_region}
    top = max(values.values(), default=0) or 1
    result = []
    for code, points in region_shapes():
        value = values.get(code, 0)
        level = 0 if value <= 0 else min(MAP_LEVELS - 1, 1 + (MAP_LEVELS - 2) * value // top)
        result.append({"code": code, "points": points, "level": level, "name": region_name(code, language),
                       "value": value})
    return result


# --- the impact page -------------------------------------------------------------------------------------------------


def _period_from_request() -> tuple[stats.Period, str | None, str | None]:
    presets = dict(stats.presets())
    chosen = request.args.get("preset")
    if chosen in presets:
        return presets[chosen], chosen, None
    try:
        period = stats.parse_period(request.args.get("from"), request.args.get("to"))
    except stats.PeriodError as error:
        return presets["last_30_days"], None, str(PERIOD_ERRORS[str(error)])
    matching = next((name for name, value in presets.items() if value == period), None)
    return period, matching, None


def _money_rows(rows, label, metric="donations_amount"):
    return [(label(row), row[metric], format_money(row[metric])) for row in rows]


@bp.route("/impact")
@cached_page("impact")
@public
def impact():
    period, preset, error = _period_from_request()
    time_group = request.args.get("time", "day" if period.days <= 62 else "month")
    if time_group not in stats.TIME_GROUPS:
        time_group = "day"
    figures = stats.impact(period, time_group)
    language = current_language()
    direction = text_direction(language)

    def track_label(row):
        return str(TRACK_AND_POOL_LABELS.get(row["key"], row["key"]))

    def region_label(row):
        return region_name(row["key"], language) if row["key"] else _("Pools (no region)")

    def charity_label(row):
        if row["key"] == stats.POOL_CHARITY:
            return _("Pools (no charity)")
        return (row["name_ar"] if language == "ar" else row["name_en"]) or str(row["key"])

    def time_label(row):
        return stats.bucket_label(row["key"], time_group, language)

    charts = {
        "time": bar_chart(_money_rows(figures["timeline"], time_label), direction),
        "track": bar_chart(_money_rows(figures["by_track"], track_label), direction),
        "region": bar_chart(_money_rows(figures["by_region"], region_label), direction),
        "charity": bar_chart(_money_rows(figures["by_charity"][:15], charity_label), direction),
        "families": bar_chart([(track_label(row), row["families"], format_number(row["families"]))
                               for row in figures["by_track"]], direction),
    }
    labels = {"track": track_label, "region": region_label, "charity": charity_label, "time": time_label}
    return render_template(
        "transparency/impact.html", figures=figures, charts=charts, labels=labels, period=period, preset=preset,
        presets=stats.presets(), preset_labels=PRESET_LABELS, time_labels=TIME_LABELS, error=error,
        region_map=region_map(figures["by_region"], "donations_amount", language), map_levels=MAP_LEVELS,
    )


# --- the public ledger ---------------------------------------------------------------------------------------------


@bp.route("/ledger")
@cached_page("ledger")
@public
def ledger():
    page = request.args.get("page", "1")
    data = ledger_page(int(page) if page.isdigit() and len(page) < 10 else 1, LEDGER_PAGE_SIZE, newest_first=True)
    return render_template("transparency/ledger.html", data=data, is_public=core.is_public)


@bp.route("/ledger/verify")
@cached_page("ledger")
@public
def verify_explained():
    example = core.canonical_form(1, "payment", "2025-03-01T09:30:00Z",
                                  [{"account": "case:JE-1448-00042", "amount": 7500},
                                   {"account": "clearing:stripe", "amount": -10000},
                                   {"account": "pool:rent", "amount": 2500}], core.GENESIS_HASH)
    return render_template("transparency/verify.html", example=example.decode(),
                           example_hash=core.chain_hash(1, "payment", "2025-03-01T09:30:00Z",
                                                        [{"account": "case:JE-1448-00042", "amount": 7500},
                                                         {"account": "clearing:stripe", "amount": -10000},
                                                         {"account": "pool:rent", "amount": 2500}],
                                                        core.GENESIS_HASH),
                           site=request.host_url.rstrip("/"))


@bp.route("/rules")
@cached_page("settings")
@public
def rules():
    from jood.donations.services import operating_bp

    return render_template("transparency/rules.html", operating_bp=operating_bp(),
                           default_bp=current_app.config.get("OPERATING_SHARE_BP", 0))

