from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from lms.core.i18n import LANGUAGES


def language_choices() -> list[tuple[str, str]]:
    return [(code, language.native_name) for code, language in LANGUAGES.items()]


class LookupForm(FlaskForm):
    """Public: find a certificate by its number and the holder's surname (GET, no CSRF)."""

    class Meta:
        csrf = False

    number = StringField(
        _l("Certificate number"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("As printed on the certificate, e.g. AIC-DEV-2026-0004817."),
    )
    surname = StringField(
        _l("Holder's surname"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("In the script printed on the certificate, or in Latin letters."),
    )
    submit = SubmitField(_l("Check certificate"))


class StaffIssueForm(FlaskForm):
    email = EmailField(_l("Learner's e-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    track_id = SelectField(_l("Certification"), coerce=int, validators=[DataRequired()])
    partner_id = SelectField(_l("Delivering partner"), coerce=int, validators=[Optional()])
    language = SelectField(_l("Language of the certificate"), choices=language_choices, default="en")
    bilingual = BooleanField(_l("Bilingual (English and the chosen language on one page)"))
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("Recorded in the audit trail, e.g. the decision this certificate rests on."),
    )
    nonce = HiddenField()
    submit = SubmitField(_l("Issue certificate"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not self.nonce.data:
            self.nonce.data = secrets.token_urlsafe(16)


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Confirm"))


class ReissueForm(FlaskForm):
    holder_name = StringField(
        _l("Name as it should be printed"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("In its own script."),
    )
    holder_name_latin = StringField(_l("Name in Latin letters (optional)"), validators=[Optional(), Length(max=200)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Re-issue certificate"))


class StaffBulkForm(FlaskForm):
    class_id = SelectField(_l("Class"), coerce=int, validators=[DataRequired()])
    submit = SubmitField(_l("Issue for all who qualify"))


class TemplateForm(FlaskForm):
    html = TextAreaField(
        _l("HTML"),
        validators=[DataRequired(), Length(max=60_000)],
        description=_l("Rendered in a sandbox with plain values only; images must be data: URLs."),
    )
    css = TextAreaField(_l("CSS"), validators=[Optional(), Length(max=60_000)])
    note = StringField(_l("What changed"), validators=[Optional(), Length(max=300)])
    preview_language = SelectField(_l("Preview language"), choices=language_choices, default="en")
    preview_bilingual = BooleanField(_l("Preview bilingual"))
    preview = SubmitField(_l("Preview PDF"))
    save = SubmitField(_l("Save as new version"))


class PolicyForm(FlaskForm):
    ce_credits_required = IntegerField(
        _l("Continuing-education credits to renew"),
        validators=[Optional(), NumberRange(min=1, max=1000)],
        description=_l("Leave empty if renewal needs the recertification exam."),
    )
    renewal_window_days = IntegerField(
        _l("Renewal window (days before expiry)"), validators=[DataRequired(), NumberRange(min=7, max=365)], default=90
    )
    submit = SubmitField(_l("Save rules"))


class ClaimForm(FlaskForm):
    activity = StringField(_l("Activity"), validators=[DataRequired(), Length(max=200)])
    provider = StringField(_l("Provider (optional)"), validators=[Optional(), Length(max=200)])
    credits = IntegerField(_l("Credits"), validators=[DataRequired(), NumberRange(min=1, max=100)])
    completed_on = DateField(_l("Completed on"), validators=[DataRequired()])
    submit = SubmitField(_l("Submit for approval"))


class ReviewForm(FlaskForm):
    note = StringField(_l("Note (required to reject)"), validators=[Optional(), Length(max=500)])
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))


class EmptyForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))
