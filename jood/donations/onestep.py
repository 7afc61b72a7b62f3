"""One step from a cached page to the payment page, with or without JavaScript.

The case page and the home page are cached and shared between visitors, so their forms carry no session and no CSRF
token. They post here instead of the donate page; in place of the token, the browser's Origin header (or its Referer)
must name this site, which a page on another site cannot forge (OWASP's origin check). When it does not (an old
browser, a stripped header), nothing is created: the full donate page opens with the choice made, and its form
carries a token as usual.
"""

from __future__ import annotations

from flask import render_template, request

from jood.auth.access import public
from jood.core.urls import same_origin
from jood.donations import services
from jood.donations.forms import GiveForm, PoolGiveForm
from jood.donations.views import _amount, _checkout, _public_case, _through, bp, checkout_limits
from jood.extensions import csrf


def _one_step(form: GiveForm, line, remaining: int | None, page):
    """Straight to the gateway when the post is this site's own and valid; else `page()`, with any errors."""
    if not same_origin(request.headers.get("Origin"), request.headers.get("Referer"), request.host_url):
        return page()
    if form.validate():
        amount = _amount(form, remaining)
        result = _checkout([line(amount)], form) if amount is not None else None
        if result is not None:
            return result
    return page(), 400


@bp.route("/cases/<code>/checkout", methods=["POST"])
@public
@csrf.exempt
@checkout_limits
def checkout_case(code):
    case = _public_case(code)
    form = GiveForm(meta={"csrf": False})
    return _one_step(form, lambda amount: services.LineRequest(amount, case=case, **_through(form)),
                     case.remaining_amount,
                     lambda: render_template("donations/donate.html", case=case, form=form))


@bp.route("/give/checkout", methods=["POST"])
@public
@csrf.exempt
@checkout_limits
def checkout_pool():
    """The home page's quick donate: a pool and an amount (monthly giving needs an account, so it stays on /give)."""
    form = PoolGiveForm(meta={"csrf": False})
    return _one_step(form, lambda amount: services.LineRequest(amount, pool=form.pool.data, **_through(form)), None,
                     lambda: render_template("donations/give.html", form=form))
