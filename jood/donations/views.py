"""Giving pages: a case, a pool, the basket; receipts, public verification, gift cards; history, refunds, settings."""

from __future__ import annotations

import stripe
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import select

from jood.auth.access import public, roles_required, signed_in
from jood.auth.roles import Role
from jood.cases import catalog as case_catalog
from jood.cases.models import Case
from jood.core.errors import messages_for
from jood.core.unit import unit_of_work
from jood.donations import receipts, refunds, services
from jood.donations.forms import BasketAddForm, GiveForm, OperatingShareForm, PoolGiveForm, RefundForm
from jood.donations.models import POOLS, Donation, RecurringGift
from jood.extensions import db, limiter
from jood.money import AmountError, format_money, parse_amount_sar
from jood.payments import services as payments
from jood.payments.gateway import UnknownMethod, checkout_methods, gateway_for_method
from jood.payments.models import Payment
from jood.payments.moyasar import MoyasarRejected, MoyasarUnavailable
from jood.payments.states import PaymentStatus

bp = Blueprint("donations", __name__)

DONATION_ERRORS = messages_for(services.DonationError, {
    "case_closed": _l("This case is no longer accepting donations."),
    "over_remaining": _l("This case now needs less than the amount you chose. Choose a smaller amount."),
    "zakat_not_eligible": _l("This case cannot receive zakat. Untick zakat or choose another case."),
    "unknown_pool": _l("Choose one of the pools."),
    "empty_basket": _l("Your basket is empty."),
    "duplicate_case": _l("A case appears twice in the basket."),
    "too_large": _l("That amount is too large."),
    "below_minimum": _l("The smallest gift is 5 SAR."),
    "gift_recipient": _l("Enter the recipient's name."),
    "not_paid": _l("Only a paid donation can be refunded."),
    "already_spent": _l("This money has already been allocated or paid out, so it cannot be refunded here."),
    "bad_share": _l("Enter a share from 0 to 2000 basis points."),
    "bad_refund_amount": _l("Enter an amount more than zero and no more than what is left to refund."),
    "partial_unsupported": _l("This payment service cannot refund part of a payment here. Refund all of it."),
})
# Every checkout limit is keyed by something of the donor's own, never by a case, a pool or the whole checkout, so
# nobody can use up a budget that other donors share (docs/deployment.md, "Rate limits"). A Ramadan night sends
# thousands of gifts a minute, many to the same top cases, and many donors share a mobile carrier's address.
CLIENT_LIMITS = "60 per minute;600 per day"  # per client address
DONOR_LIMITS = "10 per minute;60 per day"  # per account, else per e-mail given, else per address
CLIENT_TARGET_LIMITS = "10 per minute"  # per client address and case, pool or basket


# --- rate-limit keys ---------------------------------------------------------------------------------------------


def _donor_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    email = (request.form.get("email") or "").strip().lower()
    return f"email:{email}" if email else f"ip:{get_remote_address()}"


def _client_target_key() -> str:
    args = request.view_args or {}
    target = args.get("code") or request.form.get("pool") or request.path
    return f"target:{target}:{get_remote_address()}"


def checkout_limits(view):
    view = limiter.limit(DONOR_LIMITS, key_func=_donor_key, methods=["POST"])(view)
    view = limiter.limit(CLIENT_TARGET_LIMITS, key_func=_client_target_key, methods=["POST"])(view)
    return limiter.limit(CLIENT_LIMITS, methods=["POST"])(view)


def _source_keys(email: str | None) -> list[str]:
    """The card-testing lockout's keys: the client's own address and e-mail, never anything donors share."""
    keys = [payments.source_key("ip", get_remote_address() or "-")]
    if email:
        keys.append(payments.source_key("email", email))
    return keys


def _language() -> str:
    locale = get_locale()
    return locale.language if locale else "ar"


def _donor(form: GiveForm) -> services.Donor:
    user = current_user if current_user.is_authenticated else None
    return services.Donor(user=user, email=(form.email.data or "").strip() or None,
                          display_name=form.display_name.data or "", anonymous=bool(form.anonymous.data),
                          language=_language())


def _gift(form: GiveForm) -> services.Gift | None:
    if not form.is_gift.data:
        return None
    if not (form.gift_recipient.data or "").strip():
        raise services.DonationError("gift_recipient", field="gift_recipient")
    return services.Gift(form.gift_recipient.data, form.gift_contact.data or "", form.gift_message.data or "",
                         bool(form.gift_show_amount.data))


