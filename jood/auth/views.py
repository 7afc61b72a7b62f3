from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from jood.auth import services, throttle
from jood.auth.access import public, refuse_writes_by_read_only_roles, signed_in
from jood.auth.forms import LoginForm, ResetPasswordForm, ResetRequestForm, SignupForm
from jood.core.unit import unit_of_work
from jood.core.urls import safe_next
from jood.extensions import limiter
from jood.mail import send_mail

bp = Blueprint("auth", __name__)
bp.before_app_request(refuse_writes_by_read_only_roles)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        wait = throttle.wait_seconds(form.email.data)
        user = None if wait else services.authenticate(form.email.data, form.password.data)
        if wait:
            form.password.errors.append(ngettext(
                "Too many attempts for this account. Try again in %(num)d second.",
                "Too many attempts for this account. Try again in %(num)d seconds.", wait))
            return render_template("auth/login.html", form=form), 429
        if user is None:
            throttle.note_failure(form.email.data)
            form.password.errors.append(_("The e-mail address or password is not correct."))
        else:
            throttle.note_success(form.email.data)
            with unit_of_work():
                login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    # Signing out here signs out everywhere: every cookie issued so far names the old session version.
    with unit_of_work():
        current_user.revoke_sessions()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignupForm()
    if form.validate_on_submit():
        with unit_of_work():
            user = services.create_user(form.email.data, form.password.data, form.display_name.data)
        login_user(user)
        flash(_("Your account is ready. Thank you for joining Jood."), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/signup.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
@public
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.active:
            link = url_for("auth.reset_password", token=services.make_reset_token(user), _external=True)
            send_mail(
                user.email,
                _("Reset your Jood password"),
                render_template("auth/reset_email.txt", user=user, link=link),
            )
        # The same answer whether or not the address has an account, so the form reveals nobody's e-mail.
        flash(_("If this address has an account, a reset link is on its way. It is valid for one hour."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid, already used or expired. Ask for a new one."), "danger")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with unit_of_work():
            user.set_password(form.password.data)
        flash(_("Your password has been changed. You can sign in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/account")
@signed_in
def account():
    return render_template("auth/account.html")
