"""GET /api/v1/campaigns and /api/v1/campaigns/<slug>: public campaigns in the cases API's conventions (amounts as
SAR decimal strings), through the page cache (ETags). Never a private field: no proposer, no donor."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext as _

from jood.api.views import READ_LIMIT, field_errors
from jood.auth.access import public
from jood.cache import cached_page
from jood.campaigns import services, stats
from jood.campaigns.models import TOTAL, Campaign
from jood.campaigns.views import bp
from jood.extensions import limiter
from jood.money import format_sar


def _figures(row: dict) -> dict:
    return {"raised_amount": format_sar(row["raised_amount"]), "gifts": row["gifts"],
            "families_funded": row["families"]}


def campaign_json(campaign: Campaign, figures: dict, *, detail: bool = False) -> dict:
    total = figures[TOTAL]
    document = {
        "slug": campaign.slug,
        "url": url_for("campaigns.page", slug=campaign.slug, _external=True),
        "status": campaign.status,
        "kind": campaign.kind,
        "title_ar": campaign.title_ar,
        "title_en": campaign.title_en,
        "hashtag": campaign.hashtag,
        "period": {"start": campaign.start_date.isoformat() if campaign.start_date else None,
                   "end": campaign.end_date.isoformat() if campaign.end_date else None,
                   "time_zone": "Asia/Riyadh"},
        "goal": {"amount": format_sar(campaign.goal_amount) if campaign.goal_amount else None,
                 "families": campaign.goal_families},
        "scope": {"kind": campaign.scope, "region": campaign.scope_region, "track": campaign.scope_track},
        **_figures(total),
        "donors": total["donors"],
    }
    if detail:
        if campaign.kind == "league":
            document["teams"] = [{"id": row.team.id, "rank": row.rank, "kind": row.team.kind,
                                  "name_ar": row.team.name_ar, "name_en": row.team.name_en,
                                  **_figures(figures[f"team:{row.team.id}"])}
                                 for row in services.league_table(services.teams(campaign), figures)]
        else:
            targets = services.region_targets(campaign)
            document["regions"] = [
                {"region": row["region"],
                 "target_amount": format_sar(row["target_amount"]) if row["target_amount"] else None,
                 "target_families": row["target_families"] or None,
                 **_figures(figures[f"region:{row['region']}"])}
                for row in services.region_rows(targets, figures)
                if row["target_amount"] or row["target_families"] or row["gifts"]]
    return document


@bp.route("/api/v1/campaigns")
@limiter.limit(READ_LIMIT)
@cached_page("campaigns")
@public
def api_campaigns():
    status = request.args.get("status", "")
    if status not in ("", "live", "scheduled", "ended"):
        return field_errors({"status": "invalid_choice"})
    items = []
    for campaign, figure in services.listing():
        if status and campaign.status != status:
            continue
        figures = stats.figures_of([figure] if figure is not None else [])
        items.append(campaign_json(campaign, figures))
    return jsonify(items=items)


@bp.route("/api/v1/campaigns/<slug>")
@limiter.limit(READ_LIMIT)
@cached_page("campaign:{slug}")
@public
def api_campaign(slug):
    campaign = services.public_campaign(slug)
    if campaign is None:
        return jsonify(error=_("Page not found")), 404
    return jsonify(campaign_json(campaign, stats.campaign_figures(campaign.id), detail=True))