def _amount(form: GiveForm, remaining: int | None) -> int | None:
    """The halalas typed in, or None with the reason shown next to the field."""
    try:
        return services.parse_amount(form.amount_text(), remaining=remaining)
    except AmountError as exc:
        if exc.code == "over_remaining":
            message = _("This case needs only %(remaining)s more.", remaining=format_money(remaining))
        else:
            message = exc.message
        form.amount.errors.append(message)
        return None


def _checkout(lines, form: GiveForm, *, monthly: bool = False, pool: str | None = None):
    """Store the donation and send the donor to the gateway; any refusal shows next to the field, creates nothing."""
    email = (form.email.data or "").strip() or None
    method = (request.form.get("method") or "").strip() or None
    try:
        gateway = gateway_for_method(method, monthly=monthly)
    except UnknownMethod:
        if monthly and method in dict(checkout_methods()):
            flash(_("A monthly gift can be paid with mada or a card only. Choose one of them, or give once."),
                  "danger")
        else:
            flash(_("Choose one of the payment methods shown."), "danger")
        return None
    try:
        with unit_of_work():
            if monthly:
                donation = services.start_recurring(current_user, pool, lines[0].amount, zakat=bool(form.zakat.data),
                                                    anonymous=bool(form.anonymous.data), language=_language(),
                                                    source_keys=_source_keys(current_user.email), gateway=gateway,
                                                    method=method)
            else:
                donation = services.create_donation(lines, _donor(form), zakat=bool(form.zakat.data),
                                                    gift=_gift(form), source_keys=_source_keys(email),
                                                    gateway=gateway, method=method)
            url = services.open_checkout(donation, monthly=monthly)
    except payments.CheckoutLocked:
        return render_template("payments/locked.html"), 429
    except services.DonationError as exc:
        getattr(form, exc.field, form.amount).errors.append(exc.message)
        return None
    except (stripe.StripeError, MoyasarUnavailable, MoyasarRejected):
        flash(_("The payment service did not answer. Nothing was charged; please try again."), "danger")
        return None
    return redirect(url, code=303)


# --- giving to a case --------------------------------------------------------------------------------------------


def _campaign_from_link(form: GiveForm) -> None:
    """A link carrying a campaign (`?campaign=<slug>` or `?c=<slug>&team=<id>`) fills the form's hidden fields."""
    if request.method == "GET":
        form.campaign.data = (request.args.get("campaign") or request.args.get("c") or "")[:60]
        form.team.data = request.args.get("team", "")[:12]


def _through(form: GiveForm) -> dict:
    """The campaign and team the gift counts toward: {} unless the campaign is live (then the line carries it)."""
    from jood.campaigns.services import attribution

    return attribution(form.campaign.data, form.team.data)



def _public_case(code: str) -> Case:
    case = db.session.scalar(select(Case).where(Case.code == code))
    if case is None or not case.is_public:
        abort(404)
    return case


@bp.route("/cases/<code>/donate", methods=["GET", "POST"])
@public
@checkout_limits
def donate_case(code):
    case = _public_case(code)
    # The case page's own form (no session, so no CSRF token there) arrives here by GET with the amount chosen.
    form = GiveForm(formdata=request.args) if request.method == "GET" and request.args else GiveForm()
    _campaign_from_link(form)
    if form.validate_on_submit():
        amount = _amount(form, case.remaining_amount)
        through = _through(form)
        if amount is not None and request.form.get("action") == "basket":
            _basket_put({"case": case.id, "amount": amount, **through})
            flash(_("Added to your basket."), "info")
            return redirect(url_for("donations.basket"))
        if amount is not None:
            result = _checkout([services.LineRequest(amount, case=case, **through)], form)
            if result is not None:
                return result
    status = 400 if request.method == "POST" else 200
    return render_template("donations/donate.html", case=case, form=form,
                           recent=case_catalog.recent_gifts(case.id)), status


@bp.route("/give", methods=["GET", "POST"])
@public
@checkout_limits
def give():
    """Quick donate to a track's pool or the general pool; monthly giving for signed-in donors."""
    form = PoolGiveForm()
    if request.method == "GET" and request.args.get("pool") in POOLS:
        form.pool.data = request.args["pool"]
    if request.method == "GET":  # the home page's quick donate arrives with its chosen amount
        form.preset.data = request.args.get("preset", "")[:12] or None
        form.amount.data = request.args.get("amount", "")[:30]
    _campaign_from_link(form)
    if form.validate_on_submit():
        monthly = bool(form.monthly.data)
        amount = _amount(form, None)
        if monthly and not current_user.is_authenticated:
            form.monthly.errors.append(_("Sign in to give every month, so you can see and cancel it."))
        elif amount is not None:
            through = {} if monthly else _through(form)
            result = _checkout([services.LineRequest(amount, pool=form.pool.data, **through)], form,
                               monthly=monthly, pool=form.pool.data)
            if result is not None:
                return result
    status = 400 if request.method == "POST" else 200
    return render_template("donations/give.html", form=form), status


