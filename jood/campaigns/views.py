"""Campaign pages: the public list, a campaign's page, its regions and teams, its share card; staff's editor and a
charity manager's proposal; the API (jood/campaigns/api.py registers on this blueprint).

Public pages go through the anonymous page cache and cost a fixed handful of queries whatever the number of gifts:
they read the maintained figures (jood/campaigns/stats.py), never the donations.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from jood.auth.access import public, roles_required
from jood.auth.roles import Role
from jood.cache import cached_page
from jood.campaigns import services, stats
from jood.campaigns.forms import CampaignForm, TeamForm, TransitionForm, targets_form
from jood.campaigns.models import TOTAL, Campaign, Team
from jood.campaigns.states import CampaignEvent, events_from
from jood.extensions import db
from jood.i18n import current_language
from jood.money import format_money
from jood.regions import REGIONS, region_name

bp = Blueprint("campaigns", __name__)

ERRORS = {
    "slug_taken": _l("Another campaign already has this address."),
    "period_reversed": _l("The last day must not be before the first day."),
    "no_period": _l("A campaign needs its first and last day before it is scheduled or goes live."),
    "no_goal": _l("A campaign needs a goal, in SAR or in families, before it is scheduled or goes live."),
    "outside_period": _l("A campaign goes live only during its period (Riyadh time)."),
    "bad_transition": _l("This campaign cannot make that move now."),
    "unknown_cases": _l("Some case codes are unknown or not published."),
    "bad_target": _l("Check the region targets."),
    "not_a_league": _l("Only a league has teams."),
}
EVENT_LABELS = {"schedule": _l("Schedule (approve)"), "unschedule": _l("Back to draft"),
                "launch": _l("Go live now"), "end": _l("End the campaign")}
STATUS_LABELS = {"draft": _l("Draft"), "scheduled": _l("Coming soon"), "live": _l("Live"), "ended": _l("Ended")}
MAP_LEVELS = 5


@bp.app_context_processor
def campaign_helpers():
    return {"campaign_status_label": lambda status: STATUS_LABELS.get(status, status),
            "live_campaign": services.live_campaign}


def _campaign_or_404(slug: str) -> Campaign:
    return services.public_campaign(slug) or abort(404)


def _percent(value: int, goal: int | None) -> int | None:
    return min(100, value * 100 // goal) if goal else None


def share_links(campaign: Campaign, url: str, language: str) -> dict[str, str]:
    """Plain links (no script): WhatsApp with the title, hashtag and address; X with the hashtag as its own field."""
    title = campaign.title(language)
    hashtag = f" #{campaign.hashtag}" if campaign.hashtag else ""
    whatsapp = "https://wa.me/?text=" + quote(f"{title}{hashtag} {url}")
    x = f"https://x.com/intent/post?text={quote(title)}&url={quote(url, safe='')}"
    if campaign.hashtag:
        x += "&hashtags=" + quote(campaign.hashtag)
    return {"whatsapp": whatsapp, "x": x}


def _common(campaign: Campaign, figures: dict) -> dict:
    language = current_language()
    total = figures[TOTAL]
    url = url_for("campaigns.page", slug=campaign.slug, _external=True)
    return {"campaign": campaign, "figures": figures, "total": total, "language": language,
            "share": share_links(campaign, url, language), "share_url": url,
            "pct_amount": _percent(total["raised_amount"], campaign.goal_amount),
            "pct_families": _percent(total["families"], campaign.goal_families),
            "give_args": {"campaign": campaign.slug}}


# --- public pages --------------------------------------------------------------------------------------------------


@bp.route("/campaigns")
@cached_page("campaigns")
@public
def index():
    rows = services.listing()
    return render_template("campaigns/index.html", rows=rows,
                           live=[row for row in rows if row[0].status == "live"],
                           coming=[row for row in rows if row[0].status == "scheduled"],
                           past=[row for row in rows if row[0].status == "ended"])


@bp.route("/campaigns/<slug>")
@cached_page("campaign:{slug}", "catalog")  # the catalog tag: its featured cases' progress
@public
def page(slug):
    campaign = _campaign_or_404(slug)
    figures = stats.campaign_figures(campaign.id)
    context = _common(campaign, figures)
    league, regions = [], []
    if campaign.kind == "league":
        league = services.league_table(services.teams(campaign), figures)
    elif campaign.kind == "regions":
        regions = services.region_rows(services.region_targets(campaign), figures)
    return render_template("campaigns/page.html", **context, cases=services.featured_cases(campaign),
                           league=league, regions=regions, recent=services.recent_gifts(campaign))


def region_map(rows: list[dict], language: str) -> list[dict]:
    """The 13 regions of static/img/ksa-regions.svg coloured by their progress to target."""
    from jood.transparency.views import region_shapes

    by_code = {row["region"]: row for row in rows}
    shapes = []
    for code, points in region_shapes():
        row = by_code.get(code, {})
        pct = row.get("pct", 0)
        # Level 0 only for a region without a gift yet: a first gift already shows, however far the target is.
        level = 0 if not row.get("gifts") else min(MAP_LEVELS - 1, 1 + (MAP_LEVELS - 2) * pct // 100)
        shapes.append({"code": code, "points": points, "level": level, "pct": pct,
                       "name": region_name(code, language)})
    return shapes


@bp.route("/campaigns/<slug>/regions")
@cached_page("campaign:{slug}")
@public
def regions(slug):
    campaign = _campaign_or_404(slug)
    figures = stats.campaign_figures(campaign.id)
    context = _common(campaign, figures)
    rows = services.region_rows(services.region_targets(campaign), figures)
    return render_template("campaigns/regions.html", **context, rows=rows,
                           region_map=region_map(rows, context["language"]), map_levels=MAP_LEVELS)


@bp.route("/campaigns/<slug>/regions/<region>")
@cached_page("campaign:{slug}", "catalog")
@public
def region(slug, region):
    if region not in REGIONS:
        abort(404)
    campaign = _campaign_or_404(slug)
    figures = stats.campaign_figures(campaign.id)
    row = next(r for r in services.region_rows(services.region_targets(campaign), figures) if r["region"] == region)
    return render_template("campaigns/region.html", **_common(campaign, figures), region=region, row=row,
                           cases=services.featured_cases(campaign, region=region))


@bp.route("/campaigns/<slug>/teams/<int:team_id>")
@cached_page("campaign:{slug}", "catalog")
@public
def team(slug, team_id):
    campaign = _campaign_or_404(slug)
    found = db.session.get(Team, team_id)
    if found is None or found.campaign_id != campaign.id:
        abort(404)
    figures = stats.campaign_figures(campaign.id)
    context = _common(campaign, figures)
    context["give_args"] = {"campaign": campaign.slug, "team": found.id}
    return render_template("campaigns/team.html", **context, team=found, team_figures=figures[f"team:{found.id}"],
                           cases=services.team_cases(found))


@bp.route("/campaigns/<slug>/card.png")
@cached_page("campaign:{slug}")  # the figures it draws
@public
def card(slug):
    """The share card (1200 x 630) drawn by jood.sharecards (the front end's renderer); 404 until it is merged."""
    try:
        from jood.sharecards import render_card
    except ImportError:
        abort(404)
    campaign = _campaign_or_404(slug)
    total = stats.campaign_figures(campaign.id)[TOTAL]
    language = current_language()
    if campaign.goal_amount:
        progress = min(1.0, total["raised_amount"] / campaign.goal_amount)
        subtitle = _("%(raised)s raised of %(goal)s", raised=format_money(total["raised_amount"]),
                     goal=format_money(campaign.goal_amount))
    else:
        progress = min(1.0, total["families"] / campaign.goal_families) if campaign.goal_families else 0.0
        subtitle = _("%(num)s of %(goal)s families housed", num=total["families"], goal=campaign.goal_families or 0)
    png = render_card(title=campaign.title(language), subtitle=subtitle, progress=progress,
                      figure=format_money(total["raised_amount"]),
                      hashtag=f"#{campaign.hashtag}" if campaign.hashtag else "", language=language)
    return png, 200, {"Content-Type": "image/png"}


# --- staff ---------------------------------------------------------------------------------------------------------


def _staff_campaign(slug: str) -> Campaign:
    from sqlalchemy import select

    return db.session.scalar(select(Campaign).where(Campaign.slug == slug)) or abort(404)


def _show_error(form, error: services.CampaignError) -> None:
    message = str(ERRORS.get(error.code, ERRORS["bad_transition"]))
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        flash(message, "danger")


@bp.route("/staff/campaigns")
@roles_required(Role.REVIEWER)
def staff_list():
    from sqlalchemy import select

    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc())).all()
    return render_template("campaigns/staff_list.html", campaigns=campaigns, form=TransitionForm(),
                           events_from=events_from, event_labels=EVENT_LABELS)


