"""Kiosk mode: `/kiosk/<pool>` (or `/kiosk/<campaign slug>`: gifts to the general pool, counted for the live
campaign) shows five amounts; a tap opens a checkout whose QR code the donor scans to pay on
their own phone; the kiosk shows the thank-you as soon as the payment confirms, and goes back to the start after a
minute without a touch (static/js/kiosk.js). No account, no name, no e-mail: an anonymous gift to the pool."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, url_for
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer

from jood.auth.access import public
from jood.core.unit import unit_of_work
from jood.donations import services
from jood.donations.models import POOLS, Donation
from jood.donations.receipts import qr_data_uri
from jood.extensions import db, limiter
from jood.i18n import current_language

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

PRESETS_SAR = (20, 50, 100, 200, 500)
IDLE_SECONDS = 60
TOKEN_MAX_AGE = 30 * 60  # a kiosk checkout is paid within minutes or abandoned


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="jood-kiosk")


def _pool_or_404(pool: str) -> str:
    if pool not in POOLS and not _through(pool):
        abort(404)
    return pool


def _through(name: str) -> dict:
    """A live campaign's slug in the kiosk's address: its gifts go to the general pool and count for it."""
    from jood.campaigns.services import attribution

    return {} if name in POOLS else attribution(name, None)


def _campaign(name: str):
    from jood.campaigns.services import public_campaign

    return None if name in POOLS else public_campaign(name)


def _load(token: str) -> tuple[Donation, str]:
    """The kiosk's donation and its checkout URL, from a signed, short-lived token (nothing guessable in the URL)."""
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature:
        abort(404)
    donation = db.session.get(Donation, data.get("d"))
    if donation is None:
        abort(404)
    return donation, data["u"]


@bp.route("/<pool>")
@public
def start(pool):
    return render_template("kiosk/start.html", pool=_pool_or_404(pool), presets=PRESETS_SAR, form=FlaskForm(),
                           idle=IDLE_SECONDS, campaign=_campaign(pool))


@bp.route("/<pool>/<int:amount>", methods=["POST"])
@public
@limiter.limit("30 per minute", methods=["POST"])
def give(pool, amount):
    """One tap, one anonymous gift to the pool: the donation is stored and its checkout opened, then the kiosk shows
    the checkout's QR code."""
    _pool_or_404(pool)
    if amount not in PRESETS_SAR or not FlaskForm().validate_on_submit():
        abort(400)
    donor = services.Donor(anonymous=True, language=current_language())
    through = _through(pool)
    line = services.LineRequest(amount * 100, pool="general" if through else pool, **through)
    with unit_of_work():
        donation = services.create_donation([line], donor, zakat=False)
        url = services.open_checkout(donation)
    token = _serializer().dumps({"d": donation.id, "u": url})
    return redirect(url_for("kiosk.pay", pool=pool, token=token), code=303)


@bp.route("/<pool>/pay/<token>")
@public
def pay(pool, token):
    _pool_or_404(pool)
    donation, url = _load(token)
    return render_template("kiosk/pay.html", pool=pool, donation=donation, qr=qr_data_uri(url), checkout_url=url,
                           token=token, idle=IDLE_SECONDS)


@bp.route("/status/<token>")
@public
def status(token):
    donation, _ = _load(token)
    return jsonify(status=donation.status)