# --- the basket --------------------------------------------------------------------------------------------------


def _basket() -> list[dict]:
    return list(session.get("basket", []))


def _basket_put(item: dict) -> None:
    items = [i for i in _basket() if not (item.get("case") and i.get("case") == item["case"])]
    if item.get("pool"):
        items = [i for i in items if i.get("pool") != item["pool"]]
    items.append(item)
    session["basket"] = items[:20]


def basket_rows() -> list[dict]:
    """Basket items with what each case still needs now, read from the one place (``Case.remaining_amount``)."""
    rows = []
    for index, item in enumerate(_basket()):
        case = db.session.get(Case, item["case"]) if item.get("case") else None
        row = {"index": index, "item": item, "case": case, "amount": item["amount"], "problem": None}
        if case is not None:
            if not case.accepts_donations:
                row["problem"] = "funded"
            elif item["amount"] > case.remaining_amount:
                row["problem"] = "over"
        rows.append(row)
    return rows


@bp.route("/basket", methods=["GET", "POST"])
@public
@checkout_limits
def basket():
    rows = basket_rows()
    form = GiveForm()
    if request.method == "POST" and form.validate_on_submit():
        if any(row["problem"] for row in rows):
            flash(_("Some cases in your basket changed. Choose what to do with them before paying."), "warning")
        elif not rows:
            flash(services.DonationError("empty_basket").message, "warning")
        else:
            lines = [services.LineRequest(row["amount"], case=row["case"], pool=row["item"].get("pool"),
                                          campaign_id=row["item"].get("campaign_id"),
                                          team_id=row["item"].get("team_id")) for row in rows]
            result = _checkout(lines, form)
            if result is not None:
                session.pop("basket", None)
                return result
    total = sum(row["amount"] for row in rows)
    status = 400 if request.method == "POST" else 200
    return render_template("donations/basket.html", rows=rows, total=total, form=form), status


@bp.route("/basket/<int:index>/<action>", methods=["POST"])
@public
def basket_fix(index, action):
    """Resolve a basket line the donor was warned about; nothing is ever dropped silently."""
    BasketAddForm().validate_on_submit() or abort(400)
    items = _basket()
    if not 0 <= index < len(items):
        return redirect(url_for("donations.basket"))
    item = items[index]
    case = db.session.get(Case, item["case"]) if item.get("case") else None
    if action == "remove":
        items.pop(index)
    elif action == "to-pool" and case is not None:
        items[index] = {"pool": case.track, "amount": item["amount"]}
    elif action == "reduce" and case is not None and case.remaining_amount >= services.MIN_AMOUNT:
        items[index] = {"case": case.id, "amount": case.remaining_amount}
    session["basket"] = items
    return redirect(url_for("donations.basket"))


# --- receipts, verification, gift cards --------------------------------------------------------------------------


def _by_token(token: str, column=Donation.receipt_token) -> Donation:
    donation = db.session.scalar(select(Donation).where(column == token)) if token else None
    return donation or abort(404)


def _paid_gift(token: str) -> Donation:
    """A gift card exists only once its donation is paid."""
    donation = _by_token(token, Donation.gift_token)
    if donation.status != PaymentStatus.PAID:
        abort(404)
    return donation


@bp.route("/receipts/<token>")
@public
def receipt(token):
    donation = _by_token(token)
    return render_template("donations/receipt.html", donation=donation, qr=receipts.qr_data_uri(
        receipts.verify_url(donation)))


@bp.route("/receipts/<token>.pdf")
@public
def receipt_pdf(token):
    donation = _by_token(token)
    if donation.status not in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        abort(404)
    return receipts.cached_receipt_pdf(donation), 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": f'inline; filename="{donation.reference}.pdf"',
    }


@bp.route("/receipts/<token>/cancelled")
@public
def cancelled(token):
    return render_template("donations/cancelled.html", donation=_by_token(token))


@bp.route("/r/<reference>")
@public
def verify(reference):
    """Public verification: amount, date, case code or pool, status; nothing about the donor."""
    donation = services.by_reference(reference)
    if donation is None or donation.status not in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        abort(404)
    return render_template("donations/verify.html", donation=donation)


