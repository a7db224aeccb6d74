from __future__ import annotations

import functools
from typing import Any

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.core.i18n import LANGUAGES
from lms.exams.models import AccommodationScope, ItemStatus, ReviewPolicy
from lms.exams.question_types import QUESTION_TYPES
from lms.exams.services.bank import OPTION_IDS, PROMPT_IDS

STATUS_LABELS = {
    ItemStatus.DRAFT: _l("Draft"),
    ItemStatus.PILOT: _l("Pilot"),
    ItemStatus.LIVE: _l("Live"),
    ItemStatus.RETIRED: _l("Retired"),
}
REVIEW_LABELS = {
    ReviewPolicy.FLAGGED: _l("Hold flagged attempts for review"),
    ReviewPolicy.ALL: _l("Hold every result for review"),
}


def _languages() -> list[tuple[str, str]]:
    return [(code, lang.native_name) for code, lang in LANGUAGES.items()]


@functools.cache
def _wtforms_catalog(locale: str) -> Any:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _CachedTranslations:
    """WTForms' own messages ("This field is required.") in the viewer's language.

    Flask-WTF reads that catalog from disk on every request (~5 ms here); an exam start must be cheap,
    so the exam forms keep one loaded catalog per language.
    """

    def gettext(self, string: str) -> str:
        return _wtforms_catalog(str(get_locale() or "en")).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalog(str(get_locale() or "en")).ungettext(singular, plural, n)


_TRANSLATIONS = _CachedTranslations()


class ExamForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> Any:
            return _TRANSLATIONS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EmptyForm(ExamForm):
    pass


# --- candidate -----------------------------------------------------------------------------------


class CheckInForm(ExamForm):
    identity_confirmed = BooleanField(validators=[DataRequired(_l("Confirm your identity to start."))])
    rules_accepted = BooleanField(
        _l("I agree to the exam rules: I work alone, without notes, other people or AI assistants."),
        validators=[DataRequired(_l("Agree to the exam rules to start."))],
    )
    confidentiality_accepted = BooleanField(
        _l("I will not copy, share or discuss the exam questions with anyone."),
        validators=[DataRequired(_l("Agree to keep the exam content confidential to start."))],
    )
    webcam_consent = BooleanField(
        _l("I agree that my webcam takes snapshots during the exam, seen only by proctors and staff.")
    )
    language = SelectField(_l("Exam language"), choices=_languages)
    submit = SubmitField(_l("Start the exam"))


