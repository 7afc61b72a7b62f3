from flask import Blueprint, current_app, redirect, render_template, request, send_from_directory
from flask_login import current_user
from sqlalchemy import select

from jood.auth.access import public
from jood.cache import cached_page, fragments
from jood.core.urls import safe_next
from jood.extensions import db
from jood.i18n import LANGUAGE_COOKIE, current_language

bp = Blueprint("main", __name__)


@bp.app_template_global()
def remembered(key: tuple, *, caller):
    """`{% call remembered(key) %}…{% endcall %}`: a fragment that is the same for every visitor who gets the same
    `key` in a language, rendered once per worker (jood.cache.FragmentMemo). The key must name everything the
    fragment shows; the language and the URL root are added here."""
    return fragments().remembered(("fragment", current_language(), request.script_root, *key), caller)


@bp.app_template_global()
def remembered_chrome(name: str, *, caller):
    """`{% call remembered_chrome("footer") %}…{% endcall %}` in base.html: a part of every page's frame (static
    links, the menu, the footer) that is the same for every anonymous visitor in a language, rendered once per worker
    instead of on every page (about thirty url_for and forty translations). A signed-in visitor's menu depends on
    their role, so theirs is rendered each time."""
    if current_user.is_authenticated:
        return caller()
    return remembered(("chrome", name), caller=caller)


@bp.route("/")
@cached_page("catalog", "impact", "campaigns")  # the live campaign's banner
@public
def home():
    from jood.cases.featured import cases_of_the_day
    from jood.main import home as data
    from jood.transparency.stats import today

    pools = data.track_pools()
    return render_template("main/home.html", partners=data.partner_count(), figures=data.headline_figures(),
                           featured=cases_of_the_day(today()), pools=pools,
                           pools_key=tuple(tuple(sorted(pool.items())) for pool in pools))


@bp.route("/language/<code>")
@public
def set_language(code):
    """Remember an explicit language choice in a cookie, then go back to the page the user was on.

    A plain link rather than a form: choosing a language changes nothing but a preference cookie, and a link keeps
    anonymous pages free of CSRF tokens and sessions, so they can be cached and shared between visitors.
    """
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.route("/about")
@public
def about():
    return render_template("main/about.html")


@bp.route("/privacy")
@public
def privacy():
    return render_template("main/privacy.html")


@bp.route("/offline")
@public
def offline():
    """The page the service worker shows when the network is down: nothing personal, so it may be stored."""
    return render_template("main/offline.html")


@bp.route("/sw.js")
@public
def service_worker():
    """Served from the root so that its scope is the whole site; never cached long, so updates reach donors."""
    response = send_from_directory(current_app.static_folder, "js/sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/healthz")
@public
def healthz():
    db.session.execute(select(1))
    return {"status": "ok"}
