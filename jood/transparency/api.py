"""Open data: GET /api/v1/stats and GET /api/v1/ledger, as JSON or CSV, with ETags, Cache-Control and rate limits.

Both read only small, indexed slices: the aggregate rows of a period (stats) and one seq range of the ledger (a page
is ``seq`` from ``(page - 1) * per_page + 1``; the chain's seqs are contiguous, so no OFFSET scan), so an answer costs
the same with a thousand or a million donations.
"""

from __future__ import annotations

import csv
import io

from flask import Response, jsonify, request
from sqlalchemy import select

from jood.auth.access import public
from jood.cache import cached_page
from jood.cases.messages import TRACK_AND_POOL_LABELS, in_language
from jood.core.db import reads_from_replica
from jood.extensions import db, limiter
from jood.ledger.models import LedgerTransaction
from jood.ledger.services import public_head, public_transaction
from jood.money import format_sar
from jood.regions import region_name
from jood.transparency import stats
from jood.transparency.blueprint import bp

LEDGER_PER_PAGE = 500
STATS_LIMITS = "120 per minute"
# Ledger pages are cheap and a full verification pages through all of them, so they are allowed more often.
LEDGER_LIMITS = "1200 per minute"


# --- the ledger ----------------------------------------------------------------------------------------------------


def ledger_page(page: int, per_page: int | None = None, *, newest_first: bool = False) -> dict:
    """One page of the public ledger by seq range: oldest first for the API (what tools/verify_ledger.py reads),
    newest first for people on /ledger. Three queries: the head, the transactions, their entries."""
    per_page = per_page or LEDGER_PER_PAGE
    head = public_head()
    pages = max((head["seq"] + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    if newest_first:
        high = head["seq"] - (page - 1) * per_page
        low = max(high - per_page + 1, 1)
        order = LedgerTransaction.seq.desc()
    else:
        low = (page - 1) * per_page + 1
        high = min(page * per_page, head["seq"])
        order = LedgerTransaction.seq
    rows = db.session.scalars(select(LedgerTransaction).where(LedgerTransaction.seq >= low,
                                                              LedgerTransaction.seq <= high).order_by(order))
    return {"items": [public_transaction(row) for row in rows], "page": page, "pages": pages,
            "next_page": page + 1 if page < pages else None, "head": head}


def _finish(response: Response, max_age: int) -> Response:
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    response.add_etag()
    return response.make_conditional(request)


def _csv(rows: list[list], header: list[str], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")  # BOM: Excel reads the Arabic as UTF-8
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _page_arg() -> int | None:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 10**9 else None


def _bad_request(message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = 400
    return response


@bp.route("/api/v1/ledger")
@bp.route("/api/v1/ledger.csv", endpoint="api_ledger_csv")
@public
@limiter.limit(LEDGER_LIMITS)
@reads_from_replica
def api_ledger():
    page = _page_arg()
    if page is None:
        return _bad_request("page must be a positive integer")
    data = ledger_page(page)
    if data["page"] != page and page != 1:
        response = jsonify({"error": "no such page", "pages": data["pages"]})
        response.status_code = 404
        return response
    # A full page never changes again; the last page grows with each new transaction.
    max_age = 86_400 if data["next_page"] is not None else 15
    if request.path.endswith(".csv") or request.args.get("format") == "csv":
        rows = [[tx["seq"], tx["kind"], tx["created_at"], posting["account"], posting["amount"], tx["prev_hash"],
                 tx["hash"]] for tx in data["items"] for posting in tx["postings"]]
        header = ["seq", "kind", "created_at", "account", "amount_halalas", "prev_hash", "hash"]
        return _finish(_csv(rows, header, f"jood-ledger-{data['page']}.csv"), max_age)
    return _finish(jsonify({"items": data["items"], "next_page": data["next_page"]}), max_age)


# --- the impact figures --------------------------------------------------------------------------------------------


def _amounts(row: dict) -> dict:
    return {metric: format_sar(row[metric]) if metric in stats.AMOUNTS else row[metric]
            for metric in stats.METRICS}


def stats_rows(figures: dict, group: str) -> list[dict]:
    """Rows of the requested grouping with a machine key and Arabic and English labels."""
    rows = []
    if group in stats.TIME_GROUPS:
        for row in stats.timeline(figures["by_day"], group):
            rows.append({"key": stats.bucket_code(row["key"], group),
                         "label_ar": stats.bucket_label(row["key"], group, "ar"),
                         "label_en": stats.bucket_label(row["key"], group, "en"), **_amounts(row)})
    elif group == "track":
        for row in figures["by_track"]:
            label = TRACK_AND_POOL_LABELS.get(row["key"], row["key"])
            ar, en = in_language(label, "ar"), in_language(label, "en")
            rows.append({"key": row["key"], "label_ar": ar, "label_en": en, **_amounts(row)})
    elif group == "region":
        for row in figures["by_region"]:
            key = row["key"] or "pools"
            rows.append({"key": key, "label_ar": region_name(row["key"], "ar") if row["key"] else "الصناديق",
                         "label_en": region_name(row["key"], "en") if row["key"] else "Pools", **_amounts(row)})
    else:
        for row in figures["by_charity"]:
            pool = row["key"] == stats.POOL_CHARITY
            rows.append({"key": str(row["key"]), "label_ar": "الصناديق" if pool else row["name_ar"],
                         "label_en": "Pools" if pool else row["name_en"], **_amounts(row)})
    return rows


def stats_figures(period: stats.Period, group: str) -> dict:
    """Only the query the grouping needs, plus the totals (two queries)."""
    by_zakat = stats.grouped(period, "zakat")
    dimension = "day" if group in stats.TIME_GROUPS else group
    figures = {"by_" + dimension: stats.grouped(period, dimension)}
    zakat = next((row for row in by_zakat if row["key"]), dict.fromkeys(stats.METRICS, 0))
    sadaqah = next((row for row in by_zakat if not row["key"]), dict.fromkeys(stats.METRICS, 0))
    figures.update(totals=stats.total(by_zakat), zakat=zakat, sadaqah=sadaqah)
    return figures


@bp.route("/api/v1/stats")
@bp.route("/api/v1/stats.csv", endpoint="api_stats_csv")
@public
@limiter.limit(STATS_LIMITS)
@reads_from_replica
# Two GROUP BY over the period's aggregate rows: the whole answer is kept until the impact figures move, and for 30 s
# at most because visitor counts move without bumping a tag.
@cached_page("impact", timeout=30)
def api_stats():
    group = request.args.get("group", "month")
    if group not in stats.GROUPS:
        return _bad_request(f"group must be one of {', '.join(stats.GROUPS)}")
    try:
        period = stats.parse_period(request.args.get("from"), request.args.get("to"))
    except stats.PeriodError as error:
        return _bad_request({"bad_date": "from and to must be dates like 2026-03-01",
                             "reversed": "to must not be before from",
                             "too_long": f"a period is at most {stats.MAX_DAYS} days"}[str(error)])
    figures = stats_figures(period, group)
    rows = stats_rows(figures, group)
    visitors = stats.visitor_counts(period.start, period.end)
    if request.path.endswith(".csv") or request.args.get("format") == "csv":
        header = ["key", "label_ar", "label_en", *stats.METRICS]
        body = [[row[name] for name in header] for row in rows]
        filename = f"jood-stats-{period.start}-{period.end}-{group}.csv"
        return _finish(_csv(body, header, filename), 300)
    document = {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "group": group,
        "currency": "SAR",
        "totals": _amounts(figures["totals"]),
        "zakat": _amounts(figures["zakat"]),
        "sadaqah": _amounts(figures["sadaqah"]),
        "visitors": None if visitors is None else {"unique_visitors": visitors[0], "page_views": visitors[1]},
        "rows": rows,
    }
    return _finish(jsonify(document), 300)