class AccommodationForm(ExamForm):
    track_id = SelectField(_l("For which exam"), coerce=int)
    extra_minutes = IntegerField(
        _l("Extra minutes"), default=0, validators=[InputRequired(), NumberRange(min=0, max=480)]
    )
    time_percent = SelectField(
        _l("Or more time in proportion"),
        coerce=int,
        choices=[
            (100, _l("No multiplier")),
            (125, _l("Time and a quarter (125%)")),
            (150, _l("Time and a half (150%)")),
            (200, _l("Double time (200%)")),
        ],
        default=100,
    )
    other_adjustments = TextAreaField(
        _l("Other adjustments (optional)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("For example: a screen reader, rest breaks, a larger font."),
    )
    reason = TextAreaField(
        _l("Why you need it"),
        validators=[DataRequired(), Length(max=4000)],
        description=_l("Staff of the certification body read this; you may be asked for a document."),
    )
    scope = RadioField(
        _l("How long it applies"),
        choices=[
            (AccommodationScope.ONE_EXAM.value, _l("For my next attempt only")),
            (AccommodationScope.UNTIL_DATE.value, _l("For every attempt until a date")),
        ],
        default=AccommodationScope.ONE_EXAM.value,
    )
    valid_until = DateField(_l("Until"), validators=[Optional()])
    submit = SubmitField(_l("Send the request"))


# --- proctor -------------------------------------------------------------------------------------


class ReasonForm(ExamForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class AddTimeForm(ReasonForm):
    minutes = IntegerField(_l("Minutes to add"), default=10, validators=[InputRequired(), NumberRange(min=1, max=240)])


# --- staff ---------------------------------------------------------------------------------------


class DomainForm(ExamForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    name_ar = StringField(_l("Name (Arabic)"), validators=[Optional(), Length(max=200)])
    name_es = StringField(_l("Name (Spanish)"), validators=[Optional(), Length(max=200)])
    name_fr = StringField(_l("Name (French)"), validators=[Optional(), Length(max=200)])
    name_de = StringField(_l("Name (German)"), validators=[Optional(), Length(max=200)])
    name_ja = StringField(_l("Name (Japanese)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Save the domain"))


class ItemForm(ExamForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    type = SelectField(_l("Question type"), choices=[(name, t.label) for name, t in QUESTION_TYPES.items()])
    domain = SelectField(_l("Domain"))
    objective = StringField(_l("Objective"), validators=[Optional(), Length(max=200)])
    difficulty = IntegerField(_l("Difficulty (1–5)"), default=3, validators=[InputRequired(), NumberRange(1, 5)])
    status = SelectField(_l("Status"), choices=[(s.value, label) for s, label in STATUS_LABELS.items()])
    partial_credit = BooleanField(_l("Partial credit (multiple response, ordering, matching)"))
    language = SelectField(_l("Language of this text"), choices=_languages)
    stem = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=4000)])
    key = StringField(
        _l("Key"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("b · a;c · true · c;a;b (ordering) · p1=b;p2=a (matching)"),
    )
    submit = SubmitField(_l("Save the item"))


for _oid in OPTION_IDS:
    setattr(ItemForm, f"option_{_oid}", StringField(_l("Option %(id)s", id=_oid), validators=[Optional()]))
    setattr(ItemForm, f"fixed_{_oid}", BooleanField(_l("Keep in place")))
for _n, _pid in enumerate(PROMPT_IDS, start=1):
    setattr(ItemForm, f"prompt_{_n}", StringField(_l("Prompt %(id)s", id=_pid), validators=[Optional()]))


class ItemStatusForm(ExamForm):
    status = SelectField(_l("Status"), choices=[(s.value, label) for s, label in STATUS_LABELS.items()])
    submit = SubmitField(_l("Change the status"))


class KeyCorrectionForm(ExamForm):
    key = StringField(_l("Corrected key"), validators=[DataRequired(), Length(max=200)])
    reason = TextAreaField(_l("Why the key is corrected"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Correct the key"))


class RescoreForm(ExamForm):
    reason = TextAreaField(_l("Reason for re-scoring"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Re-score the attempts that saw the old key"))


class ImportForm(ExamForm):
    file = FileField(
        _l("CSV or JSON file"),
        validators=[FileRequired()],
        description=_l("One row per item and language. Nothing is imported while any row has an error."),
    )
    submit = SubmitField(_l("Import"))


class BlueprintForm(ExamForm):
    time_limit_minutes = IntegerField(_l("Time limit (minutes)"), validators=[InputRequired(), NumberRange(1, 600)])
    pass_percent = IntegerField(
        _l("Pass mark (% of the scored items)"), validators=[InputRequired(), NumberRange(1, 100)]
    )
    scale_min = IntegerField(_l("Lowest scaled score"), validators=[InputRequired()])
    scale_cut = IntegerField(_l("Scaled cut score"), validators=[InputRequired()])
    scale_max = IntegerField(_l("Highest scaled score"), validators=[InputRequired()])
    pilot_item_count = IntegerField(_l("Unscored pilot items per attempt"), default=0, validators=[InputRequired()])
    attempts_allowed = IntegerField(
        _l("Attempts allowed in all"), description=_l("0 for no overall limit."), validators=[InputRequired()]
    )
    retake_wait_days = StringField(
        _l("Days to wait before each retake"),
        description=_l("1, 14 = the first retake after a day, every later one after 14 days."),
    )
    max_attempts_per_year = IntegerField(_l("At most this many attempts in 12 months"), validators=[InputRequired()])
    voucher_required = BooleanField(_l("Each attempt needs an exam voucher"))
    attempts_per_seat = IntegerField(_l("Exam attempts included with a course seat"), validators=[InputRequired()])
    voucher_validity_days = IntegerField(_l("Days a voucher stays valid"), validators=[InputRequired()])
    review_policy = SelectField(_l("Review"), choices=[(p.value, label) for p, label in REVIEW_LABELS.items()])
    integrity_threshold = IntegerField(
        _l("Integrity events before an attempt is flagged"), validators=[InputRequired(), NumberRange(min=1)]
    )
    webcam_snapshot_seconds = IntegerField(
        _l("Seconds between webcam snapshots"), description=_l("0 for no webcam."), validators=[InputRequired()]
    )
    languages = MultiCheckboxField(_l("Languages offered"), choices=_languages)
    is_active = BooleanField(_l("Open to candidates"))
    submit = SubmitField(_l("Save the blueprint"))


class DecisionForm(ExamForm):
    note = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class GrantVoucherForm(ExamForm):
    email = EmailField(_l("Candidate's e-mail address"), validators=[DataRequired(), Email()])
    count = IntegerField(_l("Attempts"), default=1, validators=[InputRequired(), NumberRange(1, 10)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Give vouchers"))