@bp.route("/gifts/<token>")
@public
def gift_card(token):
    donation = _paid_gift(token)
    return render_template("donations/gift.html", donation=donation)


@bp.route("/gifts/<token>.pdf")
@public
def gift_card_pdf(token):
    donation = _paid_gift(token)
    return receipts.gift_card_pdf(donation), 200, {"Content-Type": "application/pdf",
                                                   "Content-Disposition": 'inline; filename="gift.pdf"'}


@bp.route("/gifts/<token>.png")
@public
def gift_card_png(token):
    """The gift card as an image to share with the recipient."""
    from jood.donations.giftcard import gift_card_png as render

    donation = _paid_gift(token)
    return render(donation), 200, {"Content-Type": "image/png",
                                   "Content-Disposition": 'inline; filename="gift.png"'}


# --- the donor's account -----------------------------------------------------------------------------------------


@bp.route("/account/donations")
@signed_in
def history():
    gifts = services.donor_history(current_user)
    recurring = db.session.scalars(select(RecurringGift).where(RecurringGift.user_id == current_user.id)
                                   .order_by(RecurringGift.created_at.desc())).all()
    return render_template("donations/history.html", donations=gifts, recurring=recurring, form=RefundForm())


@bp.route("/account/recurring/<int:recurring_id>/cancel", methods=["POST"])
@signed_in
def cancel_recurring(recurring_id):
    recurring = db.session.get(RecurringGift, recurring_id)
    if recurring is None or recurring.user_id != current_user.id:
        abort(404)
    BasketAddForm().validate_on_submit() or abort(400)
    try:
        with unit_of_work():
            services.cancel_recurring(recurring, actor=current_user)
    except stripe.StripeError:
        flash(_("The payment service did not answer. Please try again."), "danger")
        return redirect(url_for("donations.history"))
    flash(_("Your monthly gift is cancelled. Thank you for your giving."), "info")
    return redirect(url_for("donations.history"))


# --- finance and admin -------------------------------------------------------------------------------------------


@bp.route("/finance/donations")
@roles_required(Role.FINANCE)
def finance():
    rows = db.session.scalars(select(Donation).join(Payment).where(
        Payment.status.in_([PaymentStatus.PAID.value, PaymentStatus.REFUNDED.value]))
        .order_by(Donation.created_at.desc()).limit(200)).all()
    return render_template("donations/finance.html", donations=rows, form=RefundForm())


@bp.route("/finance/donations/<reference>/refund", methods=["POST"])
@roles_required(Role.FINANCE)
def refund(reference):
    donation = services.by_reference(reference) or abort(404)
    form = RefundForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for the refund."), "danger")
        return redirect(url_for("donations.finance"))
    try:
        with unit_of_work():
            part = (form.amount.data or "").strip()
            if part:
                refunds.refund_part(donation, _refund_amount(part), actor=current_user, reason=form.reason.data)
            else:
                services.refund_donation(donation, actor=current_user, reason=form.reason.data)
    except services.DonationError as exc:
        flash(exc.message, "danger")
    except (stripe.StripeError, MoyasarUnavailable, MoyasarRejected):
        flash(_("The payment service did not answer. Nothing was refunded; please try again."), "danger")
    else:
        flash(_("Donation %(reference)s refunded.", reference=reference), "info")
    return redirect(url_for("donations.finance"))


def _refund_amount(text: str) -> int:
    try:
        return parse_amount_sar(text)
    except AmountError:
        raise services.DonationError("bad_refund_amount", field="refund") from None


@bp.route("/admin/operating-share", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def operating_share():
    form = OperatingShareForm()
    if request.method == "GET":
        form.share.data = str(services.operating_bp())
    elif form.validate_on_submit():
        share = (form.share.data or "").strip()
        try:
            with unit_of_work():
                services.set_operating_bp(int(share) if share.isdigit() else -1, actor=current_user,
                                          reason=form.reason.data)
        except services.DonationError as exc:
            form.share.errors.append(exc.message)
        else:
            flash(_("The operating share is now %(bp)s basis points.", bp=share), "info")
            return redirect(url_for("donations.operating_share"))
    return render_template("donations/operating_share.html", form=form, current=services.operating_bp())


@bp.app_context_processor
def giving_helpers():
    """The navigation's basket link."""
    return {"basket_size": lambda: len(session.get("basket", []))}


# A global, not a context variable: imported macros (donations/_macros.html) see globals only.
bp.record_once(lambda state: state.app.jinja_env.globals.update(donation_presets=services.PRESETS_SAR))


from jood.donations import onestep  # noqa: E402,F401 - registers the one-step checkout routes on `bp`
