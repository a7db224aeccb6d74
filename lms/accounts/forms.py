from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from lms.accounts.models import KIND_LABELS, STATUS_LABELS
from lms.core.i18n import LANGUAGES, all_timezones
from lms.core.security import ROLE_LABELS, Role


def _language_choices() -> list[tuple[str, str]]:
    return [(code, lang.native_name) for code, lang in LANGUAGES.items()]


def _timezone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in all_timezones()]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class _ProfileFields:
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("How we greet you on the site."),
    )
    legal_name = StringField(
        _l("Full legal name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Printed on your certificates exactly as written, in its own script."),
    )
    legal_name_latin = StringField(
        _l("Name in Latin letters (optional)"),
        validators=[Optional(), Length(max=200)],
        description=_l("If your name is written in another script, how it is spelled in Latin letters."),
    )
    locale = SelectField(_l("Language"), choices=_language_choices)
    timezone = SelectField(_l("Time zone"), choices=_timezone_choices, default="UTC")


class RegisterForm(_ProfileFields, FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=10, max=256)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Create account"))


class ProfileForm(_ProfileFields, FlaskForm):
    submit = SubmitField(_l("Save changes"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=256)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email()])
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=256)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Set new password"))


class GrantRoleForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    role = SelectField(_l("Role"), choices=[(r.value, ROLE_LABELS[r]) for r in Role if r != Role.LEARNER])
    submit = SubmitField(_l("Grant role"))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Short name (used in web addresses)"), validators=[DataRequired(), Length(max=80)])
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    country = StringField(_l("Country code (two letters)"), validators=[Optional(), Length(min=2, max=2)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Create organisation"))


class OrganisationStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=[(s.value, label) for s, label in STATUS_LABELS.items()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Change status"))


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that POST."""
