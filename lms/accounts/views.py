"""Sign-in, registration, password and profile pages, the language switch and the dashboard."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from lms.accounts import services
from lms.accounts.forms import (
    ChangePasswordForm,
    EmptyForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from lms.core import signals
from lms.core.db import ensure_write_lock, reads_first
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.core.navigation import register_nav
from lms.core.security import Role, login_required, public, safe_next_url
from lms.extensions import db, limiter

bp = Blueprint("accounts", __name__, template_folder="templates")

register_nav("accounts.dashboard", _l("Dashboard"), Role.LEARNER, order=10)  # every signed-in user


def _login_account_key() -> str:
    return f"{get_remote_address()}|{services.normalise_email(request.form.get('email', ''))[:254]}"


def _failed_login(response: Response) -> bool:
    return bool(g.get("login_failed"))


def _form_error(form: object, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT_PER_ACCOUNT"],
    key_func=_login_account_key,
    methods=["POST"],
    deduct_when=_failed_login,
)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed_login)
@public
@reads_first  # the password check (argon2, ~20 ms) must not hold SQLite's write lock: sign-in storms
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            db.session.commit()  # keep the audit record of the failure
            g.login_failed = True
            flash(error.message, "error")
        else:
            chosen_language = session.get("lang")
            session.clear()  # a fresh session: nothing from before sign-in carries over
            if chosen_language:
                session["lang"] = chosen_language
            session.permanent = True
            login_user(user)
            db.session.commit()
            return redirect(safe_next_url(form.next.data) or url_for("accounts.dashboard"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("site.home"))


@bp.route("/register", methods=["GET", "POST"])
@public
def register() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = session.get("lang") or request.accept_languages.best_match(LANGUAGES) or "en"
        form.timezone.data = request.cookies.get("lms_tz") or "UTC"
    if form.validate_on_submit():
        try:
            user = services.register_user(
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data,
                legal_name=form.legal_name.data,
                legal_name_latin=form.legal_name_latin.data,
                locale=form.locale.data,
                timezone=form.timezone.data,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            session.clear()
            session.permanent = True
            login_user(user)
            db.session.commit()
            flash(_("Welcome! We sent you an e-mail to confirm your address."), "success")
            return redirect(safe_next_url(request.args.get("next")) or url_for("accounts.dashboard"))
    return render_template("accounts/register.html", form=form)


@bp.route("/account/verify-email/<token>")
@public
def verify_email(token: str) -> Response:
    ensure_write_lock()
    try:
        services.verify_email(token)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.dashboard" if current_user.is_authenticated else "accounts.login"))
    db.session.commit()
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    return redirect(url_for("accounts.dashboard" if current_user.is_authenticated else "accounts.login"))


@bp.route("/account/verify-email", methods=["POST"])
@login_required
@limiter.limit("5 per hour", key_func=lambda: f"verify|{current_user.get_id()}")
def resend_verification() -> Response:
    if current_user.email_verified_at is None:
        services.send_verification_email(current_user._get_current_object())
        db.session.commit()
    flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("accounts.dashboard"))


@bp.route("/account/password-reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public
def request_password_reset() -> Response | str:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account uses that address, a reset link is on its way. Check your inbox."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/account/password-reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> Response | str:
    try:
        services.user_for_reset_token(token)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.request_password_reset"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except DomainError as error:
            _form_error(form, error)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your password is changed. Sign in with the new one."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Response | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            _form_error(form, error)
        else:
            db.session.commit()
            # Every other session is now invalid; this browser gets a fresh one.
            session.clear()
            session.permanent = True
            login_user(user)
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def profile() -> Response | str:
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_profile(
                user,
                display_name=form.display_name.data,
                legal_name=form.legal_name.data,
                legal_name_latin=form.legal_name_latin.data,
                locale=form.locale.data,
                timezone=form.timezone.data,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, resend_form=EmptyForm())


@bp.route("/language", methods=["POST"])
@public
def switch_language() -> Response:
    code = request.form.get("lang", "")
    if code in LANGUAGES:
        session["lang"] = code
        if current_user.is_authenticated:
            services.set_locale(current_user._get_current_object(), code)
            db.session.commit()
    return redirect(safe_next_url(request.form.get("next")) or url_for("site.home"))


@bp.route("/account/partner", methods=["POST"])
@login_required
def switch_partner() -> Response:
    wanted = request.form.get("partner_id", type=int)
    if wanted in {m.organisation_id for m in current_user.partner_memberships()}:
        session["partner_id"] = wanted
    return redirect(safe_next_url(request.form.get("next")) or url_for("accounts.dashboard"))


@bp.route("/dashboard")
@login_required
def dashboard() -> str:
    user = current_user._get_current_object()
    panels = []
    for _receiver, result in signals.dashboard_panels.send(user):
        if result is None:
            continue
        panels.extend(result if isinstance(result, list) else [result])
    sections = dashboard_sections(panels)
    return render_template("accounts/dashboard.html", sections=sections, resend_form=EmptyForm())


#: Dashboard sections, in the order a person with several roles sees them (their work before their learning).
DASHBOARD_SECTIONS = (
    ("staff", _l("Certification body")),
    ("partner", _l("Your organisation")),
    ("instructor", _l("Teaching")),
    ("proctor", _l("Proctoring")),
    ("affiliate", _l("Affiliate programme")),
    ("learner", _l("Your learning")),
    (None, _l("More")),
)


def dashboard_sections(panels: list) -> list[tuple[object, list]]:
    known = {key for key, _label in DASHBOARD_SECTIONS}
    grouped: dict[object, list] = {}
    for panel in panels:
        grouped.setdefault(panel.role if panel.role in known else None, []).append(panel)
    return [
        (label, sorted(grouped[key], key=lambda p: p.order)) for key, label in DASHBOARD_SECTIONS if grouped.get(key)
    ]