def _edit(campaign: Campaign | None, *, proposal: bool = False):
    form = CampaignForm(obj=campaign) if request.method == "GET" and campaign else CampaignForm()
    if request.method == "GET" and campaign:
        form.hashtag.data = f"#{campaign.hashtag}" if campaign.hashtag else ""
        form.featured.data = ", ".join(services.featured_codes(campaign))
    if form.validate_on_submit():
        try:
            if proposal:
                services.propose_campaign(form.campaign_data(), actor=current_user)
            else:
                services.save_campaign(campaign, form.campaign_data(), actor=current_user,
                                       featured_codes=form.featured_codes())
            db.session.commit()
        except services.CampaignError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            flash(_("Campaign saved.") if not proposal else _("Your proposal is sent to the platform's staff."),
                  "info")
            return redirect(url_for("campaigns.staff_list") if not proposal else url_for("auth.account"))
    status = 400 if request.method == "POST" else 200
    return render_template("campaigns/edit.html", form=form, campaign=campaign, proposal=proposal), status


@bp.route("/staff/campaigns/new", methods=["GET", "POST"])
@roles_required(Role.REVIEWER)
def staff_new():
    return _edit(None)


@bp.route("/staff/campaigns/<slug>/edit", methods=["GET", "POST"])
@roles_required(Role.REVIEWER)
def staff_edit(slug):
    return _edit(_staff_campaign(slug))


