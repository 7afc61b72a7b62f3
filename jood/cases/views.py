"""Public pages of the cases feature: the catalog, a case's page and the priority calculator.

The charity workspace and the reviewer's queue add their routes to the same blueprint (blueprint.py); importing
them here puts every route of the feature on the blueprint the app registers.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for

from jood import eligibility
from jood.auth.access import public
from jood.cache import cached_page
from jood.cases import catalog as catalog_query
from jood.cases import forms as labels
from jood.cases import messages, review, workspace  # noqa: F401 - review and workspace add their routes
from jood.cases.access import case_by_code
from jood.cases.blueprint import bp
from jood.cases.cards import days_since, remembered_card
from jood.cases.featured import cases_of_the_day
from jood.cases.forms import CalculatorForm, region_choices
from jood.cases.identity import masked
from jood.i18n import current_language
from jood.priority import POLICIES, Applicant, check_eligibility, get_policy, score
from jood.regions import region_name
from jood.settings.services import active_policy
from jood.sharecards.cases import card_version, case_card_png, hashtag


def _label(table):
    return lambda value: table.get(value, value)


# Built once: every page rendered by the app (a few dozen per second) asks for these helpers, and none of them
# depends on the request except through its own arguments or current_language() at call time.
CASE_HELPERS = {
    "case_labels": messages,
    "track_label": _label(labels.TRACK_LABELS),
    "role_label": _label(labels.ROLE_LABELS),
    "nationality_label": _label(dict(labels.NATIONALITIES)),
    "relation_label": _label(labels.RELATION_LABELS),
    "marital_label": _label(labels.MARITAL_LABELS),
    "document_label": _label(labels.DOCUMENT_LABELS),
    "recommendation_label": _label(labels.RECOMMENDATION_LABELS),
    "registry_label": _label(labels.REGISTRY_LABELS),
    "outcome_label": _label(labels.OUTCOME_LABELS),
    "housing_label": _label(labels.HOUSING_LABELS),
    "policy_label": _label(messages.POLICIES),
    "region_name": lambda code: region_name(code, current_language()),
    "masked_id": masked,
    "days_since": days_since,
    "remembered_card": remembered_card,
}


@bp.app_context_processor
def case_helpers():
    return CASE_HELPERS


@bp.route("/cases")
@cached_page("catalog")
@public
def catalog():
    from jood.transparency.stats import today

    query = catalog_query.CatalogQuery.from_args(request.args)
    page = catalog_query.card_page(query)
    # The cases of the day head the catalog's first page, unless the visitor is looking for something in particular.
    featured = tuple(cases_of_the_day(today())) if query.is_plain_first_page() else ()
    cities = catalog_query.cities()
    # The filters form shows the query (with the amounts as typed) and the cities: remembered by them.
    filters_key = ("catalog-filters", query.key(), request.args.get("min_amount", ""),
                   request.args.get("max_amount", ""), tuple(cities))
    return render_template("cases/catalog.html", query=query, page=page, regions=region_choices(current_language()),
                           cities=cities, sorts=catalog_query.SORTS, need_levels=catalog_query.NEED_LEVELS,
                           featured=featured, filters_key=filters_key)


@bp.route("/cases/<code>")
@cached_page("case:{code}")
@public
def case_page(code: str):
    case, has_outcome = catalog_query.public_case(code)
    if case is None or not case.is_public:
        abort(404)
    share_url = url_for("cases.case_page", code=case.code, _external=True)
    language = current_language()
    # The card's URL carries its figures' key, so that social networks fetch a new card when the figures move.
    card_url = url_for("cases.case_card", code=case.code, lang=language, v=card_version(case, language),
                       _external=True)
    return render_template("cases/case.html", case=case, share_url=share_url, card_url=card_url,
                           hashtag=hashtag(language), policy=get_policy(case.priority_policy),
                           recent=catalog_query.recent_gifts(case.id), has_outcome=has_outcome,
                           page_key=catalog_query.page_key(case, request.args))


@bp.route("/cases/<code>/card.png")
@cached_page()
@public
def case_card(code: str):
    """The case's share card (og:image), 1200 x 630, in the language asked for (crawlers send no Accept-Language,
    so the case page's link names it). Drawn once per state of its figures (jood/sharecards/cases.py)."""
    case = case_by_code(code)
    if not case.is_public:
        abort(404)
    language = request.args.get("lang")
    if language not in current_app.config["LANGUAGES"]:
        language = current_language()
    return case_card_png(case, language), 200, {"Content-Type": "image/png", "Cache-Control": "public, max-age=600"}


@bp.route("/priority")
@cached_page("policy")
@public
def priority_calculator():
    active = active_policy()
    form = CalculatorForm(request.args, policy=active)
    form.policy.choices = labels.options((name, f"{messages.POLICIES[name]} ({name})") for name in POLICIES)
    result = None
    if request.args and form.validate():
        data = {name: field.data for name, field in form._fields.items() if name not in ("submit", "policy")}
        applicant = Applicant(**data)
        policy = form.policy.data
        result = {"reasons": check_eligibility(applicant, policy), "score": score(applicant, policy)}
    return render_template("cases/priority.html", form=form, result=result, submitted=bool(request.args),
                           policy=get_policy(form.policy.data if form.policy.data in POLICIES else active),
                           active=active, eligibility_rules=eligibility.POLICIES)


@bp.route("/priority/rules")
@cached_page("policy")
@public
def priority_rules():
    """Both points and eligibility policies explained from their data, side by side."""
    return render_template("cases/rules.html", policies=list(POLICIES.values()), rules=eligibility.POLICIES,
                           active=active_policy())