@bp.route("/staff/campaigns/<slug>/status/<event>", methods=["POST"])
@roles_required(Role.REVIEWER)
def staff_transition(slug, event):
    campaign = _staff_campaign(slug)
    if event not in {e.value for e in CampaignEvent} or not TransitionForm().validate_on_submit():
        abort(400)
    try:
        services.transition(campaign, event, actor=current_user)
        db.session.commit()
    except services.CampaignError as error:
        db.session.rollback()
        flash(str(ERRORS.get(error.code, ERRORS["bad_transition"])), "danger")
    else:
        flash(_("The campaign is now: %(status)s.", status=STATUS_LABELS[campaign.status]), "info")
    return redirect(url_for("campaigns.staff_list"))


@bp.route("/staff/campaigns/<slug>/targets", methods=["GET", "POST"])
@roles_required(Role.REVIEWER)
def staff_targets(slug):
    campaign = _staff_campaign(slug)
    form = targets_form(services.region_targets(campaign), prefill=request.method == "GET")
    if form.validate_on_submit():
        targets = {code: (getattr(form, f"amount_{code}").data or 0, getattr(form, f"families_{code}").data or 0)
                   for code in REGIONS}
        services.set_region_targets(campaign, targets, actor=current_user)
        db.session.commit()
        flash(_("The region targets are saved."), "info")
        return redirect(url_for("campaigns.staff_targets", slug=slug))
    status = 400 if request.method == "POST" else 200
    return render_template("campaigns/targets.html", campaign=campaign, form=form, regions=REGIONS), status


@bp.route("/staff/campaigns/<slug>/teams", methods=["GET", "POST"])
@roles_required(Role.REVIEWER)
def staff_teams(slug):
    campaign = _staff_campaign(slug)
    form = TeamForm()
    if form.validate_on_submit():
        try:
            services.add_team(campaign, name_ar=form.name_ar.data, name_en=form.name_en.data or "",
                              kind=form.kind.data, case_codes=form.case_codes(), actor=current_user)
            db.session.commit()
        except services.CampaignError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            flash(_("Team added."), "info")
            return redirect(url_for("campaigns.staff_teams", slug=slug))
    status = 400 if request.method == "POST" else 200
    return render_template("campaigns/teams.html", campaign=campaign, form=form,
                           teams=services.teams(campaign)), status


# --- a charity manager's proposal ----------------------------------------------------------------------------------


@bp.route("/charity/campaigns/new", methods=["GET", "POST"])
@roles_required(Role.CHARITY_MANAGER)
def propose():
    if current_user.charity is None:  # an admin passes every tier, and writes campaigns as staff
        return redirect(url_for("campaigns.staff_new"))
    return _edit(None, proposal=True)


from jood.campaigns import api  # noqa: E402,F401 - registers the API routes on `bp`
